"""Directory-driven validation of UN/EDIFACT messages: structure, data elements, code lists.

Each message is checked against the UN/EDIFACT directory its UNH names (``schemas/edifact/``,
see :mod:`edi.directory`), its service segments against the ISO 9735 service directory of the
interchange's syntax version. Problems come back as :class:`edi.issues.Issue` values carrying
ISO 9735 syntax error codes (0085) and positions; nothing raises for bad content.

* structure: a state machine over the message's compiled segment-group tree; 13 mandatory
  segment or group missing, 15 segment not supported in this position, 35 segment repeated
  too often, 36 segment group repeated too often;
* data elements: 13 mandatory element or component missing, 16 too many elements or components,
  37 invalid characters for the type (``n``: digits, one decimal mark, leading minus; ``a``: no
  digits), 38 decimal mark without a digit before it, 39 too long, 40 too short;
* code lists: 12 for a value missing from the directory's code list, only where the UN's list
  binds: a composite with a code list responsible agency (3055) is checked only when that agency
  is empty or 6 (UN/ECE); open lists (1131, 8155, ...) are never checked; the severity is an
  error for closed lists or an explicit 3055 = 6, else a warning (see
  :data:`edi.directory.load.CLOSED_CODE_LISTS`).

Envelope counts and references (UNT/UNE/UNZ) are the reader's (:mod:`edi.parse.interchange`).

    >>> result = validate_interchange(b"UNB+UNOA:2+S+R+200101:1200+1'UNH+1+CODECO:D:96A:UN'...")
    >>> [(i.code, i.position.segment, i.position.tag) for i in result.errors]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from edi.choices import MessageStatus
from edi.directory.load import Composite, Directory, Group, Simple, directory_for, directory_name, service_directory
from edi.issues import Issue, Position

ELEMENT_LEVEL = "element"
SEGMENT_LEVEL = "segment"
MAX_ISSUES_PER_MESSAGE = 200
_DIGITS = frozenset("0123456789")


def _n_length(value: str) -> int:
    """Significant length of a numeric value, or -1 when it is not a number, -2 for a bare mark."""
    digits = value[1:] if value[0] == "-" else value
    if digits.isascii() and digits.isdigit():
        return len(digits)
    for mark in (".", ","):
        if mark in digits:
            whole, _, frac = digits.partition(mark)
            joined = whole + frac
            if joined and joined.isascii() and joined.isdigit():
                return -2 if not whole else len(joined)
            return -1
    return -1


def check_value(value: str, spec: Simple, check_codes: bool) -> tuple[str, str] | None:
    """The first problem of a non-empty value against its element spec: ``(code, message)``."""
    kind = spec.kind
    if kind == "n":
        length = _n_length(value)
        if length == -1:
            return "37", f"Element {spec.id} is numeric (n) but holds {value[:40]!r}"
        if length == -2:
            return "38", f"Element {spec.id}: missing digit in front of the decimal sign in {value[:40]!r}"
    else:
        length = len(value)
        if kind == "a" and not _DIGITS.isdisjoint(value):
            return "37", f"Element {spec.id} is alphabetic (a) but holds digits: {value[:40]!r}"
    if length > spec.max:
        return "39", f"Element {spec.id} is too long: {length} characters, at most {spec.max}"
    if length < spec.min:
        return "40", f"Element {spec.id} is too short: {length} characters, at least {spec.min}"
    if check_codes and spec.codes is not None and value not in spec.codes:
        return "12", f"Invalid value {value[:40]!r} for element {spec.id}: not in its code list"
    return None


def check_segment(segment: Any, specs: tuple, add: Any) -> None:
    """Check a segment's data elements against its directory definition; ``add(code, text, el, comp)``."""
    elements = segment.elements
    count = len(elements)
    total = len(specs)
    if count > total:
        extra = elements[total:]
        if any(any(c for c in _occurrence(e)) for e in extra):
            add("16", f"Segment {segment.tag} has {count} data elements, at most {total}", total + 1, None)
        elements = elements[:total]
    index = 0
    for element in elements:
        spec = specs[index]
        index += 1
        if type(element) is not list:  # Repetitions (syntax 4): check each occurrence
            for occurrence in element or [[""]]:
                _check_element(occurrence, spec, index, add)
            continue
        if type(spec) is Simple and len(element) == 1:  # the common case, inline
            value = element[0]
            if not value:
                if spec.mandatory:
                    add("13", f"Mandatory data element {spec.id} missing", index, None)
                continue
            if spec.kind == "an" and spec.min <= len(value) <= spec.max:
                codes = spec.codes
                if codes is None or value in codes:
                    continue
        elif type(spec) is Composite and _composite_clean(element, spec.components):
            continue
        _check_element(element, spec, index, add)
    if count < total:
        required = _required.get(id(specs))
        if required is None:
            required = _required[id(specs)] = max((i + 1 for i, s in enumerate(specs) if s.mandatory), default=0)
        for index in range(count, required):
            if specs[index].mandatory:
                add("13", f"Mandatory data element {specs[index].id} missing", index + 1, None)


_required: dict[int, int] = {}  # id(segment or composite specs) -> 1 + the index of its last mandatory one


def _composite_clean(element: list, components: tuple) -> bool:
    """Fast check: a present composite whose components are all plainly valid (else look closer)."""
    if not element or len(element) > len(components) or not element[0]:
        return False
    required = _required.get(id(components))
    if required is None:
        required = _required[id(components)] = max((i + 1 for i, c in enumerate(components) if c.mandatory), default=0)
    if len(element) < required:
        return False
    k = 0
    for value in element:
        component = components[k]
        k += 1
        if value:
            if component.kind != "an" or not component.min <= len(value) <= component.max:
                return False
            codes = component.codes
            if codes is not None and value not in codes:
                return False
        elif component.mandatory:
            return False
    return True


def _occurrence(element: list) -> list:
    if type(element) is not list and element and isinstance(element[0], list):
        return [c for occ in element for c in occ]
    return element


def _check_element(element: list, spec: Simple | Composite, position: int, add: Any) -> None:
    if type(spec) is Simple:
        value = element[0] if element else ""
        if len(element) > 1 and any(element[1:]):
            add("16", f"Simple data element {spec.id} has components", position, 2)
        if not value:
            if spec.mandatory:
                add("13", f"Mandatory data element {spec.id} missing", position, None)
            return
        problem = check_value(value, spec, True)
        if problem:
            add(problem[0], problem[1], position, None, _severity(problem[0], spec.closed))
        return
    components = spec.components
    if len(element) > len(components) and any(element[len(components) :]):
        add("16", f"Composite {spec.id} has {len(element)} components, at most {len(components)}", position, None)
    if not any(element):
        if spec.mandatory:
            add("13", f"Mandatory composite data element {spec.id} missing", position, None)
        return
    agency = spec.agency
    agency_value = element[agency] if 0 <= agency < len(element) else ""
    un_list = agency_value in ("", "6")
    count = len(element)
    for k, component in enumerate(components):
        value = element[k] if k < count else ""
        if not value:
            if component.mandatory:
                add("13", f"Mandatory component {component.id} of {spec.id} missing", position, k + 1)
            continue
        if component.kind == "an" and component.min <= len(value) <= component.max:
            codes = component.codes
            if codes is None or value in codes or not (un_list or k == agency):
                continue
        problem = check_value(value, component, un_list or k == agency)
        if problem:
            add(problem[0], problem[1], position, k + 1, _severity(problem[0], component.closed or agency_value == "6"))


def _severity(code: str, closed: bool) -> str:
    return "warning" if code == "12" and not closed else "error"


class _Walker:
    """The segment-group state machine of one message (see the module docstring)."""

    __slots__ = ("stack", "add", "unt_reported")

    def __init__(self, structure: Group, add: Any, unt_reported: bool = False) -> None:
        # frames: [group, position of the current child, repetitions of that child]
        self.stack: list[list] = [[structure, -1, 0]]
        self.add = add
        self.unt_reported = unt_reported  # the envelope reader already said UNT is missing

    def feed(self, tag: str) -> None:
        stack = self.stack
        overflow = None
        for level in range(len(stack) - 1, -1, -1):
            group, pos, count = stack[level]
            candidates = group.positions.get(tag)
            if not candidates:
                continue
            for j in candidates:
                if j == 0 and level > 0:
                    continue  # a group's trigger again starts a new group instance (found one level up)
                if j > pos:
                    self._advance(level, j)
                    return
                if j == pos:
                    node = group.children[j]
                    if count < node.max or node.group is not None:
                        self._advance(level, j)
                        return
                    if overflow is None:
                        overflow = (level, node)
        if overflow is not None:
            level, node = overflow
            self.add("35", f"Segment {tag} repeated more than {node.max} times", None, None)
            return
        self.add("15", f"Segment {tag} is not supported in this position", None, None)

    def _advance(self, level: int, j: int) -> None:
        stack = self.stack
        while len(stack) - 1 > level:
            self._close(stack.pop())
        frame = stack[level]
        group, pos, count = frame
        node = group.children[j]
        if j == pos:
            frame[2] = count + 1
            if node.group is not None and count + 1 > node.max:
                self.add("36", f"Segment group {node.name} repeated more than {node.max} times", None, None)
        else:
            start = pos + 1 if count else pos
            if start < j:
                self._missing(group, start, j)
            frame[1] = j
            frame[2] = 1
        if node.group is not None:
            stack.append([node.group, 0, 1])

    def _missing(self, group: Group, start: int, stop: int) -> None:
        for node in group.children[max(start, 0) : stop]:
            if node.mandatory and not (self.unt_reported and node.tag == "UNT"):
                what = f"segment group {node.name} (starting with {node.tag})" if node.group else f"segment {node.tag}"
                self.add("13", f"Mandatory {what} missing", None, None)

    def _close(self, frame: list) -> None:
        group, pos, count = frame
        self._missing(group, pos + 1 if count else pos, len(group.children))

    def finish(self) -> None:
        while self.stack:
            self._close(self.stack.pop())


def validate_message(message: Any, directory: Directory | None = None, *, syntax_version: Any = None) -> list[Issue]:
    """Issues of one message (``message.segments`` from UNH to UNT) against its directory.

    ``directory`` defaults to the one the UNH names; a message whose directory is not shipped
    gets one warning (code 17, no agreement) and only its service segments are checked.
    """
    issues: list[Issue] = []
    reference = getattr(message, "reference", None)
    segments = message.segments
    current: list = [segments[0] if segments else None]
    counts = {"error": 0, "warning": 0}

    def add(code: str, text: str, element: int | None, component: int | None, severity: str = "error") -> None:
        n = counts[severity] = counts[severity] + 1
        if n > MAX_ISSUES_PER_MESSAGE + 1:
            return
        seg = current[0]
        position = Position(
            segment=seg.number, tag=seg.tag, element=element, component=component, line=seg.line, column=seg.column
        )
        if n > MAX_ISSUES_PER_MESSAGE:
            text = f"Further {severity}s in this message not reported"
        issues.append(Issue(code, text, position, ELEMENT_LEVEL if element else SEGMENT_LEVEL, reference, severity))

    if not segments:
        return issues
    mtype = getattr(message, "type", "") or ""
    s009 = (
        getattr(message, "version", "") or "",
        getattr(message, "release", "") or "",
        getattr(message, "agency", "") or "",
    )
    if directory is None:
        directory = directory_for(mtype, *s009)
    service = service_directory(syntax_version or 3)
    structure = directory.message(mtype) if directory is not None else None
    if structure is None:
        if directory is not None:
            why = f"directory {directory.name} has no message {mtype}"
        else:
            name = directory_name(mtype, *s009)
            why = f"directory {name} is not shipped" if name else "it names no UN directory"
        issues.append(
            Issue(
                "17",
                f"Message {mtype} {':'.join(s009)} is not checked against a directory: {why}",
                Position(segment=segments[0].number, tag=segments[0].tag, element=2),
                "message",
                reference,
                "warning",
            )
        )
    service_segments = service.segments
    user_segments = directory.segments if directory is not None else {}
    unt_reported = getattr(message, "trailer", True) is None
    walker = _Walker(structure, add, unt_reported) if structure is not None else None
    for segment in segments:
        current[0] = segment
        tag = segment.tag
        if walker is not None:
            walker.feed(tag)
        specs = user_segments.get(tag) if tag[:1] != "U" else (service_segments.get(tag) or user_segments.get(tag))
        if specs is not None:
            check_segment(segment, specs, add)
    if walker is not None:
        walker.finish()
    return issues


def validate_service_segment(segment: Any, syntax_version: Any, level: str = "interchange") -> list[Issue]:
    """Issues of an envelope segment (UNB, UNG, UNE, UNZ) against the service directory."""
    issues: list[Issue] = []
    specs = service_directory(syntax_version).segments.get(segment.tag)
    if specs is None:
        return issues

    def add(code: str, text: str, element: int | None, component: int | None, severity: str = "error") -> None:
        where = Position(
            segment=segment.number,
            tag=segment.tag,
            element=element,
            component=component,
            line=segment.line,
            column=segment.column,
        )
        issues.append(Issue(code, text, where, level, None, severity))

    check_segment(segment, specs, add)
    return issues


@dataclass
class MessageResult:
    """What validation found in one message; the segments themselves are not kept."""

    type: str
    version: str
    reference: str
    directory: str | None
    segment: int  # number of its UNH within the interchange
    segment_count: int
    issues: list[Issue] = field(default_factory=list)
    association: str = ""
    group_reference: str | None = None  # UNG 0048 of its functional group, if any

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def status(self) -> str:
        if self.errors:
            return MessageStatus.REJECTED.value
        return MessageStatus.ACCEPTED_WITH_WARNINGS.value if self.issues else MessageStatus.ACCEPTED.value


@dataclass
class ValidationResult:
    """The outcome of validating one interchange (or one bare message)."""

    syntax_identifier: str | None = None
    syntax_version: str | None = None
    sender: str | None = None
    recipient: str | None = None
    control_reference: str | None = None
    ack_requested: bool = False
    header: Any = None  # the UNB segment, kept for acknowledgements
    groups: list = field(default_factory=list)
    messages: list[MessageResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # interchange and group level

    @property
    def all_issues(self) -> list[Issue]:
        return self.issues + [i for m in self.messages for i in m.issues]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.all_issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def interchange_errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ":".join(str(v) for v in value if v) or None
    return str(value)


def validate_interchange(source: Any) -> ValidationResult:
    """Read and validate an interchange message by message (streaming; bytes, text, path or stream).

    Raises :class:`edi.exceptions.NotAMessage` only for input that is not EDIFACT at all.
    """
    from edi.parse.interchange import read_interchange

    reader = read_interchange(source)
    result = ValidationResult()
    seen: set[Issue] = set()
    for message in reader:
        syntax = getattr(reader, "syntax_version", None)
        issues = list(getattr(message, "issues", []) or [])
        issues.extend(validate_message(message, syntax_version=syntax))
        issues.sort(key=_by_segment)
        seen.update(issues)
        header = message.header if getattr(message, "header", None) is not None else message.segments[0]
        s009 = (message.version or "", message.release or "", message.agency or "")
        result.messages.append(
            MessageResult(
                type=message.type or "",
                version=":".join(s009),
                reference=message.reference or "",
                directory=directory_name(message.type or "", *s009),
                segment=header.number,
                segment_count=len(message.segments),
                issues=issues,
                association=getattr(message, "association", "") or "",
                group_reference=getattr(message, "group_reference", None),
            )
        )
    _fill_envelope(result, reader, seen)
    return result


def _by_segment(issue: Issue) -> int:
    return issue.position.segment or 0


def _fill_envelope(result: ValidationResult, reader: Any, seen: set[Issue]) -> None:
    result.syntax_identifier = getattr(reader, "syntax_identifier", None)
    result.syntax_version = getattr(reader, "syntax_version", None)
    result.sender = _text(getattr(reader, "sender", None))
    result.recipient = _text(getattr(reader, "recipient", None))
    result.control_reference = _text(getattr(reader, "control_reference", None))
    result.ack_requested = bool(getattr(reader, "ack_requested", False))
    result.header = getattr(reader, "header", None)
    result.groups = list(getattr(reader, "groups", None) or [])
    issues = [i for i in (getattr(reader, "issues", None) or []) if i not in seen]
    for segment in (result.header, getattr(reader, "trailer", None)):
        if segment is not None:
            issues.extend(validate_service_segment(segment, result.syntax_version))
    for group in result.groups:
        for segment in (getattr(group, "header", None), getattr(group, "trailer", None)):
            if segment is not None:
                found = validate_service_segment(segment, result.syntax_version, "group")
                issues.extend(found)
                getattr(group, "issues", []).extend(found)
    issues.sort(key=_by_segment)
    result.issues = issues
