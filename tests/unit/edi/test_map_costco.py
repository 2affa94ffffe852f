"""COSTCO stuffing/stripping confirmations map to one STUF/STRP per container, with place, time and bookings."""

import pytest

from edi.map import map_interchange
from edi.map.engine import iter_mapped
from edi.translate import translate_bytes
from tests.unit.edi.container_fixtures import FIXTURES, position, refs, truncated, valid_and_mapped

STUFFING = "costco_d95b_logihub_stuffing.edi"
STRIPPING = "costco_d16a_logihub_stripping.edi"


def test_stuffing_confirmation_gives_one_stuf_per_container_at_the_port_of_loading():
    result = valid_and_mapped(STUFFING)
    first, second, vessel = result.events
    assert (first["eventType"], first["equipmentEventTypeCode"], first["eventClassifierCode"]) == (
        "EQUIPMENT",
        "STUF",
        "ACT",
    )
    assert first["equipmentReference"] == "MSKU1234565"
    assert (first["ISOEquipmentCode"], first["emptyIndicatorCode"]) == ("45G1", "LADEN")
    assert first["eventDateTime"] == "2026-11-28T14:10:00+08:00"  # DTM 7 on Shanghai's clock
    assert first["transportCall"] == {
        "modeOfTransport": "VESSEL",
        "vessel": {"vesselIMONumber": "9321483", "vesselName": "MAERSK ESSEN"},
        "carrierVoyageNumber": "613E",
        "UNLocationCode": "CNSHA",
        "facilityCode": "YSD",
    }
    assert position(first) == (9, "EQD") and first["source"]["rawMessage"] == "raw-1"
    assert second["equipmentReference"] == "MSCU1234566"
    assert second["eventDateTime"] == "2026-11-28T14:55:00+08:00"  # DTM 349 packing end date
    assert position(second) == (13, "EQD")
    assert (vessel["transportEventTypeCode"], vessel["eventClassifierCode"]) == ("DEPA", "EST")
    assert result.issues == []


def test_each_container_carries_the_references_of_the_consignments_placed_in_it():
    first, second, _ = valid_and_mapped(STUFFING).events
    # both consignments have goods in MSKU1234565; only the second's second goods item is in MSCU1234566
    assert refs(first) == [
        ("TRD", "HBL0001"),
        ("TRD", "HBL0002"),
        ("BKG", "BKG100001"),
        ("TRD", "MAEU778899001"),
        ("BKG", "BKG556677"),
    ]
    assert refs(second) == [("TRD", "HBL0002"), ("TRD", "MAEU778899001"), ("BKG", "BKG556677")]


def test_stripping_confirmation_of_d16a_reads_the_stripping_date_with_its_offset():
    result = valid_and_mapped(STRIPPING)
    first, second, arrival = result.events
    assert (first["equipmentEventTypeCode"], first["eventClassifierCode"]) == ("STRP", "ACT")
    assert first["equipmentReference"] == "MEDU1234562"
    assert first["eventDateTime"] == "2026-11-28T16:45:00+01:00"  # DTM 678, format 303 with its offset
    assert first["source"]["timeZone"] == "message"
    assert first["transportCall"]["UNLocationCode"] == "NLRTM"  # LOC 11, port of discharge
    assert first["transportCall"]["facilityCode"] == "ECT"
    assert refs(first) == [("TRD", "MEDUHB0001"), ("BKG", "BKG880001"), ("CTR", "ORD4455")]
    assert second["equipmentReference"] == "TGHU7654320" and second["emptyIndicatorCode"] == "EMPTY"
    assert refs(second) == [("CTR", "ORD4455")]  # no consignment placed in it: the stuffing order only
    assert (arrival["transportEventTypeCode"], arrival["eventClassifierCode"]) == ("ARRI", "ACT")
    assert arrival["eventDateTime"] == "2026-11-27T19:30:00+01:00"


def test_cancelled_confirmation_gives_no_events_and_withdraws_the_confirmation():
    result = map_interchange(FIXTURES / STRIPPING)
    assert {e["source"]["messageReference"] for e in result.events} == {"1"}
    assert [i for i in result.issues if i.message_ref == "2"] == []
    (_first, (_message, cancelled)) = list(iter_mapped(FIXTURES / STRIPPING))
    assert cancelled.withdraws["document"]["function"] == "1"


def test_unknown_document_code_is_an_error_and_gives_no_event():
    data = (FIXTURES / STUFFING).read_bytes().replace(b"BGM+788+", b"BGM+999+")
    result = map_interchange(data)
    assert result.events[0]["eventType"] == "TRANSPORT" and len(result.events) == 1
    assert [(i.code, i.severity, i.position.tag) for i in result.issues] == [("14", "error", "BGM")]


@pytest.mark.parametrize("keep", [120, 300, 400, 560])
def test_truncated_confirmation_gives_positioned_errors_and_no_crash(keep):
    document = translate_bytes(truncated(STUFFING, keep))
    assert document["errors"]
    assert all(e["code"] and e["position"].get("segment") for e in document["errors"])
    assert all(e["eventType"] in ("EQUIPMENT", "TRANSPORT") for e in document["events"])


def test_a_bad_stuffing_time_is_reported_where_it_is():
    data = (FIXTURES / STUFFING).read_bytes().replace(b"DTM+7:202611281410:203", b"DTM+7:2026112814:203")
    result = map_interchange(data)
    bad = [(i.code, i.position.segment, i.position.tag) for i in result.issues]
    assert bad == [("12", 11, "DTM"), ("13", 9, "EQD")]  # unreadable date, then the fallback said
