"""The vessel's arrivals and departures a message states become TRANSPORT ARRI/DEPA events, one per call."""

from pathlib import Path

import pytest

from edi.map import map_interchange
from edi.mappings.edifact.common import VESSEL_TIMES
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"


def calls(result):
    return [e for e in result.events if e["eventType"] == "TRANSPORT"]


def brief(event):
    call = event["transportCall"]
    return (
        event["transportEventTypeCode"],
        event["eventClassifierCode"],
        call["UNLocationCode"],
        event["eventDateTime"],
    )


def test_a_discharge_report_gives_the_vessels_estimated_arrival_and_departure_at_the_terminals_port():
    result = map_interchange(FIXTURES / "coarri_d95b_phpedifact_D95BCOARRI.edi")
    events = calls(result)
    assert problems_of(events) == []
    first = [e for e in events if e["source"]["messageReference"] == "1452515553811"]
    assert [brief(e) for e in first] == [
        ("ARRI", "EST", "ITGOA", "2016-02-02T00:00:00+01:00"),  # DTM 132
        ("DEPA", "EST", "ITGOA", "2016-02-04T16:52:00+01:00"),  # DTM 133
    ]
    call = first[0]["transportCall"]
    assert call["vessel"] == {"vesselCallSignNumber": "3ERX3", "vesselName": "COSCO AFRICA"}
    assert (call["carrierVoyageNumber"], call["facilityCode"], call["modeOfTransport"]) == ("031W", "VTE", "VESSEL")
    assert "equipmentReference" not in first[0]
    assert first[0]["source"]["position"]["tag"] == "DTM"


def test_a_bayplan_gives_the_actual_arrival_and_estimated_departure_at_the_port_it_leaves():
    result = map_interchange(FIXTURES / "baplie_d95b_phpedifact_D95BBAPLIE.edi")
    assert [brief(e) for e in calls(result)] == [
        ("ARRI", "ACT", "USLGB", "2016-04-14T00:00:00-07:00"),  # DTM 178 at LOC 5, Long Beach's clock
        ("DEPA", "EST", "USLGB", "2016-04-01T11:35:00-07:00"),  # DTM 133 at LOC 5
    ]


def test_the_same_call_reported_by_a_coarri_and_a_bayplan_is_one_event():
    coarri = (
        "UNB+UNOC:3+ECT+LOGIHUB+261205:1000+1'UNH+1+COARRI:D:95B:UN:ITG13'BGM+46+L1+9'"
        "TDT+20+612E+1++MSK:172:20+++9321483:146:11:MAERSK ESSEN'LOC+9+NLRTM:139:6+ECT:TER:ZZZ'"
        "DTM+178:202612050600:203'DTM+186:202612052200?+0100:303'NAD+CF+MSK:172:20'"
        "EQD+CN+MSKU1234565+45G1:102:5++2+5'DTM+203:202612051000:203'CNT+16:1'UNT+11+1'UNZ+1+1'"
    )
    baplie = (
        "UNB+UNOA:2+MSK+LOGIHUB+261205:2300+2'UNH+1+BAPLIE:D:95B:UN:SMDG20'BGM++B1+9'DTM+137:202612052300:203'"
        "TDT+20+612E+++MSK:172:20+++9321483:146:11:MAERSK ESSEN'LOC+5+NLRTM:139:6'LOC+61+GBFXT:139:6'"
        "DTM+178:202612050500?+0000:303'DTM+136:202612052200:203'DTM+132:202612071200:203'"
        "LOC+147+0120482::5'LOC+9+NLRTM:139:6'LOC+11+CNSHA:139:6'EQD+CN+MSKU1234565+45G1:102:5+++5'"
        "UNT+15+1'UNZ+1+2'"
    )
    from_terminal, from_bayplan = calls(map_interchange(coarri.encode())), calls(map_interchange(baplie.encode()))
    assert problems_of(from_terminal + from_bayplan) == []
    assert [brief(e)[:3] for e in from_terminal] == [("ARRI", "ACT", "NLRTM"), ("DEPA", "ACT", "NLRTM")]
    assert [brief(e)[:3] for e in from_bayplan] == [
        ("ARRI", "ACT", "NLRTM"),
        ("DEPA", "ACT", "NLRTM"),
        ("ARRI", "EST", "GBFXT"),  # the next port of call
    ]
    # one arrival (06:00 Rotterdam = 05:00 UTC) and one departure, whichever message told it, terminal named or not
    assert [e["eventID"] for e in from_terminal] == [e["eventID"] for e in from_bayplan[:2]]


def test_a_status_reports_transport_group_gives_the_vessel_times_of_its_ports():
    data = (
        "UNB+UNOC:3+MAEU+LOGIHUB+261125:1200+3'UNH+1+IFTSTA:D:00B:UN'BGM+23+S1+9'DTM+137:202611251200:203'"
        "CNI+1+MAEU123456789'STS+1+AE::ZZZ'DTM+334:202611261430:203'LOC+175+CNSHA:139:6'"
        "TDT+20+612E+1++MAEU:172:20+++9321483:146:11:MAERSK ESSEN'LOC+9+CNSHA:139:6'DTM+186:202611270200:203'"
        "LOC+11+NLRTM:139:6'DTM+132:202612300600:203'EQD+CN+MSKU1234565+45G1:102:5'UNT+14+1'UNZ+1+3'"
    )
    result = map_interchange(data.encode())
    assert problems_of(result.events) == []
    assert [brief(e) for e in calls(result)] == [
        ("DEPA", "ACT", "CNSHA", "2026-11-27T02:00:00+08:00"),
        ("ARRI", "EST", "NLRTM", "2026-12-30T06:00:00+01:00"),
    ]
    assert [e["equipmentEventTypeCode"] for e in result.events if e["eventType"] == "EQUIPMENT"] == ["LOAD"]


@pytest.mark.parametrize(("qualifier", "expected"), sorted(VESSEL_TIMES.items()))
def test_each_vessel_time_qualifier_of_the_directory_maps_to_its_event_and_classifier(qualifier, expected):
    data = (
        "UNB+UNOC:3+T+LOGIHUB+261125:1200+4'UNH+1+COARRI:D:00B:UN'BGM+44+R1+9'"
        f"TDT+20+1W+1+++++9321483:146:11:X'LOC+11+CNSHA:139:6'DTM+{qualifier}:202611250800:203'"
        "EQD+CN+MSKU1234565'DTM+203:202611251000:203'UNT+7+1'UNZ+1+4'"
    )
    (event,) = calls(map_interchange(data.encode()))
    assert (event["transportEventTypeCode"], event["eventClassifierCode"]) == expected
    assert problems_of([event]) == []


def test_a_vessel_time_without_a_port_is_reported_not_mapped():
    data = (
        "UNB+UNOC:3+T+LOGIHUB+261125:1200+5'UNH+1+COARRI:D:00B:UN'BGM+44+R1+9'"
        "TDT+20+1W+1+++++9321483:146:11:X'DTM+178:202611250800:203'"
        "EQD+CN+MSKU1234565'DTM+203:202611251000:203'UNT+6+1'UNZ+1+5'"
    )
    result = map_interchange(data.encode())
    assert calls(result) == []
    assert [(i.code, i.position.tag) for i in result.issues if "port" in i.message] == [("13", "DTM")]


def test_a_truck_or_train_gives_no_vessel_call():
    data = (
        "UNB+UNOC:3+T+LOGIHUB+261125:1200+6'UNH+1+IFTSTA:D:00B:UN'BGM+23+S1+9'CNI+1+B1'STS+1+1'"
        "DTM+334:202611261430:203'LOC+175+CNSHA:139:6'TDT+1++3'LOC+9+CNSHA:139:6'DTM+186:202611270200:203'"
        "EQD+CN+MSKU1234565'UNT+10+1'UNZ+1+6'"
    )
    (arrival,) = calls(map_interchange(data.encode()))  # the STS 1 status, not the truck's DTM 186
    assert arrival["transportEventTypeCode"] == "ARRI" and arrival["equipmentReference"] == "MSKU1234565"
    assert arrival["transportCall"]["modeOfTransport"] == "TRUCK"


def test_one_interchange_telling_a_call_twice_lists_it_once(tmp_path):
    from edi.translate import translate_file

    message = (
        "UNH+{n}+COARRI:D:95B:UN:ITG13'BGM+46+L{n}+9'"
        "TDT+20+612E+1++MSK:172:20+++9321483:146:11:MAERSK ESSEN'LOC+9+NLRTM:139:6'"
        "DTM+178:202612050600:203'NAD+CF+MSK:172:20'"
        "EQD+CN+{box}+45G1:102:5++2+5'DTM+203:202612051000:203'CNT+16:1'UNT+10+{n}'"
    )
    body = "UNB+UNOC:3+ECT+LOGIHUB+261205:1000+9'"
    body += message.format(n=1, box="MSKU1234565") + message.format(n=2, box="OOLU8293047") + "UNZ+2+9'"
    path = tmp_path / "two.edi"
    path.write_text(body)
    document = translate_file(path)
    assert [m["status"] for m in document["messages"]] == ["accepted", "accepted"]
    kinds = [e["eventType"] for e in document["events"]]
    assert kinds.count("TRANSPORT") == 1 and kinds.count("EQUIPMENT") == 2


def test_an_actual_vessel_arrival_ahead_of_the_message_is_refused():
    from datetime import UTC, datetime

    data = (
        "UNB+UNOC:3+ITGOAVTE+LOGIHUB+261202:0800+V1'UNH+1+COARRI:D:13B:UN:SMDG22'BGM+44+DL77+9'"
        "TDT+20+123N+1++MSC:172:20+++9703291:146:11:MSC GULSUN'LOC+11+ITGOA:139:6'DTM+178:202712011900:203'"
        "DTM+132:202712011900:203'NAD+CA+MSC:172:20'CNT+16:0'UNT+9+1'UNZ+1+V1'"
    )
    result = map_interchange(data.encode(), received=datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
    assert [(e["transportEventTypeCode"], e["eventClassifierCode"]) for e in result.events] == [("ARRI", "EST")]
    assert any(i.severity == "error" and i.position.tag == "DTM" for i in result.issues)


@pytest.mark.parametrize(("document", "port"), [("46", "ITGOA"), ("44", "ESVLC")])
def test_a_terminals_report_places_its_vessel_times_at_the_port_it_reports_on(document, port):
    # a loading report (46) at Genoa names the next port (LOC 11 Valencia) just before the times
    data = (
        "UNB+UNOA:2+ITGOAVTE+LOGIHUB+261202:0800+CL1'UNH+1+COARRI:D:95B:UN:ITG12'"
        f"BGM+{document}+LD77+9'TDT+20+123N+1++MSC:172:20+++9703291:146:11:MSC GULSUN'RFF+VON:123N'"
        "LOC+9+ITGOA:139:6+VTE:TER:ZZZ'LOC+11+ESVLC:139:6'DTM+178:202612011900:203'DTM+136:202612021800:203'"
        "NAD+CA+MSC:172:20'EQD+CN+HLXU8765430+22G1:102:5++2+4'DTM+203:202612020145:203'CNT+16:1'UNT+14+1'UNZ+1+CL1'"
    )
    calls = [e for e in map_interchange(data.encode()).events if e["eventType"] == "TRANSPORT"]
    assert [(e["transportEventTypeCode"], e["transportCall"]["UNLocationCode"]) for e in calls] == [
        ("ARRI", port),
        ("DEPA", port),
    ]
