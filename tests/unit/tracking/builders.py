"""Builders of canonical events for the tracking tests: valid by default, one argument per fact."""

from __future__ import annotations

from stdnum import iso6346

from tracking.events import event_id


def container(owner: str, serial: str) -> str:
    return owner + serial + iso6346.calc_check_digit(owner + serial)


BOX = container("MSKU", "123456")
OTHER_BOX = container("CSQU", "305438")
TYPE_FIELD = {
    "EQUIPMENT": "equipmentEventTypeCode",
    "TRANSPORT": "transportEventTypeCode",
    "SHIPMENT": "shipmentEventTypeCode",
    "CUSTOMS": "customsEventTypeCode",
}


def build_event(
    code: str = "GTIN",
    *,
    kind: str = "EQUIPMENT",
    box: str | None = BOX,
    at: str = "2026-11-25T08:00:00+08:00",
    classifier: str = "ACT",
    created: str | None = None,
    booking: str | None = None,
    bill: str | None = None,
    declaration: str | None = None,
    location: str | None = "CNSHA",
    facility: str | None = None,
    vessel: tuple[str, str] | None = None,
    voyage: str | None = None,
    source: str | None = "TESTCARRIER",
    parties: tuple[str, ...] = (),
    authority: str | None = None,
) -> dict:
    """A valid canonical event; the eventID is derived from the arguments (same fact, same ID)."""
    event: dict = {
        "eventID": event_id(kind, code, classifier, box, at, location, booking, bill, authority, created),
        "eventType": kind,
        "eventClassifierCode": classifier,
        TYPE_FIELD[kind]: code,
        "eventDateTime": at,
        "eventCreatedDateTime": created or at,
    }
    if box:
        event["equipmentReference"] = box
        event["ISOEquipmentCode"] = "45G1"
        event["emptyIndicatorCode"] = "LADEN"
    if location:
        call: dict = {"UNLocationCode": location, "modeOfTransport": "VESSEL"}
        if facility:
            call["facilityCode"] = facility
        if vessel:
            call["vessel"] = {"vesselIMONumber": vessel[0], "vesselName": vessel[1]}
        if voyage:
            call["carrierVoyageNumber"] = voyage
        event["transportCall"] = call
    refs = [("BKG", booking), ("TRD", bill), ("DEC", declaration)]
    if any(value for _kind, value in refs):
        event["documentReferences"] = [{"documentReferenceType": k, "documentReferenceValue": v} for k, v in refs if v]
    if authority:
        event["customsAuthority"] = authority
        event["reasons"] = [{"code": "A1", "text": "documentary check"}]
    if parties:
        event["parties"] = [{"partyEDIIdentity": p, "partyFunction": "FW"} for p in parties]
    if source:
        event["source"] = {"party": source, "rawMessage": None, "messageReference": "T1", "position": "1"}
    return event
