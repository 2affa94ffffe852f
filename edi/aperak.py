"""APERAK (application error and acknowledgement) for the application problems a mapping found.

CONTRL (:mod:`edi.acknowledge`) answers syntax; APERAK answers meaning: a container number with a
wrong check digit, a place that is no UN/LOCODE, a qualifier or status code outside the tables,
a missing container or time. One APERAK answers one message, correlated with it by RFF ACW (its
UNH message reference) and RFF AGO (its document number, BGM 1004), its issuer and recipient named
in NAD MS and MR, in D.96A, the version every
partner directory since can read. Each issue is an ERC (UNCL 9321 code: 12 invalid value, 13
missing, 14 not supported) with its text and position in the FTX that follows. BGM 4343 says RE
(rejected) when a fact was dropped, CA (conditionally accepted) when all was mapped with warnings.
Written with pydifact's ``Serializer`` like the CONTRL.

    >>> text = build_aperak(result.issues, message_type="CODECO", message_reference="1",
    ...                     document_number="GATEIN20261125", sender="LOGIHUB", recipient="CNSHATERM")
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pydifact.segments import Segment as PydifactSegment

from edi.acknowledge import new_control_reference, reply_unb
from edi.issues import Issue
from edi.writing import fit_repertoire, write_interchange

APERAK_IDENTIFIER = ["APERAK", "D", "96A", "UN"]
APERAK_SYNTAX = ["UNOC", "3"]
APPLICATION_CODES = frozenset({"12", "13", "14"})
MAX_ERRORS = 999
FTX_CHUNK = 70  # 4440 is an..70 in D.96A, five of them to an FTX


def reportable(issues: Iterable[Issue], include_warnings: bool = True) -> list[Issue]:
    """The issues an APERAK carries: application codes, errors and (by default) warnings."""
    return [
        i
        for i in issues
        if i.code in APPLICATION_CODES and (include_warnings or i.severity == "error") and i.position.tag != "UNH"
    ]


def build_aperak(
    issues: Iterable[Issue],
    *,
    message_type: str,
    message_reference: str,
    sender: str,
    recipient: str,
    document_number: str | None = None,
    control_reference: str | None = None,
    now: datetime | None = None,
    include_warnings: bool = True,
    answering: Any = None,
    una: Any = None,
) -> str | None:
    """The APERAK interchange (EDIFACT text) from us (``sender``) to the partner, or None when nothing to say.

    ``answering`` is the UNB of the interchange that carried the message: the APERAK's UNB then mirrors
    it (:func:`edi.acknowledge.reply_unb`: qualifiers, internal ids, syntax, test flag) and is written in
    the service characters of its UNA (``una``), as the CONTRL is.
    """
    found = reportable(issues, include_warnings)
    if not found:
        return None
    segments = aperak_segments(
        found,
        message_type=message_type,
        message_reference=message_reference,
        sender=sender,
        recipient=recipient,
        document_number=document_number,
        control_reference=control_reference,
        now=now,
        answering=answering,
    )
    return write_interchange(segments, una, repetition=segments[0].elements[0][1] == "4")


def aperak_segments(
    issues: list[Issue],
    *,
    message_type: str,
    message_reference: str,
    sender: str,
    recipient: str,
    document_number: str | None = None,
    control_reference: str | None = None,
    now: datetime | None = None,
    answering: Any = None,
) -> list[PydifactSegment]:
    """UNB to UNZ of one APERAK answering ``message_reference`` (issues already chosen)."""
    now = now or datetime.now(UTC)
    reference = control_reference or new_control_reference()
    if answering is not None:
        unb = reply_unb(answering, reference=reference, now=now, sender=sender)
    else:
        stamp = [now.strftime("%y%m%d"), now.strftime("%H%M")]
        unb = PydifactSegment("UNB", APERAK_SYNTAX, sender[:35], recipient[:35], stamp, reference)
    charset = unb.elements[0][0]
    rejected = any(i.severity == "error" for i in issues)
    body: list[PydifactSegment] = [
        PydifactSegment("UNH", "1", APERAK_IDENTIFIER),
        PydifactSegment("BGM", "", f"AP{reference}"[:35], "9", "RE" if rejected else "CA"),
        PydifactSegment("DTM", ["137", now.strftime("%Y%m%d%H%M"), "203"]),
        PydifactSegment("RFF", ["ACW", message_reference[:35]]),
    ]
    if document_number:
        body.append(PydifactSegment("RFF", ["AGO", document_number[:35]]))
    for qualifier, party in (("MS", _party(unb, 2)), ("MR", _party(unb, 3))):  # issuer (us), recipient
        if party:
            body.append(PydifactSegment("NAD", qualifier, party[:35]))
    for issue in issues[:MAX_ERRORS]:
        body.append(PydifactSegment("ERC", issue.code))
        text = fit_repertoire(_describe(issue, message_type), charset)
        body.append(PydifactSegment("FTX", "AAO", "", "", _text_components(text)))
    body.append(PydifactSegment("UNT", str(len(body) + 1), "1"))
    return [unb, *body, PydifactSegment("UNZ", "1", reference)]


def _party(unb: PydifactSegment, element: int) -> str:
    """The identification (0004/0010) of the UNB's sender (2) or recipient (3)."""
    value = unb.elements[element - 1]
    return value[0] if isinstance(value, list) else value


def _describe(issue: Issue, message_type: str) -> str:
    where = str(issue.position)
    return f"{message_type} {where}: {issue.message}" if where else f"{message_type}: {issue.message}"


def _text_components(text: str) -> list[str] | str:
    parts = textwrap.wrap(text, FTX_CHUNK, break_long_words=True) or [""]
    parts = parts[:5]
    return parts if len(parts) > 1 else parts[0]


def aperak_for(result: Any, message: Any, *, sender: str, recipient: str, **options: Any) -> str | None:
    """The APERAK answering one mapped message (``edi.map.map_message``'s result), or None."""
    bgm = next((s for s in message.body if s.tag == "BGM"), None)
    return build_aperak(
        result.issues,
        message_type=message.type,
        message_reference=message.reference,
        document_number=bgm.get(2) if bgm is not None else None,
        sender=sender,
        recipient=recipient,
        **options,
    )
