"""Load the compact UN/EDIFACT directories shipped in ``schemas/edifact/``, compiled for fast validation.

Each file is read once per process and turned into tuples and frozensets; message structures
are compiled into :class:`Group` trees on first use (per message type and directory) and kept.

    >>> d96a = load_directory("D96A")
    >>> d96a.message("CODECO").children[1].tag
    'BGM'
    >>> directory_for("CONTRL", "D", "3", "UN").name
    'service_v3'
"""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path
from typing import NamedTuple

from edi.exceptions import DirectoryMissing

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas" / "edifact"
SERVICE_MESSAGES = frozenset({"CONTRL", "AUTACK", "KEYMAN"})
AGENCY_ELEMENT = "3055"  # code list responsible agency: the UN's lists only bind when it is empty or 6
UN_AGENCY = frozenset({"", "6"})
# Code list policy. A value missing from the directory's code list is reported as 0085 code 12:
# an error for the lists below, which are closed in practice (syntax-critical: the service
# segments' own lists and 2379, without which a date cannot be read) or when the sender names the
# UN/ECE (3055 = 6) as the list's agency; a warning for the other lists, which partners extend by
# agreement (SMDG, EANCOM and national qualifiers). The agency list 3055 itself is one of those:
# it grows from directory to directory and partners write their own agency into it (``STS+1+P::HS``);
# an agency outside it only means the UN's list does not bind the code beside it.
CLOSED_CODE_LISTS = frozenset({"0001", "0031", "0035", "0083", "0085", "2379"})
# Lists that are open in practice and never checked: 1131 (code list ids of every agency), 8155
# (carries ISO 6346 size-type codes without naming ISO), lists kept outside the UNTDID (6411 UN/ECE
# Rec. 20 units, 3207 ISO 3166 countries, 6345 ISO 4217 currencies, 3453 ISO 639 languages), the
# partner qualifier 0007, and the
# message identification elements, whose lists lag behind new directories and associations.
OPEN_CODE_LISTS = frozenset(
    {"1131", "8155", "6411", "3207", "6345", "3453", "0007", "0051", "0052", "0054", "0057", "0065"}
)


class Simple(NamedTuple):
    """A simple data element or a component: id, status, representation, code list."""

    id: str
    mandatory: bool
    kind: str  # "a", "an" or "n"
    min: int
    max: int
    codes: frozenset | None
    closed: bool  # a value outside ``codes`` is an error, not a warning


class Composite(NamedTuple):
    """A composite data element; ``agency`` is the index of its 3055 component, or -1."""

    id: str
    mandatory: bool
    components: tuple[Simple, ...]
    agency: int


class Node(NamedTuple):
    """One position in a message structure: a segment, or a group (then ``group`` is set)."""

    tag: str  # the segment tag, or the group's trigger segment tag
    mandatory: bool
    max: int
    group: Group | None
    name: str  # segment tag or group name (SG1)


class Group:
    """A segment group (or the message itself) compiled for the validator's state machine.

    ``positions[tag]`` lists, in order, the child positions whose tag (or trigger tag) is ``tag``;
    ``mandatory_before[i]`` counts the mandatory children before position ``i``.
    """

    __slots__ = ("name", "children", "positions", "mandatory_before")

    def __init__(self, name: str, children: tuple[Node, ...]) -> None:
        self.name = name
        self.children = children
        positions: dict[str, list[int]] = {}
        counts = [0]
        for i, child in enumerate(children):
            positions.setdefault(child.tag, []).append(i)
            counts.append(counts[-1] + child.mandatory)
        self.positions = {tag: tuple(p) for tag, p in positions.items()}
        self.mandatory_before = tuple(counts)

    def any_mandatory(self, start: int, stop: int) -> bool:
        """Whether a child in positions ``start`` to ``stop - 1`` is mandatory."""
        counts = self.mandatory_before
        return counts[min(stop, len(counts) - 1)] > counts[max(start, 0)]


class Directory:
    """One compiled directory: segments, code lists, and message structures on demand."""

    def __init__(self, name: str, data: dict) -> None:
        self.name = name
        self.source = data.get("from", "")
        self.codes: dict[str, frozenset] = {k: frozenset(v) for k, v in data["codes"].items()}
        self.segments: dict[str, tuple] = {tag: self._compile_segment(els) for tag, els in data["segments"].items()}
        self._raw_messages: dict[str, list] = data["messages"]
        self._messages: dict[str, Group] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Directory {self.name}: {len(self._raw_messages)} messages, {len(self.segments)} segments>"

    @property
    def message_types(self) -> list[str]:
        return sorted(self._raw_messages)

    def _simple(self, raw: list) -> Simple:
        ident, mandatory, kind, low, high = raw
        codes = None if ident in OPEN_CODE_LISTS else self.codes.get(ident)
        return Simple(ident, bool(mandatory), kind, low, high, codes, ident in CLOSED_CODE_LISTS)

    def _compile_segment(self, elements: list) -> tuple:
        compiled = []
        for raw in elements:
            if isinstance(raw[2], list):
                components = tuple(self._simple(c) for c in raw[2])
                agency = next((i for i, c in enumerate(components) if c.id == AGENCY_ELEMENT), -1)
                compiled.append(Composite(raw[0], bool(raw[1]), components, agency))
            else:
                compiled.append(self._simple(raw))
        return tuple(compiled)

    def message(self, message_type: str) -> Group | None:
        """The compiled structure of ``message_type``, or None when this directory lacks it."""
        group = self._messages.get(message_type)
        if group is None and message_type in self._raw_messages:
            with self._lock:
                group = self._messages.get(message_type) or _compile_group(
                    message_type, self._raw_messages[message_type]
                )
                self._messages[message_type] = group
        return group


def _compile_group(name: str, nodes: list) -> Group:
    children = []
    for node in nodes:
        if len(node) == 4:
            sub = _compile_group(node[0], node[3])
            children.append(Node(sub.children[0].tag, bool(node[1]), node[2], sub, node[0]))
        else:
            children.append(Node(node[0], bool(node[1]), node[2], None, node[0]))
    return Group(name, tuple(children))


_cache: dict[tuple[Path, str], Directory] = {}
_cache_lock = threading.Lock()


def load_directory(name: str, schema_dir: Path | None = None) -> Directory:
    """Load ``schemas/edifact/<name>.json.gz`` (``D96A``, ``service_v3``), cached per process."""
    folder = schema_dir or SCHEMA_DIR
    key = (folder, name)
    found = _cache.get(key)
    if found is not None:
        return found
    path = folder / f"{name}.json.gz"
    if not path.is_file():
        raise DirectoryMissing(f"No compiled EDIFACT directory {name} in {folder}", code="DIRECTORY_MISSING")
    with gzip.open(path, "rb") as fh:
        data = json.load(fh)
    with _cache_lock:
        return _cache.setdefault(key, Directory(name, data))


def available_directories(schema_dir: Path | None = None) -> list[str]:
    """Names of the compiled directories present (``D93A`` ... ``service_v4``)."""
    folder = schema_dir or SCHEMA_DIR
    return sorted(p.name[: -len(".json.gz")] for p in folder.glob("*.json.gz"))


def service_directory(syntax_version: int | str | None) -> Directory:
    """The ISO 9735 service directory for a UNB syntax version number (1..4; default 3)."""
    try:
        syntax = int(syntax_version or 3)
    except ValueError:
        syntax = 3
    return load_directory(f"service_v{min(max(syntax, 1), 4)}")


def directory_name(message_type: str, version: str, release: str, agency: str) -> str | None:
    """Which compiled directory a UNH S009 names, or None when it is not a UN directory.

    ``D:96A:UN`` -> ``D96A``; ``S:93A:UN`` (a status-S message of 93A) -> ``D93A``;
    ``CONTRL:D:3:UN`` -> ``service_v3``; ``CONTRL:4:1:UN`` -> ``service_v4``.
    """
    if message_type in SERVICE_MESSAGES:
        return "service_v4" if version == "4" else "service_v3"
    if agency != "UN" or version not in ("D", "S") or len(release) != 3:
        return None
    return "D" + release.upper()


def directory_for(message_type: str, version: str, release: str, agency: str) -> Directory | None:
    """The loaded directory for a UNH S009, or None when none is shipped for it."""
    name = directory_name(message_type, version, release, agency)
    if name is None:
        return None
    try:
        return load_directory(name)
    except DirectoryMissing:
        return None
