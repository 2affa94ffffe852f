"""IFTMAN arrival notices map to the vessel's arrival at the port of discharge, with the shipment's references."""

from edi.map import map_interchange
from edi.translate import translate_bytes
from tests.unit.edi.container_fixtures import FIXTURES, position, refs, truncated, valid_and_mapped

NOTICE = "iftman_d95b_logihub_notice.edi"
ARRIVED = "iftman_d16a_logihub_arrived.edi"


def test_arrival_notice_gives_the_estimated_arrival_not_the_departure():
    result = valid_and_mapped(NOTICE)
    (arrival,) = result.events  # DTM 186 at the port of loading is not the notice's news
    assert (arrival["eventType"], arrival["transportEventTypeCode"], arrival["eventClassifierCode"]) == (
        "TRANSPORT",
        "ARRI",
        "EST",
    )
    assert arrival["eventDateTime"] == "2026-12-28T12:00:00+01:00"
    assert arrival["transportCall"] == {
        "UNLocationCode": "NLRTM",
        "facilityCode": "ECT",
        "modeOfTransport": "VESSEL",
        "vessel": {"vesselIMONumber": "9703291", "vesselName": "MSC OSCAR"},
        "carrierVoyageNumber": "613E",
    }
    assert refs(arrival) == [("TRD", "MEDUBL0001"), ("BKG", "BKG990011"), ("TRD", "HBL0099")]
    assert position(arrival) == (11, "DTM")
    assert result.issues == []


def test_actual_arrival_is_the_same_call_a_conveyance_report_states():
    (arrival,) = valid_and_mapped(ARRIVED).events
    assert (arrival["eventClassifierCode"], arrival["eventDateTime"]) == ("ACT", "2026-12-02T09:40:00+01:00")
    reported = valid_and_mapped("cusrep_d16a_logihub_arrival.edi").events[0]
    assert arrival["eventID"] == reported["eventID"]


def test_cancelled_notice_gives_no_events():
    text = (FIXTURES / ARRIVED).read_text().replace("AN20261202001+9", "AN20261202001+1")
    assert map_interchange(text.encode()).events == []


def test_truncated_notice_gives_positioned_errors_and_no_crash():
    document = translate_bytes(truncated(NOTICE, 320))
    assert document["errors"] and all(e["position"].get("segment") for e in document["errors"])
