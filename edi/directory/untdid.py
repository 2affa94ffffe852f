"""Read a UN/EDIFACT directory from the UN's own UNTDID text files (used for D93A, which has no XML).

The files are fixed-width text inside small zips (``EDMD`` messages, ``EDSD`` segments,
``EDED`` elements); see ``../shared/standards/edifact/README.md``. The result has the same
compact shape as :func:`edi.directory.build.build_version`. Code lists are absent from the D93A
distribution, so the result carries none.
"""

from __future__ import annotations

import re
from pathlib import Path

from edi.directory.build import FORMAT_VERSION, _untdid_texts, parse_repr

TABLE_HEAD_RE = re.compile(r"^\s*(Pos\s+)?TAG\s+NAME\s+S\s+R", re.IGNORECASE)
GROUP_RE = re.compile(r"Segment [Gg]roup\s+(\d+)\W+?([MC])\s+(\d+)")
SEGMENT_ROW_RE = re.compile(r"^[ +*#|X-]{0,4}(?:\d{4,5}\s+)?([A-Z]{3})\s+\S.*?\s([MC])\s+(\d+)(.*)$")
SEGMENT_HEAD_RE = re.compile(r"^[ +*#|X-]{0,3}\s*([A-Z]{3})  +[A-Z/][A-Z ,/().'-]+$")
ELEMENT_ROW_RE = re.compile(r"^[ +*#|X-]{0,4}([A-Z0-9]\d{3})( +)(\S.*?)\s+([MC])(?:\s+((?:an|a|n)(?:\.\.)?\d+))?\s*$")


def read_segment_table(text: str) -> list:
    """The "Segment table" of one EDMD message file -> compact structure."""
    root: list = []
    stack = [root]
    in_table = False
    for line in text.splitlines():
        if not in_table:
            in_table = bool(TABLE_HEAD_RE.match(line))
            continue
        group = GROUP_RE.search(line)
        if group:
            node = [f"SG{group.group(1)}", 1 if group.group(2) == "M" else 0, int(group.group(3)), []]
            stack[-1].append(node)
            stack.append(node[3])
            continue
        row = SEGMENT_ROW_RE.match(line)
        if row:
            tag, status, repeat, tail = row.groups()
            stack[-1].append([tag, 1 if status == "M" else 0, int(repeat)])
            for _ in range(tail.count("+")):
                if len(stack) > 1:
                    stack.pop()
            if tag == "UNT":
                break
    return root


def read_segment_directory(text: str) -> dict[str, list]:
    """EDSD text -> ``{tag: [element, ...]}``."""
    segments: dict[str, list] = {}
    current: list | None = None
    composite: list | None = None
    for line in text.splitlines():
        if line.startswith("---"):
            current = composite = None
            continue
        head = SEGMENT_HEAD_RE.match(line)
        if head and current is None:
            current = segments.setdefault(head.group(1), [])
            continue
        row = ELEMENT_ROW_RE.match(line)
        if current is None or not row:
            continue
        ident, gap, _name, status, rep = row.groups()
        mandatory = 1 if status == "M" else 0
        if not rep:  # composite head
            composite = [ident, mandatory, []]
            current.append(composite)
            continue
        kind, low, high = parse_repr(rep)
        element = [ident, mandatory, kind, low, high]
        if len(gap) >= 2 and composite is not None:
            composite[2].append(element)
        else:
            composite = None
            current.append(element)
    return segments


def read_untdid_directory(folder: Path, version: str) -> dict:
    """Compile a directory from ``<VER>/untdid/`` alone."""
    untdid = folder / "untdid"
    messages = {}
    for name, text in _untdid_texts(untdid, ("EDMD", "TRMD")).items():
        structure = read_segment_table(text)
        if structure:
            messages[name.split("_")[0].split(".")[0].upper()] = structure
    segments: dict[str, list] = {}
    for name, text in _untdid_texts(untdid, ("EDSD", "TRSD")).items():
        if name.upper().startswith(("EDSD", "TRSD")):
            segments.update(read_segment_directory(text))
    return {
        "format": FORMAT_VERSION,
        "directory": version,
        "from": "UNTDID text (EDMD, EDSD, EDED); no code lists in this distribution",
        "messages": messages,
        "segments": segments,
        "codes": {},
    }
