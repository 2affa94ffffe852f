"""Customs XML in the translation layer: open, validate, map, answer — the SPEC's document for XML.

    >>> translation = translate_xml(body)
    >>> translation.document["messages"][0]["type"], translation.document["events"]
    >>> translation.acknowledgements        # a receipt naming the element, when we refused it

Stages (one module each): :mod:`.read` (detect, parse safely, DXP/SOAP off, namespace repair,
the table), :mod:`.validate` (our XSDs), :mod:`.engine` (cargo facts by the tables in
:mod:`edi.mappings.xml`) and :mod:`.answers` (answers through the customs gateway's reader),
:mod:`.receipt` (the refusal sent back). Each message entry says its ``role``: ``cargo`` facts
go to the tracking store, an ``answer`` goes to the customs gateway's state machine
(:mod:`edi.processing`). Input that is no XML message at all raises
:class:`edi.exceptions.NotAMessage`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from edi.customs_xml.engine import Header, map_opened, read_header
from edi.customs_xml.read import Opened, open_message, option
from edi.customs_xml.validate import validate_opened
from edi.detect import detect
from edi.exceptions import NotAMessage, ParseError, UnknownMessageType
from edi.issues import Issue


@dataclass
class XmlTranslation:
    document: dict[str, Any]
    acknowledgements: list[dict[str, str]] = field(default_factory=list)


def translate_xml(body: bytes, *, raw_message_id: Any = None, party: str | None = None,
                  received: str | None = None) -> XmlTranslation:  # fmt: skip
    """The translation document of one customs XML message, and the receipt due when it is refused."""
    try:
        opened = open_message(body)
    except NotAMessage:
        raise
    except (ParseError, UnknownMessageType) as exc:
        return _unreadable(body, exc, party)
    header = read_header(opened)
    issues = list(opened.warnings) + validate_opened(opened)
    rejected = any(issue.severity == "error" for issue in issues)
    events: list[dict] = []
    if not rejected:
        mapped = map_opened(opened, header, raw_message_id=raw_message_id, party=party, received=received)
        events, issues = mapped.events, issues + mapped.issues
    entry = _entry(opened, header, issues, "rejected" if rejected else "accepted")
    document = {
        "messages": [entry],
        "events": events,
        "errors": [i.as_dict() for i in issues if i.severity == "error"],
        "interchangeErrors": [],
    }
    acknowledgements = _receipt(entry, document["errors"], header.sender or party) if rejected else []
    return XmlTranslation(document, acknowledgements)


def _entry(opened: Opened, header: Header, issues: list[Issue], status: str) -> dict:
    return {
        "type": header.type,
        "version": header.version,
        "reference": header.reference,
        "sender": header.sender,
        "recipient": header.recipient,
        "status": status,
        "family": opened.family,
        "function": header.function,
        "role": "answer" if option(opened.table, "ANSWER", False) else "cargo",
        "errors": [i.as_dict() for i in issues if i.severity == "error"],
        "warnings": [i.as_dict() for i in issues if i.severity != "error"],
    }


def _unreadable(body: bytes, exc: ParseError | UnknownMessageType, party: str | None) -> XmlTranslation:
    """A document that is XML but cannot be read or is of no type we map: one rejected message."""
    detection = detect(body)
    error = {**exc.as_dict(), "level": "message", "severity": "error"}
    entry = {
        "type": detection.payload_root or detection.root or "",
        "version": "",
        "reference": "",
        "sender": "",
        "recipient": "",
        "status": "rejected",
        "family": detection.family,
        "function": "",
        "role": "unknown",
        "errors": [error],
        "warnings": [],
    }
    document = {"messages": [entry], "events": [], "errors": [error], "interchangeErrors": [error]}
    return XmlTranslation(document, _receipt(entry, [error], party))


def _receipt(entry: dict, errors: list[dict], recipient: str | None) -> list[dict[str, str]]:
    from edi.customs_xml.receipt import build_receipt

    if not recipient:
        return []  # nobody to answer
    body = build_receipt(entry, errors, sender=settings.PLATFORM_EDI_ID, recipient=recipient)
    return [{"type": "RECEIPT", "format": "xml", "body": body, "answers": entry.get("reference") or ""}]
