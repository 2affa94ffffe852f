"""CONTRL acknowledgements (ISO 9735 syntax and service report) for a validated interchange.

A CONTRL is due when the sender asked for one (UNB 0031 = 1, or 2 for a mere indication of receipt
in syntax 4) or when anything was rejected. It answers from the original recipient to the original
sender under a new control reference, in the received syntax version, character set and service
characters (:func:`reply_unb`, :mod:`edi.writing`): CONTRL 4:1 for syntax 4, D:3 (its
specification covers syntax 1 to 3) before, each 0085 as that version's code list has it.

* UCI: the interchange, received (0083 = 8, receipt only asked and nothing rejected), acknowledged
  (7) or rejected (4) with the first interchange-level error (0085, the UNA/UNB/UNZ tag, S011);
* UCF per functional group (UNG/UNE), then a UCM per message, acknowledged or rejected with a
  0085 code (errors in UNH/UNT, a missing UNT included, are named there with their tag);
* UCS per erroneous segment (its position in the message, UNH = 1; a missing segment at the last
  segment read before the gap) and UCD per erroneous data element (S011: element position counting
  the tag as 1, component position).

One bad message never sinks the good ones: each message gets its own UCM. Under a rejected
interchange or group (4: this level and all lower levels rejected) no message is reported
acknowledged; only those with errors of their own are listed. Warnings (code list extensions by
agreement, unknown directories) do not reject anything and are not reported. The CONTRL is built
as pydifact segments.

    >>> result = validate_interchange(data)
    >>> text = build_contrl(result, control_reference="C0001")   # None when no CONTRL is due
"""

from __future__ import annotations

import itertools
import secrets
import time
from datetime import UTC, datetime

from pydifact.segments import Segment as PydifactSegment

from edi.choices import ActionCode
from edi.directory.load import service_directory
from edi.issues import Issue
from edi.validate import MessageResult, ValidationResult
from edi.writing import write_interchange

ENVELOPE_SEGMENT_TAGS = frozenset({"UNA", "UNB", "UNZ", "UNG", "UNE", "UNH", "UNT"})
CONTRL_IDENTIFIER = {3: ["CONTRL", "D", "3", "UN"], 4: ["CONTRL", "4", "1", "UN"]}
ERROR_CODE_INDEX = {"UCI": 4, "UCF": 4, "UCM": 3, "UCS": 1, "UCD": 0}  # where 0085 sits in each
SUBSTITUTE_ERROR_CODES = {"46": "2", "38": "12", "19": "12"}  # see _error_codes_of_version
MAX_UCS = 999
MAX_UCD = 99
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEQUENCE_SPACE = 36**4
# each process counts from its own random place: two workers writing in the same millisecond meet only
# when their counters coincide (1 in 36**4), not whenever they have written as many interchanges
_counter = itertools.count(secrets.randbelow(SEQUENCE_SPACE))


def contrl_due(result: ValidationResult) -> bool:
    """Whether the sender gets a CONTRL: it asked for one (or, in syntax 4, for an indication of
    receipt), or something was rejected.

    Never for an interchange of CONTRLs (a CONTRL is not acknowledged by a CONTRL) nor for a
    bare message or a UNB that names no sender (nobody to answer).
    """
    if not _answerable(result) or (result.messages and all(m.type == "CONTRL" for m in result.messages)):
        return False
    return result.ack_requested or receipt_requested(result) or not result.ok


def _answerable(result: ValidationResult) -> bool:
    """There is a UNB and it names its sender (S002 0004): the recipient of our answer."""
    return result.header is not None and bool(_get(result.header, 2, 1))


def receipt_requested(result: ValidationResult) -> bool:
    """UNB 0031 = 2, syntax 4's "indication of receipt": confirmation of receipt only (UCI 0083 = 8)."""
    return _get(result.header, 9) == "2" and reply_syntax(result.header)[1] == "4"


def build_contrl(
    result: ValidationResult,
    *,
    control_reference: str | None = None,
    now: datetime | None = None,
    force: bool = False,
    sender: str = "",
) -> str | None:
    """The CONTRL interchange answering ``result`` as EDIFACT text, or None when none is due.

    Bare messages (no UNB) and interchanges whose UNB names no sender get none: there is nobody to
    address it to (the message's state and errors still say what happened).
    """
    if not _answerable(result) or not (force or contrl_due(result)):
        return None
    segments = contrl_segments(result, control_reference=control_reference, now=now, sender=sender)
    return write_interchange(segments, result.una, repetition=segments[0].elements[0][1] == "4")


def contrl_segments(
    result: ValidationResult,
    *,
    control_reference: str | None = None,
    now: datetime | None = None,
    sender: str = "",
) -> list[PydifactSegment]:
    """The CONTRL interchange (UNB to UNZ) as pydifact segments; ``sender``: ours if the subject names no recipient."""
    header = result.header
    reference = control_reference or new_control_reference()
    unb = reply_unb(header, reference=reference, now=now or datetime.now(UTC), sender=sender)
    syntax = 4 if unb.elements[0][1] == "4" else 3
    if result.ok and not result.ack_requested and receipt_requested(result):
        body = [_segment("UNH", "1", CONTRL_IDENTIFIER[syntax]), _uci(result, header, ActionCode.RECEIVED)]
    else:  # acknowledged or rejected, level by level (a rejection is told even when only receipt was asked)
        uci = _uci(result, header)
        body = [_segment("UNH", "1", CONTRL_IDENTIFIER[syntax]), uci, *_lower_levels(result, _rejects(uci))]
    _error_codes_of_version(body, unb.elements[0][1])
    body.append(_segment("UNT", str(len(body) + 1), "1"))
    return [unb, *body, _segment("UNZ", "1", reference)]


def reply_unb(header, *, reference: str, now: datetime, sender: str = "") -> PydifactSegment:
    """The UNB of our answer (CONTRL or APERAK) to the interchange whose UNB is ``header``.

    It mirrors the partner's: the received syntax version (1 to 4; an unknown one is answered in 3)
    and character set (one that version does not know is answered in UNOA); the interchange
    recipient becomes the sender with its qualifier and internal identification (0014 -> 0008,
    0046 -> 0042) and the sender the recipient (0008 -> 0014, 0042 -> 0046); the date in the
    version's form (CCYYMMDD in 4, YYMMDD before); a test interchange (0035) is answered as one.
    ``sender`` is our identification for a subject UNB that names no recipient.
    """
    identifier, version = reply_syntax(header)
    parts = 4 if version == "4" else 3  # 0042/0046, the internal sub-identifications, are syntax 4's
    ours = [_get(header, 3, k) for k in range(1, parts + 1)]
    ours = ours if ours[0] else [sender[:35]]
    theirs = [_get(header, 2, k) for k in range(1, parts + 1)]
    date = now.strftime("%Y%m%d" if version == "4" else "%y%m%d")
    test = _get(header, 11)  # 1 a test, 2 (syntax 4) a syntax-only test
    test = test if test in (service_directory(int(version)).codes.get("0035") or ()) else ""
    stamp = [date, now.strftime("%H%M")]
    return _segment("UNB", [identifier, version], ours, theirs, stamp, reference, "", "", "", "", "", test)


def _error_codes_of_version(body: list[PydifactSegment], version: str) -> None:
    """Write each 0085 as the reply's syntax version has it (its code list differs from version to version).

    Syntax 1 to 3 have no 46 (character set not supported): the character set is the syntax level there,
    so it is 2 (syntax version or level not supported); syntax 4 dropped 38 (missing digit in front of
    the decimal sign) and 19 (invalid decimal notation): an invalid value (12) there. Any other code the
    version lacks is 18 (unspecified error), which every version has.
    """
    known = service_directory(int(version)).codes.get("0085") or frozenset()
    for segment in body:
        index = ERROR_CODE_INDEX.get(segment.tag)
        if index is not None and index < len(segment.elements):
            code = segment.elements[index]
            if code and code not in known:
                segment.elements[index] = SUBSTITUTE_ERROR_CODES.get(code, "18")


def reply_syntax(header) -> tuple[str, str]:
    """UNB S001 of an answer to ``header``: (syntax identifier 0001, syntax version 0002)."""
    version = _get(header, 1, 2)
    version = version if version in ("1", "2", "3", "4") else "3"
    received = _get(header, 1, 1)
    known = service_directory(int(version)).codes.get("0001") or frozenset()
    return (received if received in known else "UNOA"), version


def _lower_levels(result: ValidationResult, interchange_rejected: bool) -> list[PydifactSegment]:
    """UCF per group and UCM per message (with their UCS/UCD), consistent with the level above.

    0083 = 4 rejects a level and every level below it, so under a rejected interchange or group a
    message is not reported acknowledged (7): only the messages with errors of their own are
    listed, rejected with those errors; a group is listed when it or one of its messages has errors.
    """
    grouped: dict[str | None, list[MessageResult]] = {}
    for message in result.messages:
        grouped.setdefault(message.group_reference if result.groups else None, []).append(message)
    out: list[PydifactSegment] = []
    for message in grouped.get(None, []):
        if message.errors or not interchange_rejected:
            out.extend(_message_segments(message))
    for group in result.groups:
        ucf = _ucf(group)
        group_rejected = interchange_rejected or _rejects(ucf)
        reported = [m for m in grouped.get(getattr(group, "reference", None), []) if m.errors or not group_rejected]
        if interchange_rejected and not _rejects(ucf):
            if not reported:
                continue  # rejected with the interchange, nothing of its own to say
            ucf = _segment("UCF", *ucf.elements[:3], ActionCode.REJECTED.value)  # its messages' errors follow
        out.append(ucf)
        for message in reported:
            out.extend(_message_segments(message))
    return out


def _rejects(segment: PydifactSegment) -> bool:
    """Whether a UCI or UCF says 0083 = 4 (its fourth element)."""
    return segment.elements[3] == ActionCode.REJECTED.value


def new_control_reference() -> str:
    """A fresh interchange control reference (0020, an..14): ``C``, the millisecond in base 36 (9
    characters, ordered for some 3,000 years) and a per-process sequence (4 characters).

    Unique within a process; across the worker processes sending to one partner, two references can
    only meet in the same millisecond with equal sequences. A partner's translator discards a second
    interchange from us under a reference it has seen (a duplicate, ISO 9735 code 26).
    """
    return "C" + _base36(time.time_ns() // 1_000_000, 9) + _base36(next(_counter) % SEQUENCE_SPACE, 4)


def _base36(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 36)
        digits.append(BASE36[digit])
    return "".join(reversed(digits))


def _get(segment, element: int, component: int = 1) -> str:
    try:
        value = segment.elements[element - 1]
        if value and type(value[0]) is list:  # Repetitions: the first occurrence
            value = value[0]
        return value[component - 1]
    except (IndexError, TypeError):
        return ""


def _segment(tag: str, *elements) -> PydifactSegment:
    """A pydifact segment without trailing empty elements or components."""
    cleaned: list = []
    for element in elements:
        if isinstance(element, list):
            while element and not element[-1]:
                element = element[:-1]
            cleaned.append(element if len(element) > 1 else (element[0] if element else ""))
        else:
            cleaned.append(element or "")
    while cleaned and cleaned[-1] == "":
        cleaned.pop()
    return PydifactSegment(tag, *cleaned)


def _error_fields(issue: Issue | None, tag: str = "") -> list:
    """0085, the service segment tag (0013/0135) and S011 of an issue, for UCI, UCF and UCM.

    ``tag`` names the service segment the error is in (or the one missing), ``""`` for none.
    """
    if issue is None:
        return []
    s011 = _s011(issue) if tag and issue.position.tag == tag else ""
    return [issue.code, tag, s011]


def _s011(issue: Issue) -> list | str:
    """S011: element position counting the segment tag as 1, and the component position."""
    element = issue.position.element
    if element is None:
        return ""
    component = issue.position.component
    return [str(min(element + 1, 999)), str(component) if component is not None else ""]


def _uci(result: ValidationResult, header, action: ActionCode | None = None) -> PydifactSegment:
    errors = [i for i in result.issues if i.severity == "error" and i.level == "interchange"]
    action = action or (ActionCode.REJECTED if errors else ActionCode.ACKNOWLEDGED)
    first = errors[0] if errors else None
    missing = "UNZ" if result.trailer is None else ""
    parts = 4 if reply_syntax(header)[1] == "4" else 3  # S002/S003 as the subject UNB has them
    return _segment(
        "UCI",
        _get(header, 5) or result.control_reference or "",
        [_get(header, 2, k) for k in range(1, parts + 1)],
        [_get(header, 3, k) for k in range(1, parts + 1)],
        action.value,
        *_error_fields(first, _service_tag(first, ("UNA", "UNB", "UNZ"), missing)),
    )


def _ucf(group) -> PydifactSegment:
    ung = group.header
    errors = [i for i in getattr(group, "issues", []) if i.severity == "error"]
    action = ActionCode.REJECTED if errors else ActionCode.ACKNOWLEDGED
    first = errors[0] if errors else None
    missing = "UNE" if getattr(group, "trailer", None) is None else ""
    return _segment(
        "UCF",
        _get(ung, 5),
        [_get(ung, 2, 1), _get(ung, 2, 2)],
        [_get(ung, 3, 1), _get(ung, 3, 2)],
        action.value,
        *_error_fields(first, _service_tag(first, ("UNG", "UNE"), missing)),
    )


def _service_tag(issue: Issue | None, tags: tuple[str, ...], missing: str) -> str:
    """The service segment (0135) a UCI or UCF names for ``issue``: one of its own ``tags`` only.

    A trailer that never came (``missing``) is named for the "missing" error the reader reported
    where it noticed (the last segment read, or the next group's UNG); errors elsewhere (a segment
    outside any message, a message of the wrong type in a group) name no segment.
    """
    if issue is None:
        return ""
    if issue.position.tag in tags:
        return issue.position.tag
    return missing if missing and issue.code == "13" else ""


def _message_segments(message: MessageResult) -> list[PydifactSegment]:
    """UCM for one message, then a UCS (and its UCDs) per erroneous or missing segment."""
    errors = message.errors
    action = ActionCode.REJECTED if errors else ActionCode.ACKNOWLEDGED
    envelope = [i for i in errors if _envelope_segment(i, message)]
    headline = envelope[0] if envelope else (errors[0] if errors else None)
    version, release, agency = (message.version.split(":") + ["", "", ""])[:3]
    ucm = _segment(
        "UCM",
        message.reference,
        [message.type, version, release, agency, message.association],
        action.value,
        *_error_fields(headline, _envelope_segment(headline, message) if envelope else ""),
    )
    out = [ucm]
    reports: dict[tuple[int, bool], list[Issue]] = {}  # (UCS position, a missing segment) -> issues
    for issue in errors:
        if issue is headline and envelope:
            continue
        if _envelope_segment(issue, message) == "UNT" and issue.position.segment is None:
            continue  # a missing UNT has no position in the message body
        position = _ucs_position(issue, message)
        if position is not None:
            reports.setdefault((position, _missing_segment(issue)), []).append(issue)
    for position, missing in sorted(reports)[:MAX_UCS]:
        issues = reports[(position, missing)]
        segment_level = next((i for i in issues if i.position.element is None), None)
        out.append(_segment("UCS", str(position), segment_level.code if segment_level else ""))
        for issue in [i for i in issues if i.position.element is not None][:MAX_UCD]:
            out.append(_segment("UCD", issue.code, _s011(issue)))
    return out


def _missing_unt(issue: Issue) -> bool:
    """The reader's report of a message without UNT (code 13 at message level)."""
    return issue.code == "13" and issue.level == "message"


def _missing_segment(issue: Issue) -> bool:
    """A mandatory segment or segment group found missing (code 13 on a segment, not an element)."""
    return (
        issue.code == "13" and issue.level == "segment" and issue.position.element is None and bool(issue.position.tag)
    )


def _envelope_segment(issue: Issue | None, message: MessageResult) -> str:
    """``UNH`` or ``UNT`` when ``issue`` is about the message's own header or trailer, else ``""``.

    A mandatory segment found missing when UNT came is not an error of UNT; a missing UNT is
    reported wherever the reader noticed it (the next envelope segment or the end of input).
    """
    if issue is None:
        return ""
    if _missing_unt(issue):
        return "UNT"
    if _missing_segment(issue):
        return ""
    number, tag = issue.position.segment, issue.position.tag
    if tag == "UNH" and number == message.segment:
        return "UNH"
    if tag == "UNT" and number == message.segment + message.segment_count - 1:
        return "UNT"
    return ""


def _ucs_position(issue: Issue, message: MessageResult) -> int | None:
    """UCS 0096: the segment's position in the message, UNH = 1.

    For a missing segment it is the last segment processed before the place where the missing one
    was expected (ISO 9735): the validator notices the gap at the segment after it, or at the end
    of a message that has no UNT (then the last segment read is the one before the gap).
    """
    number = issue.position.segment
    if number is None:
        return None
    last = message.segment_count
    position = number - message.segment + 1
    if not 1 <= position <= last:
        return None
    if _missing_segment(issue):
        ended = position == last and any(_missing_unt(i) for i in message.errors)
        position = position if ended else position - 1
    return max(position, 1)
