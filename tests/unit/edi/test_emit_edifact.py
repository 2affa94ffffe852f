"""Canonical events out as IFTSTA, CODECO and COARRI: valid against D.00B, and back to the same events."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import iso6346

from edi.emit import emit
from edi.emit.edifact import IFTSTA_STATUS
from edi.map import map_interchange
from edi.mappings.events import fact_id
from edi.validate import validate_interchange
from edi.writing import edifact_bytes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PLACES = ("CNSHA", "NLRTM", "USLAX", "SGSIN", "DEHAM", "INNSA")
IMOS = ("9321483", "9411331", "9780457")
OFFSETS = tuple(timezone(timedelta(minutes=m)) for m in (-480, -300, 0, 60, 330, 480))
TEXT = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=12)
NAME = st.text(alphabet="ABCDEFGHIJ XYZ?+:'ÄÖÜÉÑ", min_size=1, max_size=20).map(str.strip).filter(bool)
#: when the round trip is "received": after every generated time, so no actual event lies ahead of it
RECEIVED = datetime(2031, 1, 1, tzinfo=UTC)


@st.composite
def container(draw):
    base = draw(st.sampled_from(("MSK", "TGH", "CSQ", "OOL"))) + "U" + f"{draw(st.integers(0, 999999)):06d}"
    return base + iso6346.calc_check_digit(base)


@st.composite
def moment(draw):
    when = datetime(2020, 1, 1) + timedelta(seconds=draw(st.integers(0, 10 * 365 * 86400)))
    return when.replace(tzinfo=draw(st.sampled_from(OFFSETS))).isoformat(timespec="seconds")


@st.composite
def event(draw, kinds, modes, stowage=False):
    kind, code = draw(st.sampled_from(kinds))
    field = kind.lower() + "EventTypeCode"
    call = {"UNLocationCode": draw(st.sampled_from(PLACES))}
    if draw(st.booleans()):
        call["facilityCode"] = draw(st.sampled_from(("YSD", "ECT", "APMT")))
    mode = draw(st.sampled_from(modes))
    call["modeOfTransport"] = mode
    if mode == "TRUCK":
        call["truckLicensePlate"] = draw(TEXT)
    if mode == "VESSEL" or draw(st.booleans()):
        vessel = {"vesselName": draw(NAME)}
        if draw(st.booleans()):
            vessel["vesselIMONumber"] = draw(st.sampled_from(IMOS))
        call["vessel"] = vessel
        call["carrierVoyageNumber"] = draw(TEXT)
    when = draw(moment())
    out = {
        "eventType": kind,
        "eventClassifierCode": "ACT",
        field: code,
        "eventDateTime": when,
        "eventCreatedDateTime": draw(st.one_of(st.just(when), moment())),
        "transportCall": call,
    }
    if kind in ("EQUIPMENT", "TRANSPORT") or draw(st.booleans()):
        out["equipmentReference"] = draw(container())
        out["ISOEquipmentCode"] = draw(st.sampled_from(("45G1", "22G1", "42R1")))
        out["emptyIndicatorCode"] = draw(st.sampled_from(("EMPTY", "LADEN")))
    refs = [
        {"documentReferenceType": t, "documentReferenceValue": draw(TEXT)}
        for t in ("BKG", "TRD")
        if draw(st.booleans())
    ]
    if refs:
        out["documentReferences"] = refs
    if stowage and draw(st.booleans()):
        out["stowagePosition"] = f"{draw(st.integers(10, 999999)):07d}"
    out["eventID"] = fact_id(out)
    return out


def facts(events: list[dict]) -> list[dict]:
    return [{k: v for k, v in e.items() if k not in ("source", "parties")} for e in events]


def round_trip(events: list[dict], message_type: str) -> list[dict]:
    out = emit(events, message_type, sender="LOGIHUB", recipient="PARTNER", control_reference="R1", now=NOW)
    assert out.skipped == []
    body = edifact_bytes(out.text)  # as tracking.outbound and the customs gateway send it
    validation = validate_interchange(body)
    assert validation.errors == [], [(i.code, i.message) for i in validation.errors]
    back = map_interchange(body, received=RECEIVED)
    assert [i for i in back.issues if i.severity == "error"] == []
    return back.events


QUICK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(st.lists(event(sorted(IFTSTA_STATUS), ("VESSEL", "TRUCK", "RAIL", "BARGE")), min_size=1, max_size=3))
def test_iftsta_round_trip_gives_the_same_events(events):
    assert facts(round_trip(events, "IFTSTA")) == facts(events)


@QUICK
@given(
    st.lists(event([("EQUIPMENT", "GTIN"), ("EQUIPMENT", "GTOT")], ("TRUCK", "RAIL", "BARGE")), min_size=1, max_size=3)
)
def test_codeco_round_trip_gives_the_same_events(events):
    assert facts(round_trip(events, "CODECO")) == facts(events)


@QUICK
@given(
    st.lists(event([("EQUIPMENT", "LOAD"), ("EQUIPMENT", "DISC")], ("VESSEL",), stowage=True), min_size=1, max_size=3)
)
def test_coarri_round_trip_gives_the_same_events(events):
    assert facts(round_trip(events, "COARRI")) == facts(events)


def test_partner_messages_go_back_out_as_the_same_events():
    for name, message_type in (
        ("codeco_d95b_logihub_gatein.edi", "CODECO"),
        ("coarri_d95b_phpedifact_D95BCOARRI.edi", "COARRI"),
        ("iftsta_d00b_logihub_status.edi", "IFTSTA"),
        ("codeco_d95b_logihub_gatein.edi", "IFTSTA"),
    ):
        events = [e for e in map_interchange(FIXTURES / name).events if e["eventClassifierCode"] == "ACT"]
        if message_type != "IFTSTA":  # the vessel's own arrivals and departures go out in IFTSTA only
            events = [e for e in events if e["eventType"] == "EQUIPMENT"]
        assert facts(round_trip(events, message_type)) == facts(events), name


def test_events_a_type_cannot_carry_are_skipped_with_a_reason():
    planned = map_interchange(FIXTURES / "coprar_d00b_logihub_loadlist.edi").events
    out = emit(planned, "IFTSTA", sender="LOGIHUB", recipient="P")
    assert out.text is None and out.messages == 0
    assert {reason for _, reason in out.skipped} == {"IFTSTA reports actual events only"}
    gate = map_interchange(FIXTURES / "codeco_d95b_logihub_gatein.edi").events
    assert (
        emit(gate, "COARRI", sender="L", recipient="P").skipped[0][1]
        == "COARRI reports actual loads and discharges only"
    )


def test_outbound_interchange_is_addressed_and_counted():
    events = map_interchange(FIXTURES / "codeco_d95b_logihub_gatein.edi").events
    out = emit(events, "CODECO", sender="LOGIHUB", recipient="MAEU", control_reference="OUT1", now=NOW)
    assert out.text.startswith("UNA:+.? 'UNB+UNOC:3+LOGIHUB+MAEU+261125:1200+OUT1'")
    assert out.text.endswith("UNZ+2+OUT1'") and out.messages == 2


def test_a_flights_event_goes_out_with_its_number_as_the_voyage_and_air_as_the_mode():
    from edi.emit.edifact import _vessel_tdt

    event = {"transportCall": {"modeOfTransport": "AIR", "carrierVoyageNumber": "CA1234"}}
    tdt = _vessel_tdt(event)
    assert (tdt.elements[0], tdt.elements[1], tdt.elements[2]) == ("20", "CA1234", "4")
    event = {"transportCall": {"modeOfTransport": "VESSEL", "carrierVoyageNumber": "047E"}}
    assert _vessel_tdt(event).elements[2] == "1"


def test_a_name_outside_the_declared_repertoire_leaves_as_characters_unoc_has():
    """UNOC is ISO 8859-1: an umlaut goes as its one byte, a Chinese name as released question marks,
    never as UTF-8 bytes that the partner (and our own validator) would read as control characters."""
    [event] = map_interchange(FIXTURES / "coarri_d95b_phpedifact_D95BCOARRI.edi").events[:1]
    event["transportCall"]["vessel"]["vesselName"] = "中远之星 MÜNCHEN"
    out = emit([event], "COARRI", sender="LOGIHUB", recipient="PARTNER", control_reference="R1", now=NOW)
    body = edifact_bytes(out.text)
    assert b"UNB+UNOC:3+" in body and b":???????? M\xdcNCHEN'" in body
    assert validate_interchange(body).errors == []
    [back] = map_interchange(body, received=RECEIVED).events
    assert back["transportCall"]["vessel"]["vesselName"] == "???? MÜNCHEN"


def test_a_loading_or_discharge_by_train_or_barge_goes_out_with_that_modes_status_code():
    def sent(code: str, mode: str) -> str:
        event = {
            "eventType": "EQUIPMENT",
            "eventClassifierCode": "ACT",
            "equipmentEventTypeCode": code,
            "equipmentReference": "MSKU8080800",
            "eventDateTime": "2026-11-20T10:00:00+01:00",
            "eventCreatedDateTime": "2026-11-20T10:00:00+01:00",
            "transportCall": {"UNLocationCode": "DEHAM", "modeOfTransport": mode},
        }
        text = emit([event], "IFTSTA", sender="LOGIHUB", recipient="PARTNER", control_reference="R1", now=NOW).text
        return next(s for s in text.split("'") if s.startswith("STS"))

    assert sent("DISC", "VESSEL") == "STS+1+UV::ZZZ"
    assert sent("DISC", "RAIL") == "STS+1+UR::ZZZ"  # not "unloaded from vessel"
    assert sent("LOAD", "BARGE") == "STS+1+AO::ZZZ"
    assert sent("DISC", "TRUCK") == "STS+1+29"  # Rec. 24 discharged: X12 315 has no truck unloading
