"""Canonical events out as EDIFACT D.00B: IFTSTA for any subscriber, CODECO and COARRI for terminals' partners.

CUSDEC and CUSCAR for customs authorities are built by :mod:`edi.emit.customs` and enveloped here.

One message per event (each with its own place, time and transport), all in one interchange,
written with pydifact's ``Serializer``. The codes are the inverse of the inbound tables in
:mod:`edi.mappings.edifact`, so mapping the output back gives the same events (the round trip
the tests check). Times go out as DTM format 304 with the event's own UTC offset.

    >>> out = emit(events, "IFTSTA", sender="LOGIHUB", recipient="FORWARDER1")
    >>> out.text, out.skipped      # skipped: (event, reason) for events the type cannot carry
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydifact.control.characters import Characters
from pydifact.segments import Segment
from pydifact.serializer import Serializer

from edi.acknowledge import new_control_reference
from edi.writing import fit_segments

DIRECTORY = ("D", "00B", "UN")
SYNTAX_ID = "UNOC"  # ISO 8859-1, syntax version 3: what we write is fitted to it (edi.writing.fit_segments)
#: (eventType, type code) -> STS C555 (4405 status code, 3055 agency): Rec. 24 where it has one, else X12 315.
IFTSTA_STATUS = {
    ("EQUIPMENT", "LOAD"): ("AE", "ZZZ"),
    ("EQUIPMENT", "DISC"): ("UV", "ZZZ"),
    ("EQUIPMENT", "GTIN"): ("I", "ZZZ"),
    ("EQUIPMENT", "GTOT"): ("OA", "ZZZ"),
    ("EQUIPMENT", "PICK"): ("13", ""),
    ("EQUIPMENT", "DROP"): ("21", ""),
    ("EQUIPMENT", "STUF"): ("15", ""),
    ("EQUIPMENT", "STRP"): ("28", ""),
    ("TRANSPORT", "ARRI"): ("1", ""),
    ("TRANSPORT", "DEPA"): ("24", ""),
    ("SHIPMENT", "CONF"): ("6", ""),
    ("SHIPMENT", "VOID"): ("7", ""),
    ("CUSTOMS", "RLSD"): ("12", ""),
    ("CUSTOMS", "REFU"): ("17", ""),
}
#: A loading or a discharge by another mode than the vessel: X12 315's code for that mode where it has
#: one, else Rec. 24's, which names no mode (an "unloaded from vessel" for a train states another fact).
IFTSTA_MODE_STATUS = {
    ("LOAD", "RAIL"): ("AL", "ZZZ"),
    ("LOAD", "TRUCK"): ("AM", "ZZZ"),
    ("LOAD", "BARGE"): ("AO", "ZZZ"),
    ("DISC", "RAIL"): ("UR", "ZZZ"),
    ("DISC", "TRUCK"): ("29", ""),
    ("DISC", "BARGE"): ("29", ""),
}
CODECO_DOCUMENT = {"GTIN": "34", "GTOT": "36"}  # SMDG gate-in / gate-out report
COARRI_DOCUMENT = {"DISC": "44", "LOAD": "46"}  # SMDG discharge / loading report
MODE_CODES = {"VESSEL": "1", "RAIL": "2", "TRUCK": "3", "BARGE": "8", "AIR": "4"}
EMPTY_CODES = {"EMPTY": "4", "LADEN": "5"}
REFERENCE_QUALIFIERS = {"BKG": "BN", "TRD": "BM", "DEC": "ABT", "MAN": "AFB", "CTR": "CT"}


@dataclass
class Emitted:
    """The interchange text (None when no event could be written) and the events left out, with why."""

    text: str | None
    messages: int = 0
    skipped: list[tuple[dict, str]] = field(default_factory=list)


def emit(
    events: Iterable[dict],
    message_type: str,
    *,
    sender: str,
    recipient: str,
    control_reference: str | None = None,
    now: datetime | None = None,
    function_code: str | None = None,
    reference_prefix: str = "",
) -> Emitted:
    """``events`` as one interchange of ``message_type`` messages (IFTSTA, CODECO, COARRI, CUSDEC or CUSCAR).

    ``function_code`` (BGM 1225) overrides what a customs event says (9 lodged, 1 cancelled): an
    amendment (5 replace) is the sender's act, not an event. For IFTSTA, CODECO and COARRI it is
    9 (original) unless given: 1 cancels the message an event was sent in earlier (the same BGM
    document number, which follows from the eventID). ``reference_prefix`` goes before each
    message's number in UNH 0062, so that an APERAK's reference names one interchange's message.
    """
    from edi.emit import customs

    if message_type in customs.TYPES:
        bodies, skipped = customs.customs_bodies(events, message_type, function_code)
        directory = customs.DIRECTORY
    else:
        build = {"IFTSTA": _iftsta, "CODECO": _codeco, "COARRI": _coarri}[message_type]
        bodies, skipped, directory = [], [], DIRECTORY
        for event in events:
            body, reason = build(event, function_code or "9")
            if body is None:
                skipped.append((event, reason))
            else:
                bodies.append(body)
    result = Emitted(None, messages=len(bodies), skipped=skipped)
    if not bodies:
        return result
    now = now or datetime.now(UTC)
    reference = control_reference or new_control_reference()
    segments: list[Segment] = []
    for number, body in enumerate(bodies, start=1):
        ref = f"{reference_prefix}{number}"
        head = [Segment("UNH", ref, [message_type, *directory]), *body]
        segments.extend(head)
        segments.append(Segment("UNT", str(len(head) + 1), ref))
    unb = Segment(
        "UNB", [SYNTAX_ID, "3"], sender[:35], recipient[:35], [now.strftime("%y%m%d"), now.strftime("%H%M")], reference
    )
    segments = fit_segments([unb, *segments, Segment("UNZ", str(result.messages), reference)], SYNTAX_ID)
    result.text = Serializer(Characters(decimal_point=".")).serialize(segments, with_una_header=True)
    return result


# -- one message per event ---------------------------------------------------------------------------


def _iftsta(event: dict, function: str = "9") -> tuple[list[Segment] | None, str]:
    if event.get("eventClassifierCode") != "ACT":
        return None, "IFTSTA reports actual events only"
    status = IFTSTA_STATUS.get((event["eventType"], _type_code(event)))
    if event["eventType"] == "EQUIPMENT":
        mode = (event.get("transportCall") or {}).get("modeOfTransport")
        status = IFTSTA_MODE_STATUS.get((_type_code(event), mode), status)
    if status is None:
        return None, f"no IFTSTA status code for {event['eventType']} {_type_code(event)}"
    body = [Segment("BGM", "23", _document_number(event), function), _dtm("137", event["eventCreatedDateTime"])]
    body += [Segment("RFF", ref) for ref in _references(event)]
    body.append(Segment("CNI", "1"))
    body.append(Segment("STS", "1", _trim([status[0], "", status[1]])))
    body.append(_dtm("334", event["eventDateTime"]))
    loc = _loc("175", event)
    if loc is not None:
        body.append(loc)
    body += [t for t in (_inland_tdt(event), _vessel_tdt(event)) if t is not None]
    if event.get("equipmentReference"):
        body.append(_eqd(event))
    return body, ""


def _codeco(event: dict, function: str = "9") -> tuple[list[Segment] | None, str]:
    document = CODECO_DOCUMENT.get(event.get("equipmentEventTypeCode", ""))
    if event.get("eventType") != "EQUIPMENT" or document is None or event.get("eventClassifierCode") != "ACT":
        return None, "CODECO reports actual gate-in and gate-out only"
    body = [Segment("BGM", document, _document_number(event), function), _dtm("137", event["eventCreatedDateTime"])]
    vessel = _vessel_tdt(event)
    if vessel is not None:
        body.append(vessel)
    body.append(Segment("NAD", "MS", _sender(event)))
    body.append(_eqd(event))
    body += [Segment("RFF", ref) for ref in _references(event)]
    body.append(_dtm("7", event["eventDateTime"]))
    loc = _loc("165", event)
    if loc is not None:
        body.append(loc)
    inland = _inland_tdt(event)
    if inland is not None:
        body.append(inland)
    body.append(Segment("CNT", ["16", "1"]))
    return body, ""


def _coarri(event: dict, function: str = "9") -> tuple[list[Segment] | None, str]:
    code = event.get("equipmentEventTypeCode", "")
    document = COARRI_DOCUMENT.get(code)
    if event.get("eventType") != "EQUIPMENT" or document is None or event.get("eventClassifierCode") != "ACT":
        return None, "COARRI reports actual loads and discharges only"
    body = [Segment("BGM", document, _document_number(event), function), _dtm("137", event["eventCreatedDateTime"])]
    body.append(_vessel_tdt(event) or Segment("TDT", "20", "", "1"))
    loc = _loc("11" if code == "DISC" else "9", event)
    if loc is not None:
        body.append(loc)
    body.append(Segment("NAD", "MS", _sender(event)))
    body.append(_eqd(event))
    body += [Segment("RFF", ref) for ref in _references(event)]
    body.append(_dtm("203", event["eventDateTime"]))
    if event.get("stowagePosition"):
        body.append(Segment("LOC", "147", _trim([event["stowagePosition"], "", "5"])))
    body.append(Segment("CNT", ["16", "1"]))
    return body, ""


# -- segments ---------------------------------------------------------------------------------------


def _type_code(event: dict) -> str:
    field_name = event["eventType"].lower() + "EventTypeCode"
    return event.get(field_name, "")


def _document_number(event: dict) -> str:
    return event.get("eventID", "").replace("-", "")[:35]


def _sender(event: dict) -> str:
    return ((event.get("source") or {}).get("party") or "LOGIHUB")[:35]


def _dtm(qualifier: str, value: str) -> Segment:
    moment = datetime.fromisoformat(value)
    offset = moment.strftime("%z") or "+0000"
    return Segment("DTM", [qualifier, moment.strftime("%Y%m%d%H%M%S") + offset, "304"])


def _references(event: dict) -> list[list[str]]:
    refs = []
    for ref in event.get("documentReferences") or ():
        qualifier = REFERENCE_QUALIFIERS.get(ref.get("documentReferenceType"))
        if qualifier and ref.get("documentReferenceValue"):
            refs.append([qualifier, ref["documentReferenceValue"]])
    return refs


def _loc(qualifier: str, event: dict) -> Segment | None:
    call = event.get("transportCall") or {}
    if not call.get("UNLocationCode"):
        return None
    elements: list = [qualifier, [call["UNLocationCode"], "139", "6"]]
    if call.get("facilityCode"):
        elements.append([call["facilityCode"], "TER", "ZZZ"])
    return Segment("LOC", *elements)


def _vessel_tdt(event: dict) -> Segment | None:
    """The main-carriage TDT (stage 20; mode 1 sea, 4 air) when the event names a vessel, a voyage or sea transport."""
    call = event.get("transportCall") or {}
    vessel = call.get("vessel") or {}
    if not (vessel or call.get("carrierVoyageNumber") or call.get("modeOfTransport") == "VESSEL"):
        return None
    if vessel.get("vesselIMONumber"):
        ident = [vessel["vesselIMONumber"], "146", "11", vessel.get("vesselName", "")]
    else:
        sign = vessel.get("vesselCallSignNumber", "")
        ident = [sign, "103" if sign else "", "", vessel.get("vesselName", "")]
    mode = MODE_CODES["AIR"] if call.get("modeOfTransport") == "AIR" else "1"  # a flight's number is its voyage
    return Segment("TDT", "20", call.get("carrierVoyageNumber", ""), mode, "", "", "", "", _trim(ident))


def _inland_tdt(event: dict) -> Segment | None:
    """The truck, train or barge TDT (stage 1) of an event whose transport call is inland."""
    call = event.get("transportCall") or {}
    mode = call.get("modeOfTransport")
    if mode not in ("RAIL", "TRUCK", "BARGE"):
        return None
    plate = call.get("truckLicensePlate", "")
    ident = plate if len(plate) <= 9 else _trim(["", "", "", plate[:35]])  # 8213 is an..9: longer in 8212
    return Segment("TDT", "1", "", MODE_CODES[mode], "", "", "", "", ident)


def _eqd(event: dict) -> Segment:
    size_type = event.get("ISOEquipmentCode", "")
    return Segment(
        "EQD",
        "CN",
        event["equipmentReference"],
        [size_type, "102", "5"] if size_type else "",
        "",
        "",
        EMPTY_CODES.get(event.get("emptyIndicatorCode", ""), ""),
    )


def _trim(components: list[str]) -> list[str] | str:
    while len(components) > 1 and not components[-1]:
        components = components[:-1]
    return components if len(components) > 1 else components[0]
