"""The translation document of a message file: ``{"messages": [...], "events": [...], "errors": [...]}``.

This is what ``manage.py edi translate`` prints (see the SPEC): each message names its type,
version, reference, sender, recipient and status; each error its ISO 9735 code (syntax) or
UNCL 9321 code (application), message and position; the events are the canonical events of
the messages that passed validation (:mod:`edi.map`). :func:`translate_edifact` also builds
the acknowledgements due to the sender: a CONTRL for syntax, an APERAK per message whose
facts could not all be mapped.

    >>> translate_file(Path("codeco.edi"))["messages"][0]["status"]
    'accepted'

An XML document is translated by :mod:`edi.customs_xml` into the same document (errors carry
the element's path and line). Input that is not a message at all raises
:class:`edi.exceptions.NotAMessage`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from edi.detect import detect
from edi.exceptions import NotAMessage
from edi.validate import ValidationResult, validate_interchange

MAX_BYTES = 256 * 1024 * 1024


def translate_file(path: str | Path) -> dict[str, Any]:
    """Read, validate and translate one message file."""
    path = Path(path)
    if not path.is_file():
        raise NotAMessage(f"No such file: {path}")
    if path.stat().st_size > MAX_BYTES:
        raise NotAMessage(f"File too large to translate: {path} ({path.stat().st_size} bytes)")
    with open(path, "rb") as fh:
        head = fh.read(65536)
    detection = detect(head)
    if detection.format != "edifact":
        from edi.customs_xml import translate_xml

        return translate_xml(path.read_bytes()).document
    return translate_edifact(path).document


def translate_bytes(data: bytes) -> dict[str, Any]:
    """The translation document of raw EDIFACT bytes."""
    detect(data)
    return translate_edifact(data).document


@dataclass
class Translation:
    """One interchange read, validated and mapped, with the acknowledgements due to its sender."""

    document: dict[str, Any]
    validation: ValidationResult
    acknowledgements: list[dict[str, str]] = field(default_factory=list)


def translate_edifact(source: Any, *, raw_message_id: Any = None, received: Any = None) -> Translation:
    """Validate ``source`` (bytes or a Path), map the messages validation accepted, build CONTRL/APERAK.

    One pass over the input: each message is mapped (and answered) as soon as it is validated.
    """
    from edi.acknowledge import build_contrl
    from edi.aperak import aperak_for
    from edi.map import interchange_date, map_message

    facts = {"received": received} if received is not None else {}
    mapped_messages: list[tuple[int, Any]] = []  # (the message's place in the interchange, its mapping)
    seen: list[Any] = []
    aperaks: list[dict[str, str]] = []

    def map_accepted(message: Any, result: Any, reader: Any) -> None:
        seen.append(result)
        if result.status == "rejected":
            return
        facts.setdefault("prepared", interchange_date(reader.header))
        mapped = map_message(
            message, sender=reader.sender, recipient=reader.recipient, raw_message_id=raw_message_id, **facts
        )
        mapped_messages.append((len(seen) - 1, mapped))
        if reader.sender:
            aperak = aperak_for(
                mapped,
                message,
                sender=reader.recipient or settings.PLATFORM_EDI_ID,
                recipient=reader.sender,
                answering=reader.header,
                una=reader.delimiters if reader.una else None,
            )
            if aperak is not None:
                aperaks.append({"type": "APERAK", "format": "edifact", "body": aperak, "answers": message.reference})

    validation = validate_interchange(source, on_message=map_accepted)
    document = translate_result(validation)
    told: dict[str, dict] = {}  # one fact told by two messages (a vessel's call) is one event
    for place, mapped in mapped_messages:  # by place: two messages may share a reference (code 26)
        for event in mapped.events:
            first = told.get(event["eventID"])
            if first is None:
                told[event["eventID"]] = event
                document["events"].append(event)
            else:
                _add_references(first, event)
        entry = document["messages"][place]
        if mapped.withdraws is not None:  # a replacement or cancellation: tracking.withdrawals applies it
            restates = (
                [event["eventID"] for event in mapped.events] if mapped.withdraws["document"]["function"] == "5" else []
            )
            entry["withdraws"] = {**mapped.withdraws, "restates": restates}
        flagged = _flagged_values(entry)
        for issue in mapped.issues:
            data = issue.as_dict()
            if _said_already(data, issue.severity, flagged):
                continue
            if issue.severity == "error":
                document["errors"].append(data)
            if entry is not None:
                entry["errors" if issue.severity == "error" else "warnings"].append(data)
        if entry["status"] == "accepted" and (entry["errors"] or entry["warnings"]):
            entry["status"] = "accepted_with_warnings"  # read whole; what its mapping says is told beside it
        if mapped.acknowledgement is not None:
            document.setdefault("acknowledgements", []).append(mapped.acknowledgement)
    contrl = build_contrl(validation, sender=settings.PLATFORM_EDI_ID)
    acknowledgements = (
        [{"type": "CONTRL", "format": "edifact", "body": contrl}] if contrl is not None else []
    ) + aperaks
    return Translation(document=document, validation=validation, acknowledgements=acknowledgements)


def _add_references(event: dict, again: dict) -> None:
    """The documents a fact told again names, added to the event that told it first: one container loaded
    for two bills (a consolidation, each bill its own CNI group) is one load, and both bills' to follow."""
    known = list(event.get("documentReferences") or ())
    for reference in again.get("documentReferences") or ():
        if reference not in known:
            known.append(reference)
    if known:
        event["documentReferences"] = known


def _flagged_values(entry: dict | None) -> set[tuple[Any, Any]]:
    """(segment, element) of the values the directory check already found outside their code list."""
    if entry is None:
        return set()
    return {
        (i["position"].get("segment"), i["position"].get("element"))
        for i in (*entry["errors"], *entry["warnings"])
        if i["code"] == "12"
    }


def _said_already(data: dict, severity: str, flagged: set[tuple[Any, Any]]) -> bool:
    """A mapping warning about an unknown qualifier (14) where the directory check flagged that value (12)."""
    position = data.get("position") or {}
    return (
        severity != "error" and data["code"] == "14" and (position.get("segment"), position.get("element")) in flagged
    )


def translate_result(result: ValidationResult) -> dict[str, Any]:
    """Shape a :class:`ValidationResult` as the SPEC's document (warnings ride along per message)."""
    messages = [
        {
            "type": item.type,
            "version": item.version,
            "reference": item.reference,
            "sender": result.sender,
            "recipient": result.recipient,
            "status": item.status,
            "errors": [issue.as_dict() for issue in item.errors],
            "warnings": [issue.as_dict() for issue in item.issues if issue.severity != "error"],
        }
        for item in result.messages
    ]
    document = {
        "messages": messages,
        "events": [],
        "errors": [issue.as_dict() for issue in result.errors],
        "interchangeErrors": [issue.as_dict() for issue in result.interchange_errors],
        # what the envelope was read past (a v4 date under UNOA:2, UNOY:3): no message carries these
        "interchangeWarnings": [issue.as_dict() for issue in result.issues if issue.severity != "error"],
    }
    if result.test:  # UNB 0035 = 1: translated and answered, never stored as facts (see edi.processing)
        document["test"] = True
    return document


def format_issue(issue: Any) -> str:
    """One line for a terminal: ``segment 5 CNI, element 2: [15] Segment CNI is not ...``."""
    data = issue if isinstance(issue, dict) else issue.as_dict()
    position = data.get("position") or {}
    parts = []
    if position.get("segment") is not None:
        parts.append(f"segment {position['segment']}" + (f" {position['tag']}" if position.get("tag") else ""))
    if position.get("element") is not None:
        parts.append(f"element {position['element']}")
    if position.get("component") is not None:
        parts.append(f"component {position['component']}")
    if position.get("path"):
        parts.append(position["path"])
    if position.get("line") is not None:
        parts.append(f"line {position['line']}")
    where = ", ".join(parts) or "interchange"
    severity = "" if data.get("severity", "error") == "error" else f"{data['severity']} "
    return f"{where}: {severity}[{data['code']}] {data['message']}"
