"""Compile the UN/EDIFACT directories into the compact files that logihub ships.

The source is the directory data folder described in ``../shared/standards/edifact/README.md``:
php-edifact XML (``<VER>/messages/*.xml``, ``segments.xml``, ``codes.xml``,
``service_codes_v3/_v4.xml``, ``Service_V1..V4/``) and the UN's own UNTDID text files
(``<VER>/untdid/*.zip``), which are authoritative for element representations (``an..35``
against ``an3``) and composites' components, and the only source for D93A. Nothing here is
typed in by hand but :data:`UNH_V4_S017`, which no source file here has.

The output is one gzip'd JSON file per directory in ``schemas/edifact/``:

* ``D96A.json.gz`` (one per UN directory): ``messages`` (type -> structure), ``segments``
  (tag -> elements) and ``codes`` (element id -> sorted code values);
* ``service_v1.json.gz`` .. ``service_v4.json.gz``: the ISO 9735 service segments (UNB, UNH,
  UCI, ...), the service messages (CONTRL, AUTACK, KEYMAN) and the service code lists.

Encoding (lists, to stay small):

* a structure is a list of nodes; a segment node is ``[tag, mandatory, max_repeat]`` and a group
  node ``[name, mandatory, max_repeat, [children...]]`` whose first child is its trigger segment;
* a simple element is ``[id, mandatory, type, min_length, max_length]``; a composite is
  ``[id, mandatory, [component, ...]]`` with components encoded like simple elements;
  ``mandatory`` is 0 or 1, ``type`` is ``a``, ``an`` or ``n``.

    >>> build_all(Path("/work/shared/standards/edifact"), Path("schemas/edifact"))
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

FORMAT_VERSION = 1
SERVICE_CODES_FROM = "D16A"  # newest directory shipping both service_codes_v3.xml and _v4.xml
REPR_RE = re.compile(r"^(an|a|n)(\.\.)?(\d+)$")


def parse_repr(text: str) -> tuple[str, int, int]:
    """``an..35`` -> ``("an", 1, 35)``; ``n3`` -> ``("n", 3, 3)``."""
    match = REPR_RE.match(text.strip())
    if not match:
        raise ValueError(f"not a UNTDID representation: {text!r}")
    kind, variable, length = match.group(1), match.group(2), int(match.group(3))
    return kind, (1 if variable else length), length


# ---------------------------------------------------------------------------------------------
# php-edifact XML


def _xml_element(node: ElementTree.Element, reprs: dict[str, tuple[str, int, int]], borrowed: bool) -> list:
    """One element or component; ``reprs`` (UNTDID) win, borrowed ones only where type and maximum agree."""
    ident = node.get("id", "")
    mandatory = 1 if node.get("required") == "true" else 0
    kind = node.get("type") or "an"
    if node.get("length"):
        low = high = int(node.get("length", "0"))
    else:
        low, high = 1, int(node.get("maxlength") or 35)
    untdid = reprs.get(ident)
    if untdid is not None and (not borrowed or (untdid[0], untdid[2]) == (kind, high)):
        kind, low, high = untdid
    return [ident, mandatory, kind, low, high]


def read_xml_segments(
    path: Path,
    reprs: dict[str, tuple[str, int, int]],
    borrowed: bool = False,
    composites: dict[str, list] | None = None,
    composites_borrowed: bool = False,
) -> dict[str, list]:
    """``segments.xml`` -> ``{tag: [element, ...]}`` in position order.

    ``reprs`` are UNTDID element representations (authoritative: php-edifact lost the fixed
    lengths from D98B on); ``borrowed`` says they come from the nearest other directory.
    ``composites`` are UNTDID composites (:func:`read_untdid_composites`): php-edifact's XML drops
    components (D97A's C082 has no 3039 party identifier and C222 no vessel 8213/8212, D99B lists
    14 composites with none, NAD's C059 street among them; from D00A on C502, C701, C819 ... lack
    their last ones), so every party, vessel or street read as "too many components". The
    directory's own composites win; ``composites_borrowed`` (the nearest directory's) only add what
    the XML left out, where its components are a subsequence of theirs.
    """
    segments: dict[str, list] = {}
    for seg in ElementTree.parse(path).getroot().iter("segment"):
        elements = []
        for child in seg:
            if child.tag == "data_element":
                elements.append(_xml_element(child, reprs, borrowed))
            elif child.tag == "composite_data_element":
                components = [_xml_element(c, reprs, borrowed) for c in child if c.tag == "data_element"]
                if composites and child.get("id", "") in composites:
                    components = _untdid_components(components, composites[child.get("id", "")], composites_borrowed)
                elements.append([child.get("id", ""), 1 if child.get("required") == "true" else 0, components])
        segments[seg.get("id", "")] = elements
    return segments


def _untdid_components(xml: list, untdid: list, borrowed: bool) -> list:
    """A composite's components: the UNTDID's (its own directory's), or for a ``borrowed`` UNTDID the
    XML's with the ones it left out put back, when the XML's are a subsequence of the UNTDID's."""
    if not borrowed:
        return [list(c) for c in untdid] or xml
    merged, k = [], 0
    for component in untdid:
        if k < len(xml) and xml[k][0] == component[0]:
            merged.append(xml[k])
            k += 1
        else:
            merged.append(list(component))
    return merged if k == len(xml) else xml


def _xml_structure(node: ElementTree.Element) -> list:
    nodes = []
    for child in node:
        mandatory = 1 if child.get("required") == "true" else 0
        repeat = int(child.get("maxrepeat") or 1)
        if child.tag == "segment":
            nodes.append([child.get("id", ""), mandatory, repeat])
        elif child.tag == "group":
            nodes.append([child.get("id", ""), mandatory, repeat, _xml_structure(child)])
    return nodes


def read_xml_message(path: Path) -> tuple[str, list]:
    """``messages/codeco.xml`` -> ``("CODECO", structure)``."""
    root = ElementTree.parse(path).getroot()
    name = path.stem.upper()
    for default in root.iter("data_element"):
        if default.get("id") == "0065" and default.get("value"):
            name = default.get("value", name)
    return name, _xml_structure(root)


def read_xml_codes(path: Path) -> dict[str, list[str]]:
    """``codes.xml`` -> ``{element id: sorted code values}``."""
    codes: dict[str, list[str]] = {}
    for element in ElementTree.parse(path).getroot().iter("data_element"):
        values = sorted({code.get("id", "") for code in element.iter("code")} - {""})
        if values:
            codes[element.get("id", "")] = values
    return codes


# ---------------------------------------------------------------------------------------------
# UNTDID originals


def _untdid_texts(folder: Path, prefixes: tuple[str, ...]) -> dict[str, str]:
    """Text of each member of the zips in ``folder`` whose name starts with one of ``prefixes``."""
    texts: dict[str, str] = {}
    if not folder.is_dir():
        return texts
    for archive in sorted(folder.iterdir()):
        if archive.suffix.lower() != ".zip" or not archive.name.upper().startswith(prefixes):
            continue
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if info.is_dir():
                    continue
                data = zf.read(info)
                name = info.filename.rsplit("/", 1)[-1]  # some zips keep folder prefixes
                if name.lower().endswith(".zip"):  # EDMD: a zip of per-message files
                    with zipfile.ZipFile(io.BytesIO(data)) as inner:
                        for sub in inner.infolist():
                            texts[sub.filename.rsplit("/", 1)[-1]] = inner.read(sub).decode("cp437")
                else:
                    texts[name] = data.decode("cp437")
    return texts


ELEMENT_HEAD_RE = re.compile(r"^[ +*#|X-]{0,7}(\d{4})\s+\S")
REPR_LINE_RE = re.compile(r"^\s*Repr:\s*(\S+)")


def read_untdid_reprs(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Element id -> representation from the UNTDID element directory (EDED/TRED)."""
    reprs: dict[str, tuple[str, int, int]] = {}
    for name, text in _untdid_texts(folder, ("EDED", "TRED")).items():
        if not name.upper().startswith(("EDED", "TRED")) or "I" in name.upper().split(".")[0][4:]:
            continue  # TREDI1/TREDI2 are indexes
        current = None
        for line in text.splitlines():
            head = ELEMENT_HEAD_RE.match(line)
            if head and not line.lstrip().startswith(("Desc", "Repr", "Note")):
                current = head.group(1)
                continue
            rep = REPR_LINE_RE.match(line)
            if rep and current:
                try:
                    reprs[current] = parse_repr(rep.group(1))
                except ValueError:
                    pass
                current = None
    return reprs


COMPOSITE_HEAD_RE = re.compile(r"^[ +*#|X-]{0,7}([CS]\d{3})\s+[A-Z]")
COMPONENT_ROW_RE = re.compile(r"^\d{3}[ +*#|X-]*\s+(\d{4})\s+\S")
STATUS_REPR_RE = re.compile(r"\s([MC])\s+((?:an|a|n)(?:\.\.)?\d+)\s*$")


def read_untdid_composites(folder: Path) -> dict[str, list]:
    """Composite id -> its components (compact, like :func:`_xml_element`) from the UNTDID composite
    directory (EDCD/TRCD). A component's name may wrap onto a second line that carries its status
    and representation; a line of box-drawing characters ends a composite."""
    composites: dict[str, list] = {}
    for name, text in _untdid_texts(folder, ("EDCD", "TRCD")).items():
        if not name.upper().startswith(("EDCD", "TRCD")) or "I" in name.upper().split(".")[0][4:]:
            continue  # EDCDI1/EDCDI2 are indexes
        current: list | None = None
        pending: str | None = None
        for line in text.splitlines():
            head = COMPOSITE_HEAD_RE.match(line)
            if head:
                current, pending = composites.setdefault(head.group(1), []), None
                continue
            if line.strip() and not any(ch.isalnum() for ch in line):
                current = pending = None
                continue
            if current is None:
                continue
            row = COMPONENT_ROW_RE.match(line)
            if row:
                pending = row.group(1)
            tail = STATUS_REPR_RE.search(line)
            if pending and tail:
                kind, low, high = parse_repr(tail.group(2))
                current.append([pending, 1 if tail.group(1) == "M" else 0, kind, low, high])
                pending = None
    return composites


# ---------------------------------------------------------------------------------------------
# Writing


def _write(out: Path, name: str, data: dict) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json.gz"
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return path


def build_version(source: Path, version: str) -> dict:
    """Compile one UN directory (``D96A``) from XML, or from UNTDID text where there is no XML."""
    folder = source / version
    if not (folder / "segments.xml").exists():
        from edi.directory.untdid import read_untdid_directory

        return read_untdid_directory(folder, version)
    reprs = read_untdid_reprs(folder / "untdid")
    borrowed = None
    if not reprs:
        borrowed = _nearest_untdid(source, version)
        reprs = read_untdid_reprs(source / borrowed / "untdid") if borrowed else {}
    composites = read_untdid_composites(folder / "untdid")
    composites_from = version if composites else (borrowed or _nearest_untdid(source, version))
    if not composites and composites_from:
        composites = read_untdid_composites(source / composites_from / "untdid")
    messages = dict(read_xml_message(p) for p in sorted((folder / "messages").glob("*.xml")))
    codes = read_xml_codes(folder / "codes.xml") if (folder / "codes.xml").exists() else {}
    origin = "php-edifact XML"
    if reprs:
        origin += f" + UNTDID {borrowed or version} element representations" + (
            " (where they agree)" if borrowed else ""
        )
    if composites:
        origin += f" + UNTDID {composites_from} composites" + (
            " (what the XML left out)" if composites_from != version else ""
        )
    return {
        "format": FORMAT_VERSION,
        "directory": version,
        "from": origin,
        "messages": messages,
        "segments": read_xml_segments(
            folder / "segments.xml", reprs, borrowed is not None, composites, composites_from != version
        ),
        "codes": codes,
    }


def _chronological(version: str) -> tuple[int, str]:
    year = int(version[1:3])
    return (1900 + year if year >= 90 else 2000 + year, version[3:])


def _nearest_untdid(source: Path, version: str) -> str | None:
    """The directory closest in time to ``version`` whose UNTDID element directory is present."""
    candidates = [
        p.name
        for p in source.iterdir()
        if re.fullmatch(r"D\d\d[AB]", p.name)
        and p.name != version
        and any(f.name.upper().startswith(("EDED", "TRED")) for f in (p / "untdid").glob("*"))
    ]
    if not candidates:
        return None
    target = _chronological(version)
    return min(candidates, key=lambda v: (abs(_chronological(v)[0] - target[0]), _chronological(v) > target))


#: ISO 9735-1:2002 (syntax version 4) UNH 060 S017 MESSAGE IMPLEMENTATION GUIDELINE IDENTIFICATION,
#: between S016 (050) and S018 (070): php-edifact's Service_V4 leaves it out, and no UNTDID file here
#: has the service segments, so it is the one thing written in from the standard's text.
UNH_V4_S017 = [
    "S017",
    0,
    [["0121", 1, "an", 1, 14], ["0122", 0, "an", 1, 3], ["0124", 0, "an", 1, 3], ["0051", 0, "an", 1, 3]],
]


def build_service(source: Path, syntax: int) -> dict:
    """Compile the ISO 9735 service directory of one syntax version (1..4)."""
    folder = source / f"Service_V{syntax}"
    codes_file = source / SERVICE_CODES_FROM / ("service_codes_v4.xml" if syntax == 4 else "service_codes_v3.xml")
    messages = dict(read_xml_message(p) for p in sorted((folder / "messages").glob("*.xml")))
    segments = read_xml_segments(folder / "segments.xml", {})
    unh = segments.get("UNH", [])
    if syntax == 4 and [e[0] for e in unh[-2:]] == ["S016", "S018"]:
        unh.insert(len(unh) - 1, UNH_V4_S017)
    return {
        "format": FORMAT_VERSION,
        "directory": f"service_v{syntax}",
        "from": f"php-edifact XML Service_V{syntax} + {SERVICE_CODES_FROM}/{codes_file.name}"
        + (" + ISO 9735-1:2002 UNH S017" if syntax == 4 else ""),
        "messages": messages,
        "segments": segments,
        "codes": read_xml_codes(codes_file),
    }


def build_all(source: Path, out: Path, versions: list[str] | None = None) -> list[Path]:
    """Compile every directory found in ``source`` (or only ``versions``) into ``out``."""
    written = []
    found = sorted(p.name for p in source.iterdir() if p.is_dir() and re.fullmatch(r"D\d\d[AB]", p.name))
    for version in versions or found:
        written.append(_write(out, version, build_version(source, version)))
    if not versions:
        for syntax in (1, 2, 3, 4):
            if (source / f"Service_V{syntax}").is_dir():
                written.append(_write(out, f"service_v{syntax}", build_service(source, syntax)))
    return written
