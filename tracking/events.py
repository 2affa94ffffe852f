"""The canonical event: deterministic eventIDs and the columns the store indexes.

An eventID is a UUID5 over the identity of the *fact*, not over the message that carried it:
the same container gated in at the same facility at the same time is one event, whichever
partner reports it and however often.

    >>> event_id("EQUIPMENT", "GTIN", "ACT", "MSKU1234565", "2026-11-25T08:00:00+08:00", "CNSHA")
"""

from __future__ import annotations

import uuid
from datetime import datetime

from tracking.choices import TYPE_CODE_FIELD, DocumentReferenceType, EventType

EVENT_NAMESPACE = uuid.UUID("6f1b1d2e-3c57-5a7e-9c1e-2a0d1c4b7e11")
#: The DCSA documentTypeCode of a shipment event reported by a message that is itself the document:
#: a shipping instruction (IFTMIN) is SHI whatever booking or bill it names; a contract status
#: (IFTMCS: the bill of lading or waybill issued, drafted or voided) is TRD, its number the bill's,
#: whatever booking it also names; a booking request (IFTMBF, IFTMBP) that names no booking or bill
#: yet is CBR. The documentID is its number (BGM 1004).
OWN_DOCUMENT = {"IFTMIN": "SHI", "IFTMCS": "TRD"}
OWN_DOCUMENT_OTHERWISE = {"IFTMBF": "CBR", "IFTMBP": "CBR"}


def event_id(*identity: object) -> str:
    """A deterministic UUID5 for a fact, from the parts that identify it."""
    name = "|".join("" if part is None else str(part) for part in identity)
    return str(uuid.uuid5(EVENT_NAMESPACE, name))


def type_code_of(event: dict) -> str:
    return event[TYPE_CODE_FIELD[EventType(event["eventType"])]]


def document_reference(event: dict, kind: str) -> str:
    for ref in event.get("documentReferences") or ():
        if ref.get("documentReferenceType") == kind:
            return ref.get("documentReferenceValue", "")
    return ""


def parse_datetime(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"event time {value!r} has no UTC offset")
    return parsed


def columns(event: dict) -> dict:
    """The indexed columns of :class:`tracking.models.Event` for one canonical event."""
    call = event.get("transportCall") or {}
    return {
        "event_id": event["eventID"],
        "event_type": event["eventType"],
        "event_classifier": event["eventClassifierCode"],
        "type_code": type_code_of(event),
        "event_datetime": parse_datetime(event["eventDateTime"]),
        "event_created_datetime": parse_datetime(event["eventCreatedDateTime"]),
        "equipment_reference": event.get("equipmentReference") or "",
        "carrier_booking_reference": document_reference(event, DocumentReferenceType.BKG),
        "transport_document_reference": document_reference(event, DocumentReferenceType.TRD),
        "un_location_code": call.get("UNLocationCode") or "",
        "payload": event,
    }


def complete(event: dict) -> dict:
    """The event with the identifiers DCSA TNT 2.2 requires and that follow from its content.

    ``transportCall.transportCallID`` (a UUID5 over the call's location, facility, vessel, voyage
    and mode) and, for SHIPMENT events, ``documentID``/``documentTypeCode`` from the first
    booking or transport document reference. Fields already present are kept.
    """
    call = event.get("transportCall")
    if call and not call.get("transportCallID"):
        vessel = call.get("vessel") or {}
        identity = ("call", call.get("UNLocationCode"), call.get("facilityCode"), vessel.get("vesselIMONumber"))
        identity += (call.get("carrierVoyageNumber"), call.get("modeOfTransport"))
        event = {**event, "transportCall": {**call, "transportCallID": event_id(*identity)}}
    if event.get("eventType") == EventType.SHIPMENT and not event.get("documentID"):
        document = _shipment_document(event)
        if document:
            event = {**event, "documentID": document[1], "documentTypeCode": document[0]}
    return event


def _shipment_document(event: dict) -> tuple[str, str] | None:
    """(DCSA documentTypeCode, documentID) of a shipment event, or None when nothing names one."""
    own = (event.get("source") or {}).get("document") or {}
    number = str(own.get("number") or "")[:100]
    if number and own.get("type") in OWN_DOCUMENT:
        return OWN_DOCUMENT[own["type"]], number
    for kind in (DocumentReferenceType.BKG, DocumentReferenceType.TRD):
        value = document_reference(event, kind)
        if value:
            return str(kind), value
    if number and own.get("type") in OWN_DOCUMENT_OTHERWISE:
        return OWN_DOCUMENT_OTHERWISE[own["type"]], number
    return None
