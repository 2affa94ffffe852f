"""CUSREP conveyance reports map to the vessel's arrivals and departures, ACT or EST by their own qualifiers."""

import pytest

from edi.map import map_interchange
from edi.map.engine import iter_mapped
from edi.translate import translate_bytes
from tests.unit.edi.container_fixtures import FIXTURES, position, refs, truncated, valid_and_mapped

NOTICE = "cusrep_d95b_logihub_arrival_notice.edi"
ARRIVAL = "cusrep_d16a_logihub_arrival.edi"
MSC_OSCAR = {"vesselIMONumber": "9703291", "vesselName": "MSC OSCAR"}


def test_pre_arrival_report_gives_the_estimated_arrival_and_the_departure_from_the_last_port():
    departure, arrival = valid_and_mapped(NOTICE).events
    assert (arrival["eventType"], arrival["transportEventTypeCode"], arrival["eventClassifierCode"]) == (
        "TRANSPORT",
        "ARRI",
        "EST",
    )
    assert arrival["eventDateTime"] == "2026-12-03T18:00:00+01:00"  # DTM 132 on Rotterdam's clock
    assert arrival["transportCall"] == {
        "UNLocationCode": "NLRTM",  # LOC 87, place of initial arrival
        "facilityCode": "ECT",
        "modeOfTransport": "VESSEL",
        "vessel": MSC_OSCAR,
        "carrierVoyageNumber": "VOY123W",
    }
    assert position(arrival) == (13, "DTM")
    assert (departure["transportEventTypeCode"], departure["eventClassifierCode"]) == ("DEPA", "ACT")
    assert departure["eventDateTime"] == "2026-11-05T12:00:00+08:00"  # DTM 186 after LOC 125 (last port)
    assert departure["transportCall"]["UNLocationCode"] == "CNSHA"
    assert position(departure) == (11, "DTM")


def test_each_call_carries_the_reports_references():
    for event in valid_and_mapped(NOTICE).events:
        assert refs(event) == [("DEC", "CR2026120100001"), ("MAN", "MAN2026120001")]  # BGM 1004, RFF AFB = DOC 785
        assert event["source"]["party"] == "MSCAGENT" and event["source"]["rawMessage"] == "raw-1"


def test_arrival_report_of_d16a_gives_the_actual_arrival_and_the_expected_departure():
    result = valid_and_mapped(ARRIVAL)
    arrival, departure = result.events
    assert (arrival["transportEventTypeCode"], arrival["eventClassifierCode"]) == ("ARRI", "ACT")
    assert arrival["eventDateTime"] == "2026-12-02T09:40:00+01:00"
    assert arrival["eventCreatedDateTime"] == "2026-12-02T10:15:00+01:00"  # DTM 137, format 303
    assert (departure["transportEventTypeCode"], departure["eventClassifierCode"]) == ("DEPA", "EST")
    assert departure["eventDateTime"] == "2026-12-04T16:00:00+01:00"  # read past the LOC group's POC
    assert position(departure) == (13, "DTM")
    assert result.issues == []


def test_the_same_call_from_a_second_report_is_one_event():
    one = valid_and_mapped(ARRIVAL).events[0]
    text = (FIXTURES / ARRIVAL).read_text().replace("CR2026120200002+9", "CR2026120200003+5")
    other = map_interchange(text.encode()).events[0]
    assert one["eventID"] == other["eventID"]


def test_cancelled_report_gives_no_events_and_withdraws_the_report():
    text = (FIXTURES / ARRIVAL).read_text().replace("CR2026120200002+9", "CR2026120200002+1")
    ((_message, result),) = list(iter_mapped(text.encode()))
    assert result.events == [] and result.issues == []
    assert result.withdraws["document"] == {"type": "CUSREP", "number": "CR2026120200002", "function": "1"}


def test_a_call_without_a_port_is_reported_not_guessed():
    text = (FIXTURES / ARRIVAL).read_text().replace("LOC+5+NLRTM:139:6+ECT:TER:ZZZ'", "")
    text = text.replace("UNT+13+1", "UNT+12+1")
    result = map_interchange(text.encode())
    assert [e["transportEventTypeCode"] for e in result.events] == ["ARRI"]
    assert [(i.code, i.position.tag) for i in result.issues] == [("13", "DTM")]


@pytest.mark.parametrize("keep", [150, 330, 380])
def test_truncated_report_gives_positioned_errors_and_no_crash(keep):
    document = translate_bytes(truncated(ARRIVAL, keep))
    assert document["errors"]
    assert all(e["code"] and e["position"].get("segment") for e in document["errors"])


def test_a_departure_report_gives_the_expected_arrival_at_the_next_port_of_call():
    # BGM 186 conveyance declaration (departure): LOC 5 with its actual departure, LOC 61 with the ETA there
    data = (
        "UNB+UNOC:4+HLCUAGT:ZZZ+DECUSTOMS:ZZZ+20261205:1300+CR16'UNH+1+CUSREP:D:16A:UN'BGM+186+CRD1+9'"
        "DTM+137:202612051300:203'RFF+VON:024E'NAD+CA+HLC:172:20'"
        "TDT+20+024E+1+++++9501370:146:11:BERLIN EXPRESS'LOC+5+DEHAM:139:6'DTM+186:202612051215:203'"
        "LOC+61+NLRTM:139:6'DTM+132:202612061800:203'UNT+11+1'UNZ+1+CR16'"
    )
    result = map_interchange(data.encode())
    assert [(e["transportEventTypeCode"], e["eventClassifierCode"], e["transportCall"]["UNLocationCode"])
            for e in result.events] == [("DEPA", "ACT", "DEHAM"), ("ARRI", "EST", "NLRTM")]  # fmt: skip
    assert not [i for i in result.issues if i.code == "13"]


def test_the_voyage_itinerary_before_the_transport_group_gives_the_conveyances_calls():
    # every CUSREP directory has a header LOC-DTM group "to identify voyage itinerary" (D99B SG2) before
    # the conveyance's TDT group: the last port of call with its departure, the port of arrival with its ETA
    data = (
        "UNB+UNOC:3+AGENT01:ZZZ+AUCUSTOMS:ZZZ+261125:0800+P2'UNH+1+CUSREP:D:99B:UN'BGM+96+IAR-2026-0100+9'"
        "DTM+137:202611250800:203'RFF+VON:045S'LOC+125+NZAKL:139:6'DTM+136:202611261800:203'"
        "LOC+60+AUSYD:139:6'DTM+132:202611300600:203'TDT+20+045S+1+++++9703291:146:11:MSC ANNA'"
        "UNT+10+1'UNZ+1+P2'"
    )
    result = map_interchange(data.encode())
    calls = {
        (
            e["transportEventTypeCode"],
            e["eventClassifierCode"],
            e["transportCall"]["UNLocationCode"],
            e["eventDateTime"],
        )
        for e in result.events
    }
    assert calls == {
        ("DEPA", "ACT", "NZAKL", "2026-11-26T18:00:00+13:00"),
        ("ARRI", "EST", "AUSYD", "2026-11-30T06:00:00+11:00"),
    }
    assert all(e["transportCall"]["vessel"]["vesselIMONumber"] == "9703291" for e in result.events)


def test_a_withdrawn_arrival_report_states_no_call_and_withdraws_the_report():
    # Australia's ICS withdraws a sea arrival report with BGM 1225 50 'withdraw' (a previously approved message)
    data = (
        "UNB+UNOC:3+AGENT01:ZZZ+AUCUSTOMS:ZZZ+261201:1010+W1'UNH+1+CUSREP:D:99B:UN'BGM+98:::SEAAAR+AAR0001:1+50'"
        "NAD+TR+9122M::95'TDT+20+123++11++++8811924::11'LOC+60+AUSYD:139:6'DTM+178:202612010900:203'"
        "UNT+7+1'UNZ+1+W1'"
    )
    ((_message, result),) = list(iter_mapped(data.encode()))
    assert result.events == []
    assert result.withdraws["document"] == {"type": "CUSREP", "number": "AAR0001", "function": "50"}
