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
  digits), 38 decimal mark without a digit before it, 39 too long, 40 too short (warnings where
  nothing is lost in reading: :mod:`edi.validation.leniency`);
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

from collections.abc import Callable
from typing import Any

from edi.directory.load import Directory, directory_for, directory_name, service_directory
from edi.issues import Issue, Position
from edi.parse.interchange import read_interchange
from edi.validation.elements import check_segment, check_value
from edi.validation.leniency import lengths_as_written, newer_codes, other_syntax
from edi.validation.results import MessageResult, ValidationResult
from edi.validation.structure import StructureWalker

__all__ = [
    "MessageResult",
    "ValidationResult",
    "check_segment",
    "check_value",
    "validate_interchange",
    "validate_message",
    "validate_service_segment",
]

ELEMENT_LEVEL = "element"
SEGMENT_LEVEL = "segment"
MAX_ISSUES_PER_MESSAGE = 200


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
    walker = StructureWalker(structure, add, unt_reported) if structure is not None else None
    last = len(segments) - 1
    as_written = lengths_as_written(newer_codes(add, current, user_segments))
    for index, segment in enumerate(segments):
        current[0] = segment
        tag = segment.tag
        if walker is not None:
            walker.feed(tag, segments[index + 1].tag if index < last else None)
        if tag[:1] == "U" and tag in service_segments:
            check_segment(segment, service_segments[tag], other_syntax(add, segment, syntax_version))
        elif (specs := user_segments.get(tag)) is not None:
            check_segment(segment, specs, as_written)
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

    check_segment(segment, specs, other_syntax(add, segment, syntax_version))
    return issues


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ":".join(str(v) for v in value if v) or None
    return str(value)


def validate_interchange(
    source: Any, *, on_message: Callable[[Any, MessageResult, Any], None] | None = None
) -> ValidationResult:
    """Read and validate an interchange message by message, streaming.

    ``source``: bytes, EDIFACT text (a ``str`` is the message itself), a :class:`pathlib.Path`
    or a binary stream. Raises :class:`edi.exceptions.NotAMessage` only for input that is not
    EDIFACT at all. ``on_message(message, its result, reader)`` is called for each message while
    its segments are still at hand, so that a caller can map it in the same single pass.
    """
    reader = read_interchange(source)
    result = ValidationResult()
    for message in reader:
        syntax = getattr(reader, "syntax_version", None)
        issues = list(getattr(message, "issues", []) or [])
        issues.extend(validate_message(message, syntax_version=syntax))
        issues.sort(key=_by_segment)
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
        if on_message is not None:
            on_message(message, result.messages[-1], reader)
    _fill_envelope(result, reader)
    return result


def _by_segment(issue: Issue) -> int:
    return issue.position.segment or 0


def _fill_envelope(result: ValidationResult, reader: Any) -> None:
    result.syntax_identifier = getattr(reader, "syntax_identifier", None)
    result.syntax_version = getattr(reader, "syntax_version", None)
    result.sender = _text(getattr(reader, "sender", None))
    result.recipient = _text(getattr(reader, "recipient", None))
    result.control_reference = _text(getattr(reader, "control_reference", None))
    result.ack_requested = bool(getattr(reader, "ack_requested", False))
    result.test = _text(getattr(reader, "test_indicator", None)) in ("1", "2")  # 2: syntax 4 syntax-only test
    result.header = getattr(reader, "header", None)
    result.trailer = getattr(reader, "trailer", None)
    result.una = reader.delimiters if getattr(reader, "una", False) else None
    result.groups = list(getattr(reader, "groups", None) or [])
    issues = list(getattr(reader, "issues", None) or [])  # the reader routes each issue to one place
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
