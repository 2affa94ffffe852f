"""IFTSTA status codes map through a table to DCSA events; unknown codes are reported, not guessed."""

from pathlib import Path

from edi.map import map_interchange
from edi.map.engine import iter_mapped
from edi.mappings.edifact import iftsta
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"


def test_status_report_maps_each_known_status_with_its_own_time_and_place():
    result = map_interchange(FIXTURES / "iftsta_d00b_logihub_status.edi")
    assert problems_of(result.events) == []
    loaded, arrived = result.events
    assert (loaded["eventType"], loaded["equipmentEventTypeCode"]) == ("EQUIPMENT", "LOAD")  # X12 315 AE
    assert loaded["equipmentReference"] == "MSKU1234565"
    assert loaded["eventDateTime"] == "2026-11-26T14:30:00+08:00"  # DTM 334
    assert loaded["transportCall"]["UNLocationCode"] == "CNSHA"
    assert loaded["transportCall"]["vessel"]["vesselIMONumber"] == "9321483"
    refs = {(r["documentReferenceType"], r["documentReferenceValue"]) for r in loaded["documentReferences"]}
    assert refs == {("TRD", "MAEU123456789"), ("BKG", "BKG778899")}  # CNI 1004 and the header's RFF BN
    assert (arrived["eventType"], arrived["transportEventTypeCode"]) == ("TRANSPORT", "ARRI")  # Rec. 24 code 1
    assert arrived["eventDateTime"] == "2026-12-05T18:00:00+01:00"  # 205 with its own offset
    assert arrived["transportCall"]["UNLocationCode"] == "NLRTM"
    assert "equipmentReference" not in arrived


def test_unknown_status_code_is_an_error_naming_code_agency_and_text():
    result = map_interchange(FIXTURES / "iftsta_d00b_logihub_status.edi")
    (issue,) = [i for i in result.issues if i.code == "14"]
    assert issue.severity == "error" and issue.position.tag == "STS" and issue.position.segment == 17
    assert "'ZZ9'" in issue.message and "ZZZ" in issue.message and "SOMETHING ODD" in issue.message


def test_equipment_first_layout_of_newer_directories_gives_the_status_its_container():
    data = (
        "UNB+UNOC:3+RAIL:ZZZ+LOGIHUB:ZZZ+261125:1200+8'UNH+1+IFTSTA:D:16A:UN'BGM+23+S1+9'DTM+137:202611251200:203'"
        "EQD+CN+MSKU1234565+45G1:102:5+++5'STS+1+UR'LOC+175+DEHAM:139:6'DTM+334:202611251100:203'UNT+8+1'UNZ+1+8'"
    )
    (event,) = map_interchange(data.encode()).events
    assert (event["equipmentEventTypeCode"], event["equipmentReference"]) == ("DISC", "MSKU1234565")
    assert event["eventDateTime"] == "2026-11-25T11:00:00+01:00"
    assert event["transportCall"]["UNLocationCode"] == "DEHAM"


def test_equipment_first_layout_keeps_each_containers_statuses_with_that_container():
    # D16A SG4: EQD groups with their SG7 STS groups and an SG10 TDT group, then an SG14 CNI group
    data = (
        "UNB+UNOC:4+ONEY:ZZZ+LOGIHUB:ZZZ+20261203:0101+9'UNH+1+IFTSTA:D:16A:UN'BGM+23+S3+9'"
        "EQD+CN+TCLU9876543+45G1+++5'RFF+BM:ONEYSHAB1234500'"
        "STS+1+AE::ZZZ'LOC+175+SGSIN:139:6'DTM+7:202612022315:203'"
        "STS+1+VD::ZZZ'DTM+334:202612022330:203'"
        "TDT+20+012E+1+++++9839179:146:11:ONE HARMONY'LOC+9+SGSIN:139:6'LOC+11+USLAX:139:6'DTM+132:202612201200:203'"
        "EQD+CN+MRKU5550106+22G1+++4'STS+1+RD::ZZZ'LOC+175+USLAX:139:6'DTM+7:202612011500:203'"
        "CNI+1+ONEYSHAB9'STS+1+OA::ZZZ'DTM+334:202612031000:203'LOC+175+USLAX:139:6'EQD+CN+SEGU1122337'"
        "UNT+23+1'UNZ+1+9'"
    )
    loaded, departed, returned, out, eta = map_interchange(data.encode()).events
    assert (loaded["equipmentEventTypeCode"], loaded["equipmentReference"]) == ("LOAD", "TCLU9876543")
    assert loaded["eventDateTime"] == "2026-12-02T23:15:00+08:00"
    assert loaded["transportCall"]["vessel"]["vesselIMONumber"] == "9839179"  # the container group's TDT
    assert (departed["transportEventTypeCode"], departed["equipmentReference"]) == ("DEPA", "TCLU9876543")
    assert departed["transportCall"]["UNLocationCode"] == "SGSIN"  # the TDT's port of loading, not of discharge
    assert (returned["equipmentEventTypeCode"], returned["equipmentReference"]) == ("GTIN", "MRKU5550106")
    assert returned["eventDateTime"] == "2026-12-01T15:00:00-08:00"
    assert (out["equipmentEventTypeCode"], out["equipmentReference"]) == ("GTOT", "SEGU1122337")
    assert (eta["transportEventTypeCode"], eta["eventClassifierCode"]) == ("ARRI", "EST")  # the TDT group's DTM 132


def test_status_table_maps_every_code_to_a_schema_type_code():
    valid = {
        "EQUIPMENT": {"LOAD", "DISC", "GTIN", "GTOT", "STUF", "STRP", "PICK", "DROP", "INSP", "RSEA", "RMVD"},
        "TRANSPORT": {"ARRI", "DEPA"},
        "SHIPMENT": {"CONF", "VOID", "RECE", "RELS"},
        "CUSTOMS": {"RLSD", "REFU", "HOLD"},
    }
    for kind, code, classifier in iftsta.EVENTS.values():
        assert code in valid[kind] and classifier == "ACT"


def test_shared_iftsta_sample_maps_rail_departure_with_flagged_container():
    result = map_interchange(FIXTURES / "malformed" / "iftsta_d00b_apimeister_d00b_iftsta.edi")
    assert problems_of(result.events) == []
    (event,) = result.events
    assert (event["eventType"], event["transportEventTypeCode"]) == ("TRANSPORT", "DEPA")
    assert event["equipmentReference"] == "TRHU4561222"
    assert event["eventDateTime"] == "2022-11-19T07:10:00-05:00"
    assert event["transportCall"]["UNLocationCode"] == "USSYR"
    assert event["transportCall"]["modeOfTransport"] == "RAIL"
    assert "facilityCode" not in event["transportCall"]  # C519 US:162 is a country, not a terminal
    refs = {(r["documentReferenceType"], r["documentReferenceValue"]) for r in event["documentReferences"]}
    assert refs == {("TRD", "ABCD224O4023815X"), ("BKG", "24O4023815")}
    assert any(i.code == "12" and "should be 5" in i.message for i in result.issues)


def test_status_naming_its_container_only_by_reference_still_maps_it():
    data = (
        "UNB+UNOC:3+MAEU+LOGIHUB+261125:1200+9'UNH+1+IFTSTA:D:00B:UN'BGM+23+S2+9'DTM+137:202611251200:203'"
        "CNI+1+MAEU123456789'STS+1+OA::ZZZ'RFF+EQ:MSKU1234565'DTM+334:202611251000:203'LOC+175+CNSHA:139:6'"
        "UNT+9+1'UNZ+1+9'"
    )
    (event,) = map_interchange(data.encode()).events
    assert (event["equipmentEventTypeCode"], event["equipmentReference"]) == ("GTOT", "MSKU1234565")
    assert event["eventDateTime"] == "2026-11-25T10:00:00+08:00"


def test_carriers_in_bond_and_truck_loading_statuses_map():
    from edi.mappings.edifact.iftsta import EVENTS

    assert EVENTS["IB"] == ("CUSTOMS", "RLSD", "ACT") and EVENTS["AM"] == ("EQUIPMENT", "LOAD", "ACT")


def test_a_bad_vessel_number_that_several_events_read_is_reported_once():
    # a carrier's status with the vessel's ETD/ETA in its TDT group: three events read one TDT
    data = (
        "UNB+UNOC:2+CARRX:ZZZ+CUSTY:ZZZ+110419:0540+6771'UNH+1+IFTSTA:D:99B:UN'BGM+23+315+9'"
        "DTM+137:201104172300:203'RFF+BN:BK0001'CNI+1'STS+1+VD::ZZZ'DTM+334:201104172300:203'"
        "LOC+175+CNXGG:139:6:XINGANG'TDT+20+9996R+1++:172+++9999999:146:11:TEST VESSEL'"
        "LOC+9+CNXGG:139:6'DTM+133:201104170000:203'LOC+11+USLGB:139:6'DTM+132:201105120000:203'"
        "EQD+CN+MSKU0308961+42G0:102:5+++5'UNT+15+1'UNZ+1+6771'"
    )
    result = map_interchange(data.encode())
    assert len(result.events) == 3
    imo = [i for i in result.issues if "IMO" in i.message]
    assert len(imo) == 1 and imo[0].position.tag == "TDT"


def test_a_status_group_with_a_category_but_no_status_code_says_so():
    # STS+1' (a Nordic forwarder's D99B status: transport category, no C555 status)
    data = (
        "UNB+UNOC:2+FWDA:30+FWDB:30+140919:0146+92477'UNH+2057831+IFTSTA:D:99B:UN:SE0015'BGM+132+K24091+5'"
        "DTM+137:201409190146:203'LOC+5+FIKTK'CNI+1'STS+1'EQD+CN+MSKU0308961'RFF+CU:K24091'UNT+10+2057831'"
        "UNZ+1+92477'"
    )
    result = map_interchange(data.encode())
    assert result.events == []
    (issue,) = result.errors
    assert issue.code == "13" and issue.position.tag == "STS" and "no status" in issue.message


def test_cancelled_status_report_yields_no_status():
    data = (
        "UNB+UNOC:3+MAEU+LOGIHUB+261125:1200+9'UNH+1+IFTSTA:D:00B:UN'BGM+23+S2+1'DTM+137:202611251200:203'"
        "CNI+1+MAEU123456789'STS+1+OA::ZZZ'RFF+EQ:MSKU1234565'DTM+334:202611251000:203'LOC+175+CNSHA:139:6'"
        "UNT+9+1'UNZ+1+9'"
    )
    ((_message, result),) = list(iter_mapped(data.encode()))
    assert result.events == [] and not [i for i in result.issues if i.position.tag == "BGM"]
    assert result.withdraws == {
        "document": {"type": "IFTSTA", "number": "S2", "function": "1"},
        "created": "2026-11-25T12:00:00+00:00",  # DTM 137
    }


def test_an_actual_status_dated_after_the_message_arrived_is_refused_not_stored():
    from datetime import UTC, datetime

    data = (
        "UNB+UNOC:3+MAEU:ZZZ+LOGIHUB:ZZZ+261206:0700+F1'UNH+1+IFTSTA:D:00B:UN'BGM+23+S1+9'"
        "DTM+137:201501010700:203'CNI+1+MAEU1'"  # a stale template date is no bound
        "STS+1+21'DTM+334:203012060630:203'LOC+175+NLRTM:139:6'EQD+CN+MRKU5550106'"  # 2030: a typo'd year
        "STS+1+21'DTM+334:202612070630:203'LOC+175+NLRTM:139:6'EQD+CN+SEGU1122337'"  # within a day: a zone slip
        "UNT+13+1'UNZ+1+F1'"
    )
    result = map_interchange(data.encode(), received=datetime(2026, 12, 6, 12, 0, tzinfo=UTC))
    assert [e["equipmentReference"] for e in result.events] == ["SEGU1122337"]
    (issue,) = [i for i in result.issues if i.severity == "error"]
    assert issue.code == "12" and "2030-12-06" in issue.message and issue.position.tag == "STS"


def test_a_status_code_from_the_senders_own_agency_does_not_sink_the_message():
    # STS+1+P::HS names an agency outside 3055's list: a warning; the departure is still translated
    from edi.translate import translate_file

    document = translate_file(FIXTURES / "malformed" / "iftsta_d00b_apimeister_d00b_iftsta.edi")
    (message,) = document["messages"]
    assert message["status"] == "accepted_with_warnings"
    assert any("'HS' for element 3055" in w["message"] for w in message["warnings"])
    assert [e["transportEventTypeCode"] for e in document["events"]] == ["DEPA"]
    assert [e["code"] for e in document["errors"]] == ["28"]  # the UNZ reference, the interchange's defect


def test_a_rail_status_report_with_a_newer_directorys_date_format_is_accepted_and_read():
    from edi.translate import translate_file

    document = translate_file(FIXTURES / "iftsta_d96a_logihub_rail.edi")
    [message] = document["messages"]
    assert message["status"] == "accepted_with_warnings" and message["errors"] == []
    assert [w["code"] for w in message["warnings"] if w["position"]["tag"] == "DTM"] == ["12", "12"]
    events = document["events"]
    assert problems_of(events) == []
    moves = [(e.get("equipmentEventTypeCode") or e["transportEventTypeCode"], e["equipmentReference"]) for e in events]
    assert moves == [("DISC", "TCLU1234505"), ("DISC", "TCLU1234510"), ("DEPA", "TCLU1234526")]
    assert [e["eventDateTime"] for e in events] == [  # DDMMCCYYHHMM on the place's clock
        "2024-03-17T10:45:00+01:00",
        "2024-03-17T10:45:00+01:00",
        "2024-03-17T14:30:00+01:00",
    ]
    assert events[0]["transportCall"] == {"modeOfTransport": "RAIL", "UNLocationCode": "DEDUI", "facilityCode": "DUSS"}
    assert events[2]["transportCall"]["UNLocationCode"] == "ATVIE"


def test_a_carriers_statuses_keep_the_offset_each_time_is_written_with():
    from edi.translate import translate_file

    document = translate_file(FIXTURES / "iftsta_d00b_logihub_carrier_zones.edi")
    assert [m["status"] for m in document["messages"]] == ["accepted", "accepted"]
    events = document["events"]
    assert problems_of(events) == []
    found = [
        (e.get("equipmentEventTypeCode") or e["transportEventTypeCode"], e["equipmentReference"], e["eventDateTime"])
        for e in events
    ]
    assert found == [
        ("LOAD", "MSKU8080800", "2024-03-15T01:22:00+08:00"),  # 203: on Shanghai's clock
        ("DEPA", "MSKU8080815", "2024-03-15T18:45:00+08:00"),  # 303 with ?+08
        ("DEPA", "MSKU8080820", "2024-03-15T18:45:00+08:00"),
        ("GTOT", "MRKU1212121", "2024-03-14T16:30:00-05:00"),  # 304 with -05
    ]
    assert events[0]["transportCall"]["facilityCode"] == "YSCT"
    assert events[0]["transportCall"]["vessel"]["vesselIMONumber"] == "9321483"
    assert events[3]["transportCall"] == {"UNLocationCode": "USSAV", "facilityCode": "GCT"}


def test_a_vessel_status_given_only_by_its_estimate_is_that_estimate_not_an_actual_move():
    # an ETA/ETD update: the status group's only date is the estimate (DTM 132 / 133) or the schedule (232)
    data = (
        "UNB+UNOC:3+MAEU:ZZZ+LOGIHUB:ZZZ+261205:1900+EST1'UNH+1+IFTSTA:D:99B:UN'BGM+23+EST1+9'"
        "DTM+137:202612051900:203'CNI+1+MAEU261234567'STS+1+VA::ZZZ'DTM+132:202612281200:203'"
        "LOC+175+NLRTM:139:6'TDT+20+645W+1++MAEU:172:20+++9778791:146:11:MAERSK ESSEN'"
        "CNI+2+MAEU261234567'STS+1+24::6'LOC+175+CNSHA:139:6'"
        "TDT+20+645W+1++MAEU:172:20+++9778791:146:11:MAERSK ESSEN'DTM+133:202612071200:203'"
        "CNI+3+MAEU261234567'STS+1+VD::ZZZ'DTM+189:202612071000:203'DTM+334:202612051730:203'"
        "LOC+175+CNSHA:139:6'UNT+21+1'UNZ+1+EST1'"
    )
    result = map_interchange(data.encode())
    assert [i for i in result.issues if "message date" in i.message] == []  # no fallback to it
    statuses = [e for e in result.events if e["source"]["position"]["tag"] == "STS"]
    got = [(e["transportEventTypeCode"], e["eventClassifierCode"], e["eventDateTime"]) for e in statuses]
    assert got == [
        ("ARRI", "EST", "2026-12-28T12:00:00+01:00"),
        ("DEPA", "EST", "2026-12-07T12:00:00+08:00"),
        ("DEPA", "ACT", "2026-12-05T17:30:00+08:00"),  # the status change itself comes first
    ]


def test_a_status_that_names_its_mode_does_not_take_another_legs_transport_as_its_call():
    # D16A: a container's statuses (SG7) share its TDT groups (SG10); the rail leg is the AL's, not the UV's
    data = (
        "UNB+UNOC:3+CMDU:ZZZ+LOGIHUB:ZZZ+261205:0130+CM77'UNH+77+IFTSTA:D:16A:UN'BGM+23+CMST77+9'"
        "DTM+137:202612050130:203'EQD+CN+CMAU1234564+45R1:102:5+++5'RFF+BN:NAM1234567'"
        "STS+1+UV::ZZZ'LOC+175+USLAX:139:6'DTM+334:202612041310:203'"
        "STS+1+AL::ZZZ'LOC+175+USLAX:139:6'DTM+334:202612042205:203'"
        "TDT+30++2++BNSF:172:ZZZ+++4711:::BNSF 4711'UNT+13+77'UNZ+1+CM77'"
    )
    unloaded, railed = map_interchange(data.encode()).events
    assert unloaded["equipmentEventTypeCode"] == "DISC"
    assert "transportCall" not in unloaded or "modeOfTransport" not in unloaded["transportCall"]
    assert railed["equipmentEventTypeCode"] == "LOAD"
    assert railed["transportCall"]["modeOfTransport"] == "RAIL"


def test_rec24_loaded_ramped_and_stuffed_statuses_are_equipment_moves():
    # UN/ECE Rec. 24 (UNCL 9011 of D96A): 48 loaded, 70 ramped (onto rail), 93 stuffed, 94 stuffed and sealed
    data = (
        "UNB+UNOC:3+RAIL:ZZZ+LOGIHUB:ZZZ+240613:0700+1'UNH+1+IFTSTA:D:96A:UN'BGM+23+S1+9'"
        "CNI+1+RC1'STS+1+70'DTM+334:202406122130:203'LOC+175+DEMUC:139:6'EQD+CN+HLXU1234561'"
        "STS+1+48'DTM+334:202406130015:203'LOC+175+DEHAM:139:6'EQD+CN+MSCU7654329'"
        "STS+1+93'DTM+334:202406101200:203'LOC+175+DEMUC:139:6'EQD+CN+CMAU5551119'"
        "STS+1+94'DTM+334:202406101300:203'LOC+175+DEMUC:139:6'EQD+CN+APZU1212127'"
        "UNT+19+1'UNZ+1+1'"
    )
    result = map_interchange(data.encode())
    assert [i for i in result.issues if i.severity == "error"] == []
    moves = [(e["equipmentEventTypeCode"], e["equipmentReference"]) for e in result.events]
    assert moves == [("LOAD", "HLXU1234561"), ("LOAD", "MSCU7654329"), ("STUF", "CMAU5551119"), ("STUF", "APZU1212127")]
    assert result.events[1]["eventDateTime"] == "2024-06-13T00:15:00+02:00"


def test_a_status_listing_the_route_is_on_the_vessel_of_its_end_of_the_transhipment():
    # the status groups name both vessels (to the hub and from it): a discharge at the hub is off the
    # first (its LOC 11 is the hub), a loading or departure there is onto the second (its LOC 9 is)
    route = (
        "TDT+20+1FE+1++CMA:172:20+++9454448:146:11:FIRST'LOC+9+CNSHA:139:6'LOC+11+SGSIN:139:6'"
        "TDT+20+2MX+1++CMA:172:20+++9839131:146:11:SECOND'LOC+9+SGSIN:139:6'LOC+11+NLRTM:139:6'"
    )
    data = (
        "UNB+UNOC:3+CMDU:ZZZ+LOGIHUB:ZZZ+240622:0600+1'UNH+1+IFTSTA:D:00B:UN'BGM+23+S1+9'CNI+1+BL1'"
        f"STS+1+UV::ZZZ'DTM+334:202406211430:203'LOC+175+SGSIN:139:6'{route}EQD+CN+CMAU5551119'"
        f"STS+1+AE::ZZZ'DTM+334:202406231015:203'LOC+175+SGSIN:139:6'{route}EQD+CN+CMAU5551119'"
        f"STS+1+VD::ZZZ'DTM+334:202406231800:203'LOC+175+SGSIN:139:6'{route}"
        "UNT+31+1'UNZ+1+1'"
    )
    discharged, loaded, departed = map_interchange(data.encode()).events
    assert discharged["equipmentEventTypeCode"] == "DISC"
    assert discharged["transportCall"]["carrierVoyageNumber"] == "1FE"
    assert loaded["equipmentEventTypeCode"] == "LOAD"
    assert loaded["transportCall"]["carrierVoyageNumber"] == "2MX"
    assert loaded["transportCall"]["vessel"]["vesselIMONumber"] == "9839131"
    assert departed["transportEventTypeCode"] == "DEPA"
    assert departed["transportCall"]["carrierVoyageNumber"] == "2MX"


def test_a_delivery_or_collection_is_at_the_time_of_that_act():
    # EANCOM's IFTSTA gives a delivery's time as DTM 35 (delivered, actual), a collection's as DTM 200
    data = (
        "UNB+UNOC:3+5412345000013:14+4012345000094:14+240629:1500+1'UNH+1+IFTSTA:D:01B:UN:EAN003'"
        "BGM+77+S1+9'DTM+137:202406291500:203'"
        "CNI+1+C1'STS+1+21'DTM+35:202406291130:203'LOC+7+DEDUS:139:6'EQD+CN+SEGU7773336'"
        "CNI+2+C2'STS+1+13'DTM+200:202406290815:203'LOC+175+NLRTM:139:6'EQD+CN+APZU1212127'"
        "UNT+14+1'UNZ+1+1'"
    )
    result = map_interchange(data.encode())
    delivered, collected = result.events
    assert (delivered["equipmentEventTypeCode"], delivered["eventDateTime"]) == ("DROP", "2024-06-29T11:30:00+02:00")
    assert (collected["equipmentEventTypeCode"], collected["eventDateTime"]) == ("PICK", "2024-06-29T08:15:00+02:00")
    assert [i for i in result.issues if i.code == "13"] == []


def test_a_status_whose_container_group_is_inside_it_is_still_on_the_leg_of_its_mode():
    # D99B/D00B: the EQD group is inside the status group, which lists the route's rail and sea legs
    legs = (
        "TDT+30+R77+2++DBC:172:ZZZ'LOC+9+DEHAM:139:6'LOC+11+DEMUC:139:6'"
        "TDT+20+427W+1++MAEU:172:20+++9321483:146:11:MAERSK ESSEN'LOC+9+CNSHA:139:6'"
    )
    data = (
        "UNB+UNOC:3+MAEU:ZZZ+LOGIHUB:ZZZ+240701:0800+1'UNH+1+IFTSTA:D:00B:UN'BGM+23+S1+9'CNI+1+B1'"
        f"STS+1+UV::ZZZ'DTM+334:202406301015:203'LOC+175+DEHAM:139:6'{legs}EQD+CN+MSKU8080800'"
        f"STS+1+AL::ZZZ'DTM+334:202406302215:203'LOC+175+DEHAM:139:6'{legs}EQD+CN+MSKU8080800'"
        "UNT+26+1'UNZ+1+1'"
    )
    unloaded, railed = map_interchange(data.encode()).events
    assert unloaded["equipmentEventTypeCode"] == "DISC"
    assert unloaded["transportCall"]["modeOfTransport"] == "VESSEL"
    assert unloaded["transportCall"]["carrierVoyageNumber"] == "427W"
    assert railed["equipmentEventTypeCode"] == "LOAD"
    assert railed["transportCall"]["modeOfTransport"] == "RAIL"


def test_an_empty_dispatch_or_return_status_says_the_container_is_empty_when_its_eqd_does_not():
    data = (
        "UNB+UNOC:3+INTTRA:ZZZ+FWD:ZZZ+240630:0800+1'UNH+1+IFTSTA:D:99B:UN'BGM+23+S1+9'CNI+1+B1'"
        "STS+1+EE'DTM+334:202406291400:203'LOC+175+DEHAM:181:6'EQD+CN+HLXU1234561+45G1:102:5'"
        "STS+1+RD'DTM+334:202407151400:203'LOC+175+DEHAM:181:6'EQD+CN+HLXU1234561+45G1:102:5+++5'"
        "STS+1+I'DTM+334:202406300700:203'LOC+175+DEHAM:181:6'EQD+CN+HLXU1234561+45G1:102:5'"
        "UNT+17+1'UNZ+1+1'"
    )
    dispatched, returned, gated_in = map_interchange(data.encode()).events
    assert dispatched["emptyIndicatorCode"] == "EMPTY"  # X12 315 EE: empty equipment dispatched
    assert returned["emptyIndicatorCode"] == "LADEN"  # the EQD's own 8169 stands
    assert "emptyIndicatorCode" not in gated_in  # an in-gate says nothing of it


def test_a_house_or_master_waybill_reference_is_the_transport_document():
    # UNCL 1153 HWB and MWB name the documents DOC 1001 703 and 741 name, already read as TRD
    data = (
        "UNB+UNOC:3+FWD:ZZZ+LOGIHUB:ZZZ+240704:0900+1'UNH+1+IFTSTA:D:01B:UN'BGM+77+S1+9'CNI+1'"
        "STS+1+1'RFF+HWB:HAM1234567'RFF+MWB:02012345675'DTM+334:202407040830:203'LOC+175+DEHAM:139:6'"
        "UNT+9+1'UNZ+1+1'"
    )
    (event,) = map_interchange(data.encode()).events
    refs = {(r["documentReferenceType"], r["documentReferenceValue"]) for r in event["documentReferences"]}
    assert refs == {("TRD", "HAM1234567"), ("TRD", "02012345675")}


def test_a_vessel_departure_is_never_timed_by_its_arrival():
    # the status group's TDT group states both the vessel's actual arrival (178) and departure (186)
    data = (
        "UNB+UNOC:3+CMDU:ZZZ+LOGIHUB:ZZZ+240706:0600+1'UNH+1+IFTSTA:D:00B:UN'BGM+23+S1+9'CNI+1+B1'"
        "STS+1+VD::ZZZ'LOC+175+SGSIN:139:6'TDT+20+0MX+1+++++9839131:146:11:X'"
        "LOC+9+SGSIN:139:6'DTM+178:202407021200:203'DTM+186:202407052300:203'"
        "STS+1+VA::ZZZ'LOC+175+SGSIN:139:6'TDT+20+0MX+1+++++9839131:146:11:X'"
        "LOC+9+SGSIN:139:6'DTM+186:202407052300:203'DTM+178:202407021200:203'"
        "UNT+16+1'UNZ+1+1'"
    )
    events = map_interchange(data.encode()).events
    departed = next(
        e for e in events if e["source"]["position"]["tag"] == "STS" and e["transportEventTypeCode"] == "DEPA"
    )
    arrived = next(
        e for e in events if e["source"]["position"]["tag"] == "STS" and e["transportEventTypeCode"] == "ARRI"
    )
    assert departed["eventDateTime"] == "2024-07-05T23:00:00+08:00"
    assert arrived["eventDateTime"] == "2024-07-02T12:00:00+08:00"


def test_a_status_timed_by_its_legs_own_date_takes_that_leg_not_the_first_legs():
    # a departure from the hub without DTM 334: its time is the 186 of the leg leaving the hub, not of the
    # leg that left the port of loading; it is then the same fact as that leg's own departure
    data = (
        "UNB+UNOC:3+CMDU:ZZZ+LOGIHUB:ZZZ+240706:0600+1'UNH+1+IFTSTA:D:00B:UN'BGM+23+S1+9'CNI+1+B1'"
        "STS+1+VD::ZZZ'LOC+175+SGSIN:139:6'"
        "TDT+20+1FE+1+++++9454448:146:11:FIRST'LOC+9+CNSHA:139:6'DTM+186:202406181200:203'"
        "TDT+20+2MX+1+++++9839131:146:11:SECOND'LOC+9+SGSIN:139:6'DTM+186:202407052300:203'"
        "UNT+14+1'UNZ+1+1'"
    )
    events = map_interchange(data.encode()).events
    at_hub = [e for e in events if e["transportCall"]["UNLocationCode"] == "SGSIN"]
    assert len({e["eventID"] for e in at_hub}) == 1  # the status and the leg's own departure: one fact
    departed = at_hub[0]
    assert departed["eventDateTime"] == "2024-07-05T23:00:00+08:00"
    assert departed["transportCall"]["carrierVoyageNumber"] == "2MX"
