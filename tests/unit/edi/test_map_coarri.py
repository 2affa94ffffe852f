"""COARRI discharge/loading reports map to DISC/LOAD events with vessel, voyage, port, terminal and cell."""

from pathlib import Path

import pytest

from edi.map import map_interchange
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
SAMPLE = FIXTURES / "coarri_d95b_phpedifact_D95BCOARRI.edi"


def moves(result):
    """The container moves (the vessel's own arrivals and departures are tested in test_map_vessel_calls)."""
    return [e for e in result.events if e["eventType"] == "EQUIPMENT"]


def test_discharge_report_gives_disc_per_container_at_the_discharge_port():
    result = map_interchange(SAMPLE)
    assert problems_of(result.events) == []
    discharged = [e for e in moves(result) if e["source"]["messageReference"] == "1452515553811"]
    assert [e["equipmentReference"] for e in discharged] == ["FCIU9908030", "MAGU5591240"]
    first = discharged[0]
    assert first["equipmentEventTypeCode"] == "DISC" and first["eventClassifierCode"] == "ACT"
    assert first["eventDateTime"] == "2016-02-03T09:13:00+01:00"  # DTM 203, Genoa's offset in winter
    call = first["transportCall"]
    assert (call["UNLocationCode"], call["facilityCode"]) == ("ITGOA", "VTE")  # LOC 11, not the EQD's LOC 9
    assert call["vessel"] == {"vesselCallSignNumber": "3ERX3", "vesselName": "COSCO AFRICA"}
    assert call["carrierVoyageNumber"] == "031W"
    assert first["stowagePosition"] == "380886"
    assert first["ISOEquipmentCode"] == "45G1" and first["emptyIndicatorCode"] == "LADEN"


def test_loading_report_gives_load_with_the_outbound_voyage_and_booking():
    result = map_interchange(SAMPLE)
    loaded = [e for e in moves(result) if e["source"]["messageReference"] == "1452515553819"]
    assert loaded and {e["equipmentEventTypeCode"] for e in loaded} == {"LOAD"}
    first = loaded[0]
    assert first["equipmentReference"] == "CBHU6192031"
    assert first["transportCall"]["carrierVoyageNumber"] == "032E"
    assert first["transportCall"]["UNLocationCode"] == "ITGOA"
    assert first["eventDateTime"] == "2016-02-04T14:38:00+01:00"
    assert {"documentReferenceType": "BKG", "documentReferenceValue": "9000157890"} in first["documentReferences"]
    assert first["stowagePosition"] == "261386"
    assert len({e["eventID"] for e in result.events}) == len(result.events)


def test_unloading_report_of_a_newer_directory_maps_with_imo_number():
    data = (
        "UNB+UNOC:3+CRMOB:ZZZ+LOGIHUB:ZZZ+250228:0100+5'UNH+7+COARRI:D:16A:UN:SMDG22'BGM+119+R7+9'"
        "TDT+20+133+1++SEA:172:20+++9411331:146:11:CHARLOTTE'LOC+11+CRMOB:139:6+0002:TER:ZZZ'NAD+CA+SEA:160:20'"
        "EQD+CN+TCLU9988775+45R1:102:5++3+5'DTM+203:202502272302:203'LOC+147+0100182::5'CNT+16:1'UNT+10+7'UNZ+1+5'"
    )
    (event,) = map_interchange(data.encode()).events
    assert event["equipmentEventTypeCode"] == "DISC"
    assert event["eventDateTime"] == "2025-02-27T23:02:00-06:00"
    assert event["transportCall"]["vessel"] == {"vesselIMONumber": "9411331", "vesselName": "CHARLOTTE"}
    assert event["transportCall"]["facilityCode"] == "0002"
    assert event["stowagePosition"] == "0100182"


def test_report_of_both_moves_reads_each_containers_move_from_its_status():
    data = (
        "UNB+UNOC:3+T+LOGIHUB+261125:1000+6'UNH+1+COARRI:D:95B:UN:ITG13'BGM+98+R8+9'"
        "TDT+20+612E+1++MSK:172:20+++9321483:146:11:MAERSK ESSEN'LOC+11+NLRTM:139:6+ECT:TER:ZZZ'NAD+CF+MSK:172:20'"
        "EQD+CN+MSKU1234565+45G1:102:5++3+5'DTM+203:202611251000:203'"
        "EQD+CN+OOLU8293047+42G1:102:5++2+5'DTM+203:202611251100:203'"
        "EQD+CN+TCLU9988775+42G1:102:5++4+5'DTM+203:202611251200:203'CNT+16:3'UNT+12+1'UNZ+1+6'"
    )
    result = map_interchange(data.encode())
    assert problems_of(result.events) == []
    assert [(e["equipmentReference"], e["equipmentEventTypeCode"]) for e in moves(result)] == [
        ("MSKU1234565", "DISC"),
        ("OOLU8293047", "LOAD"),
    ]
    (issue,) = [i for i in result.issues if i.severity == "error"]
    assert issue.position.tag == "EQD" and "'4'" in issue.message


# -- shapes real terminals send (ITG 1.x guides): our own messages in their layout -------------

MIXED_270 = (
    "UNB+UNOA:2+TERMA+LINEB+150101:0701+77'UNH+93+COARRI:D:95B:UN:ITG10'BGM+270++9'"
    "TDT+20+449N+1++HSD:172:166+++9227273:146::CAP TALBOT'NAD+CA+HSD:160:166'"
    "EQD+CN+SUDU1910806+22G1:102:5++2+5'RFF+BN:4LIMES7540'TMD+3'DTM+203:201501032209:203'"
    "LOC+147+0191006:139:5'LOC+11+NLRTM:139:6'LOC+9+PECLL:139:6'CNT+16:1'UNT+13+93'UNZ+1+77'"
)


def test_a_270_report_reads_each_containers_move_from_its_status_and_places_it_at_its_own_port():
    # BGM 270 (ITG 1.x loading/discharge report): EQD 8249 2 export -> LOAD, at the container's
    # port of loading (LOC 9), not its port of discharge (LOC 11); no header LOC at all
    result = map_interchange(MIXED_270.encode())
    (event,) = moves(result)
    assert event["equipmentEventTypeCode"] == "LOAD"
    assert event["transportCall"]["UNLocationCode"] == "PECLL"
    assert event["eventDateTime"] == "2015-01-03T22:09:00-05:00"
    assert event["transportCall"]["vessel"] == {"vesselIMONumber": "9227273", "vesselName": "CAP TALBOT"}
    assert not [i for i in result.issues if i.severity == "error"]


def test_a_mixed_report_places_a_discharge_at_the_containers_port_of_discharge_not_the_vessels_next_port():
    # header LOC 11 is the vessel's next port (HKHKG) and LOC 9 this one; the discharged container's
    # own LOC 11 says where it came off
    data = (
        "UNB+UNOA:2+TERMB+LINEC+110402:1234+5'UNH+34+COARRI:D:95B:UN:ITG10'BGM+98++9'"
        "TDT+20+129W+1++OOLV:172:166+++VREG2:146::OOCL TAICHUNG'LOC+11+HKHKG:139:6'LOC+9+PHMNL:139:6+SOUTH:TER:ZZZ'"
        "EQD+CN+OOLU7540179+42G1:102:5++3+5'DTM+203:201104020234:203'LOC+147+0320786:139:5'"
        "LOC+11+PHMNL:139:6'LOC+9+TWKHH:139:6'"
        "EQD+CN+SUDU1910806+22G1:102:5++2+4'DTM+203:201104020310:203'LOC+11+HKHKG:139:6'LOC+9+PHMNL:139:6'"
        "CNT+16:2'UNT+16+34'UNZ+1+5'"
    )
    disc, load = moves(map_interchange(data.encode()))
    assert disc["equipmentEventTypeCode"] == "DISC"
    assert disc["transportCall"]["UNLocationCode"] == "PHMNL"
    assert disc["transportCall"]["facilityCode"] == "SOUTH"  # the header's terminal at the same port
    assert load["equipmentEventTypeCode"] == "LOAD"
    assert (load["transportCall"]["UNLocationCode"], load["emptyIndicatorCode"]) == ("PHMNL", "EMPTY")


def test_a_call_sign_labelled_as_an_imo_number_is_read_as_a_call_sign_and_flagged():
    result = map_interchange(MIXED_270.replace("9227273:146", "VREG2:146").encode())
    (event,) = moves(result)
    assert event["transportCall"]["vessel"] == {"vesselCallSignNumber": "VREG2", "vesselName": "CAP TALBOT"}
    flagged = [i for i in result.issues if "call sign" in i.message]
    assert flagged and flagged[0].code == "12" and flagged[0].severity == "warning"


@pytest.mark.parametrize("written", ["IMO9703291", "IMO 9703291", "UN9703291", "imo-9703291"])
def test_imo_number_written_with_its_label_is_read_as_the_imo_number(written):
    data = (
        "UNB+UNOC:3+ITGOAVTE+LOGIHUB+261202:0800+V1'UNH+1+COARRI:D:13B:UN:SMDG22'BGM+44+DL77+9'"
        f"TDT+20+123N+1++MSC:172:20+++{written}:146:11:MSC GULSUN'LOC+11+ITGOA:139:6'NAD+CA+MSC:172:20'"
        "EQD+CN+TCLU9876543+45G1:102:5++3+5'DTM+203:202612012130:203'CNT+16:1'UNT+9+1'UNZ+1+V1'"
    )
    result = map_interchange(data.encode())
    (event,) = result.events
    assert event["transportCall"]["vessel"] == {"vesselIMONumber": "9703291", "vesselName": "MSC GULSUN"}
    assert result.issues == []


def test_a_containers_on_carriage_feeder_is_not_the_vessel_it_was_discharged_from():
    data = (
        "UNB+UNOC:3+BEANRPSA:ZZZ+LOGIHUB:ZZZ+261204:0600+CA14'UNH+1+COARRI:D:13B:UN:SMDG22'BGM+44+DISCH-2+9'"
        "DTM+137:202612040600:203'TDT+20+FX651W+1++CMA:172:20+++9839284:146:11:CMA CGM JACQUES SAADE'"
        "RFF+VON:FX651W'LOC+11+BEANR:139:6+DEURG:TER:ZZZ'NAD+CA+CMA:172:20'"
        "EQD+CN+CMAU7654327+45G1:102:5++6+5'DTM+203:202612032315:203'LOC+147+0100282::5'"
        "TDT+30+0XB12N1+1++CMA:172:20+++9440241:146:11:CMA CGM FEEDER'LOC+7+FIHEL:139:6'"  # SG12: on-carriage
        "CNT+16:1'UNT+15+1'UNZ+1+CA14'"
    )
    (event,) = map_interchange(data.encode()).events
    call = event["transportCall"]
    assert call["vessel"]["vesselIMONumber"] == "9839284" and call["carrierVoyageNumber"] == "FX651W"
    assert (call["UNLocationCode"], call["facilityCode"]) == ("BEANR", "DEURG")


def test_an_smdg_interchange_of_a_discharge_and_a_loading_report_gives_every_move_and_the_vessels_call():
    from edi.translate import translate_file

    document = translate_file(FIXTURES / "coarri_d00b_logihub_discharge_and_loading.edi")
    assert [m["status"] for m in document["messages"]] == ["accepted_with_warnings"] * 2  # SMDG's agency 306
    events = document["events"]
    assert problems_of(events) == []
    found = [
        (
            e.get("equipmentEventTypeCode") or e["transportEventTypeCode"],
            e.get("equipmentReference"),
            e["eventDateTime"],
        )
        for e in events
    ]
    assert found == [
        ("DISC", "MSKU7070704", "2024-03-14T22:15:00+01:00"),
        ("DISC", "MRKU3322112", "2024-03-14T22:31:00+01:00"),
        ("ARRI", None, "2024-03-14T18:30:00+01:00"),
        ("LOAD", "MSKU8080800", "2024-03-15T01:22:00+01:00"),
        ("DEPA", None, "2024-03-15T05:45:00+01:00"),
    ]
    for event in events:
        call = event["transportCall"]
        assert (call["UNLocationCode"], call["facilityCode"], call["carrierVoyageNumber"]) == ("DEHAM", "CTH", "410W")
        assert call["vessel"] == {"vesselIMONumber": "9321483", "vesselName": "MAERSK ESSEN"}
    assert [e.get("emptyIndicatorCode") for e in events if "equipmentReference" in e] == ["LADEN", "EMPTY", "LADEN"]
    assert events[0]["stowagePosition"] == "0340682"


def test_a_transhipment_in_a_report_of_both_moves_is_discharged_or_loaded_by_its_own_port():
    # EQD 8249 6 transhipment goes either way at a hub: its own LOC 11 or LOC 9 says which this port is
    data = (
        "UNB+UNOA:2+EUROGATE+LOGIHUB+261205:2100+CO98'UNH+98001+COARRI:D:95B:UN:ITG12'BGM+98+BOTH1+9'"
        "TDT+20+024E+1++HLC:172:20+++9501370:146:11:BERLIN EXPRESS'LOC+9+DEBRV:139:6'LOC+11+DEHAM:139:6'"
        "NAD+CA+HLC:172:20'"
        "EQD+CN+TGHU7654320+22G1:102:5++6+5'DTM+203:202612042130:203'LOC+9+CNSHA:139:6'LOC+11+DEBRV:139:6'"
        "EQD+CN+HLXU8765430+45G1:102:5++6+5'DTM+203:202612042200:203'LOC+9+DEBRV:139:6'LOC+11+USNYC:139:6'"
        "EQD+CN+TRLU1234567+22G1:102:5++6+5'DTM+203:202612042230:203'LOC+9+CNSHA:139:6'LOC+11+USNYC:139:6'"
        "EQD+CN+HLBU1234564+22G1:102:5++5+5'DTM+203:202612042240:203'CNT+16:4'UNT+21+98001'UNZ+1+CO98'"
    )
    result = map_interchange(data.encode())
    assert [(e["equipmentReference"], e["equipmentEventTypeCode"], e["transportCall"]["UNLocationCode"])
            for e in moves(result)] == [("TGHU7654320", "DISC", "DEBRV"), ("HLXU8765430", "LOAD", "DEBRV")]  # fmt: skip
    # a transhipment that names neither end here, and a shifter, are still reported, not guessed
    assert [(i.position.segment, i.severity) for i in result.issues if i.code == "14"] == [(16, "error"), (20, "error")]
