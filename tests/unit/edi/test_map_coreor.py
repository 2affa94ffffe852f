"""COREOR release orders give a planned gate-out per container only where a pick-up time is stated."""

from edi.map import map_interchange
from edi.translate import translate_bytes
from edi.validate import validate_interchange
from tests.unit.edi.container_fixtures import FIXTURES, position, refs, truncated, valid_and_mapped

D95B = "coreor_d95b_logihub_release.edi"
D16A = "coreor_d16a_logihub_release.edi"


def test_release_without_a_pick_up_time_is_processed_with_no_events():
    result = valid_and_mapped(D95B)
    assert result.events == [] and result.issues == []
    # D95B's code list has no 129 (UNCL added it later): the validator says so, as a warning only
    warned = [(i.code, i.severity, i.position.tag) for i in validate_interchange(FIXTURES / D95B).all_issues]
    assert warned == [("12", "warning", "BGM")]


def test_release_with_a_planned_pick_up_gives_a_planned_gate_out_for_that_container():
    result = valid_and_mapped(D16A)
    (event,) = result.events
    assert (event["eventType"], event["equipmentEventTypeCode"], event["eventClassifierCode"]) == (
        "EQUIPMENT",
        "GTOT",
        "PLN",
    )
    assert event["equipmentReference"] == "MEDU1234562"
    assert event["eventDateTime"] == "2026-12-05T14:00:00+01:00"  # DTM 393
    assert event["transportCall"]["UNLocationCode"] == "NLRTM"
    assert event["transportCall"]["facilityCode"] == "ECT"
    assert event["transportCall"]["truckLicensePlate"] == "NL12AB3"
    assert refs(event) == [("TRD", "MEDUBL0004"), ("BKG", "BKG770002")]
    assert position(event) == (9, "EQD")
    assert result.issues == []


def test_cancelled_release_gives_no_events():
    text = (FIXTURES / D16A).read_text().replace("REL20261204001+9", "REL20261204001+1")
    assert map_interchange(text.encode()).events == []


def test_truncated_release_gives_positioned_errors_and_no_crash():
    document = translate_bytes(truncated(D16A, 380))
    assert document["errors"] and all(e["position"].get("segment") for e in document["errors"])


def test_release_of_a_bill_without_containers_is_processed_with_no_events_and_no_error():
    data = (
        b"UNB+UNOC:3+MSCAGENT:ZZZ+NLRTMECT:ZZZ+261204:0805+CR0103'UNH+1+COREOR:D:00B:UN'BGM+129+REL3+9'"
        b"DTM+137:202612040800:203'RFF+BM:MEDUBL0009'TDT+20+VOY123W+1'NAD+CF+MSC:160:20'UNT+7+1'UNZ+1+CR0103'"
    )
    assert validate_interchange(data).errors == []
    result = map_interchange(data)
    assert result.events == [] and result.issues == []
