"""CUSTOMS events for the tracking store, one per container a transition concerns.

    >>> events_for(declaration, code="HOLD", seq=7, authority="CNSHA-CUSTOMS", reasons=[...])

The eventID is a UUID5 over the declaration, the transition's sequence number, the code,
the authority and the container, so that recording the same transition twice stores it once.
A declaration without containers gets one event without ``equipmentReference``; a manifest-family
report or application one per bill, never a container's (its receipt clears no goods).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from customs_gateway.choices import DeclarationKind
from customs_gateway.manifest_types import clears_goods
from customs_gateway.models import Declaration, Message
from tracking.events import event_id

MAX_REF = 35


def default_authority() -> str:
    return settings.CUSTOMS_AUTHORITY_ID


def _references(declaration: Declaration, bill: str = "") -> list[dict]:
    kind = "MAN" if declaration.kind == DeclarationKind.MANIFEST else "DEC"
    refs = [{"documentReferenceType": kind, "documentReferenceValue": declaration.business_reference[:MAX_REF]}]
    if declaration.registration_number:
        refs.append(
            {"documentReferenceType": "DEC", "documentReferenceValue": declaration.registration_number[:MAX_REF]}
        )
    if bill:
        refs.append({"documentReferenceType": "TRD", "documentReferenceValue": bill[:MAX_REF]})
    return refs


def _concerned(declaration: Declaration) -> list[tuple[str, str]]:
    """``(container, bill)`` pairs a transition's events name: every container, or for a report's receipt the bills.

    A China manifest-family report or application (arrival, tally, distribution, change, packing
    list, transfer check) is answered by its receipt alone: its events name its bills, so that they
    never move a container's customs state (the gates' answer stays the manifest's release or hold).
    """
    if not clears_goods(declaration.message_type):
        return [("", number) for number in declaration.bills.values_list("number", flat=True).distinct()]
    return [(c.number, c.bill.number if c.bill else "") for c in declaration.containers.select_related("bill")]


def _reasons(reasons: list[dict]) -> list[dict]:
    out = []
    for reason in reasons:
        item = {k: str(v)[: 35 if k == "code" else 512] for k, v in reason.items() if k in ("code", "text") and v}
        if item:
            out.append(item)
    return out


def events_for(
    declaration: Declaration,
    *,
    code: str,
    seq: int,
    at: datetime,
    authority: str = "",
    reasons: list[dict] | None = None,
    message: Message | None = None,
    containers: list[tuple[str, str]] | None = None,
) -> list[dict]:
    """The CUSTOMS events of one transition; ``containers`` are ``(number, bill)`` pairs (default: all)."""
    authority = (authority or declaration.authority or default_authority())[:70]
    if containers is None:
        containers = _concerned(declaration)
    stamp = at.isoformat(timespec="microseconds")
    base = {
        "eventType": "CUSTOMS",
        "eventClassifierCode": "ACT",
        "customsEventTypeCode": code,
        "eventDateTime": stamp,
        "eventCreatedDateTime": stamp,
        "customsAuthority": authority,
        "source": {
            "party": declaration.party.edi_id,
            "rawMessage": message.pk if message else None,
            "messageReference": (message.message_id[:MAX_REF] if message else None),
            "position": None,
        },
    }
    cleaned = _reasons(reasons or [])
    if cleaned:
        base["reasons"] = cleaned
    events = []
    for number, bill in containers or [("", "")]:
        event = {
            **base,
            "eventID": event_id("CUSTOMS", declaration.pk, seq, code, authority, number or bill),
            "documentReferences": _references(declaration, bill),
        }
        if number:
            event["equipmentReference"] = number
        events.append(event)
    return events
