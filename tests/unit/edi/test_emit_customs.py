"""Canonical CUSTOMS events out as CUSDEC and CUSCAR: valid against D.96B, and back to the same events."""

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi.emit import emit
from edi.map import map_interchange
from edi.mappings.events import fact_id
from edi.validate import validate_interchange
from edi.writing import edifact_bytes
from tests.unit.edi.test_emit_edifact import IMOS, NAME, PLACES, TEXT, container, facts, moment
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
AUTHORITY = "CNSHACUSTOMS"
QUICK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: when the round trip is "received": after every generated time, so no actual event lies ahead of it
RECEIVED = datetime(2031, 1, 1, tzinfo=UTC)


@st.composite
def transport_call(draw, qualifier_place=True):
    call = {}
    if qualifier_place:
        call["UNLocationCode"] = draw(st.sampled_from(PLACES))
        if draw(st.booleans()):
            call["facilityCode"] = draw(st.sampled_from(("YSD", "ECT")))
    if draw(st.booleans()):
        vessel = {"vesselName": draw(NAME)}
        if draw(st.booleans()):
            vessel["vesselIMONumber"] = draw(st.sampled_from(IMOS))
        call.update(modeOfTransport="VESSEL", vessel=vessel, carrierVoyageNumber=draw(TEXT))
    return call


def customs_event(code, when, call, refs, containers, draw):
    event = {
        "eventType": "CUSTOMS",
        "eventClassifierCode": "ACT",
        "customsEventTypeCode": code,
        "eventDateTime": when,
        "eventCreatedDateTime": when,
        "customsAuthority": AUTHORITY,
        "documentReferences": refs,
    }
    if call:
        event["transportCall"] = call
    if len(containers) == 1:
        event["equipmentReference"] = containers[0]
        if draw(st.booleans()):
            event["ISOEquipmentCode"] = draw(st.sampled_from(("45G1", "22G1")))
            event["emptyIndicatorCode"] = draw(st.sampled_from(("EMPTY", "LADEN")))
    elif containers:
        event["equipmentReferences"] = containers
    event["eventID"] = fact_id(event)
    return event


def ref(kind, value):
    return {"documentReferenceType": kind, "documentReferenceValue": value}


@st.composite
def declaration(draw):
    refs = [ref("DEC", draw(TEXT))]
    for kind in ("DEC", "TRD", "MAN", "BKG"):
        extra = ref(kind, draw(TEXT))
        if draw(st.booleans()) and extra not in refs:  # the mapping reads each reference once
            refs.append(extra)
    containers = draw(st.lists(container(), max_size=3, unique=True))
    code = draw(st.sampled_from(("DECL", "CNCL")))
    return customs_event(code, draw(moment()), draw(transport_call()), refs, containers, draw)


@st.composite
def manifest(draw):
    number, when, code = draw(TEXT), draw(moment()), draw(st.sampled_from(("DECL", "CNCL")))
    vessel = draw(transport_call(qualifier_place=False))
    bills, used = [], set()
    for bill in draw(st.lists(TEXT, min_size=1, max_size=4, unique=True)):
        call = dict(vessel)
        if draw(st.booleans()):
            call["UNLocationCode"] = draw(st.sampled_from(PLACES))
        refs = [ref("MAN", number), ref("TRD", bill)]
        if draw(st.booleans()):
            refs.append(ref("BKG", draw(TEXT)))
        containers = [c for c in draw(st.lists(container(), max_size=3, unique=True)) if c not in used]
        used.update(containers)
        bills.append(customs_event(code, when, call, refs, containers, draw))
    return bills


def round_trip(events, message_type):
    out = emit(events, message_type, sender="LOGIHUB", recipient=AUTHORITY, control_reference="C1", now=NOW)
    assert out.skipped == []
    validation = validate_interchange(edifact_bytes(out.text))
    assert validation.errors == [], [(i.code, i.message, i.position) for i in validation.errors]
    back = map_interchange(edifact_bytes(out.text), received=RECEIVED)
    assert [i for i in back.issues if i.severity == "error"] == []
    assert problems_of(back.events) == []
    return back.events


@QUICK
@given(st.lists(declaration(), min_size=1, max_size=3))
def test_cusdec_round_trip_gives_the_same_declarations(events):
    assert facts(round_trip(events, "CUSDEC")) == facts(events)


@QUICK
@given(manifest())
def test_cuscar_round_trip_gives_the_same_bills(bills):
    assert facts(round_trip(bills, "CUSCAR")) == facts(bills)


def test_partner_declaration_goes_back_out_as_the_same_event():
    events = map_interchange(FIXTURES / "cusdec_d96b_logihub_declaration.edi").events
    assert events and facts(round_trip(events, "CUSDEC")) == facts(events)


def test_a_manifest_is_one_cuscar_with_a_consignment_per_bill_and_the_containers_once():
    when = "2026-12-01T09:30:00+08:00"
    call = {"UNLocationCode": "CNSHA", "modeOfTransport": "VESSEL", "vessel": {"vesselIMONumber": "9321483"}}
    bills = [
        {
            "eventType": "CUSTOMS",
            "eventClassifierCode": "ACT",
            "customsEventTypeCode": "DECL",
            "eventDateTime": when,
            "eventCreatedDateTime": when,
            "transportCall": call,
            "documentReferences": [ref("MAN", "MAN-612E"), ref("TRD", bill)],
            **extra,
        }
        for bill, extra in (
            ("BL1", {"equipmentReference": "MSKU1234565"}),
            ("BL2", {"equipmentReferences": ["OOLU8293047", "TCLU9988775"]}),
        )
    ]
    out = emit(bills, "CUSCAR", sender="CARRIER1", recipient=AUTHORITY, control_reference="M1", now=NOW)
    assert out.messages == 1
    segments = out.text.split("'")
    assert "BGM+85+MAN-612E+9" in segments
    assert [s for s in segments if s.startswith(("CNI", "SGP"))] == [
        "CNI+1+BL1",
        "SGP+MSKU1234565",
        "CNI+2+BL2",
        "SGP+OOLU8293047",
        "SGP+TCLU9988775",
    ]
    assert sum(s.startswith("EQD+CN+") for s in segments) == 3
    back = map_interchange(edifact_bytes(out.text)).events
    assert [(e.get("equipmentReference"), e.get("equipmentReferences")) for e in back] == [
        ("MSKU1234565", None),
        (None, ["OOLU8293047", "TCLU9988775"]),
    ]
    assert {e["customsAuthority"] for e in back} == {AUTHORITY}


def test_events_a_customs_message_cannot_carry_are_skipped_with_a_reason():
    gate = map_interchange(FIXTURES / "codeco_d95b_logihub_gatein.edi").events
    out = emit(gate, "CUSDEC", sender="L", recipient="C")
    assert out.text is None
    assert {reason for _, reason in out.skipped} == {
        "CUSDEC carries lodged (DECL) and cancelled (CNCL) declarations only"
    }
    declaration = map_interchange(FIXTURES / "cusdec_d96b_logihub_declaration.edi").events
    assert emit(declaration, "CUSCAR", sender="L", recipient="C").skipped[0][1] == (
        "CUSCAR needs a MAN document reference (its BGM 1004)"
    )
