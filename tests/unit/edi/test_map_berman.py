"""BERMAN berth requests map to the vessel's calls they state: the port of the berth, the last and next ports."""

from edi.map import map_interchange
from edi.translate import translate_bytes
from tests.unit.edi.container_fixtures import FIXTURES, position, truncated, valid_and_mapped

D00B = "berman_d00b_logihub_berth_request.edi"
D16A = "berman_d16a_logihub_berth_request.edi"


def test_berth_request_gives_the_calls_at_the_berth_port_and_the_neighbouring_ports():
    result = valid_and_mapped(D00B)
    left, arrival, departure, next_port = result.events
    assert (left["transportEventTypeCode"], left["eventClassifierCode"]) == ("DEPA", "ACT")
    assert left["transportCall"]["UNLocationCode"] == "CNSHA"  # DTM 186 after LOC 125, last port of call
    assert (arrival["transportEventTypeCode"], arrival["eventClassifierCode"]) == ("ARRI", "EST")
    assert arrival["eventDateTime"] == "2026-12-02T06:00:00+01:00"
    assert arrival["transportCall"] == {
        "UNLocationCode": "NLRTM",
        "facilityCode": "ECT",
        "modeOfTransport": "VESSEL",
        "vessel": {"vesselIMONumber": "9703291", "vesselName": "MSC OSCAR"},
        "carrierVoyageNumber": "VOY123W",
    }
    assert (departure["transportEventTypeCode"], departure["transportCall"]["UNLocationCode"]) == ("DEPA", "NLRTM")
    assert (next_port["transportEventTypeCode"], next_port["transportCall"]["UNLocationCode"]) == ("ARRI", "BEANR")
    assert [position(e)[0] for e in result.events] == [8, 10, 11, 13]
    assert result.issues == []


def test_scheduled_times_are_planned_calls():
    arrival, departure = valid_and_mapped(D16A).events
    assert (arrival["eventClassifierCode"], arrival["eventDateTime"]) == ("PLN", "2026-12-02T05:00:00+01:00")
    assert (departure["eventClassifierCode"], departure["transportEventTypeCode"]) == ("PLN", "DEPA")


def test_cancelled_berth_request_gives_no_events():
    text = (FIXTURES / D16A).read_text().replace("BR20261126001+9", "BR20261126001+1")
    assert map_interchange(text.encode()).events == []


def test_truncated_berth_request_gives_positioned_errors_and_no_crash():
    document = translate_bytes(truncated(D00B, 330))
    assert document["errors"] and all(e["position"].get("segment") for e in document["errors"])
