"""COPRAR and BAPLIE map to planned (PLN) loads and discharges with the stowage they describe."""

from pathlib import Path

from edi.map import map_interchange
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"


def moves(result):
    """The planned container moves (the vessel's own arrivals and departures: test_map_vessel_calls)."""
    return [e for e in result.events if e["eventType"] == "EQUIPMENT"]


def test_loading_order_gives_planned_loads_at_the_vessels_departure():
    result = map_interchange(FIXTURES / "coprar_d00b_logihub_loadlist.edi")
    assert problems_of(result.events) == []
    first, second = moves(result)
    assert (first["equipmentEventTypeCode"], first["eventClassifierCode"]) == ("LOAD", "PLN")
    assert first["eventDateTime"] == "2026-11-27T06:00:00+08:00"  # DTM 133 of the vessel
    assert first["transportCall"]["UNLocationCode"] == "CNSHA"
    assert first["transportCall"]["carrierVoyageNumber"] == "612E"
    assert first["stowagePosition"] == "0120482"
    assert second["equipmentReference"] == "OOLU8293047" and second["emptyIndicatorCode"] == "EMPTY"


def test_bayplan_gives_a_planned_discharge_per_container_at_its_port_with_its_cell():
    result = map_interchange(FIXTURES / "baplie_d95b_phpedifact_D95BBAPLIE.edi")
    assert problems_of(result.events) == []
    got = [
        (e["equipmentReference"], e["transportCall"]["UNLocationCode"], e["stowagePosition"], e["eventClassifierCode"])
        for e in moves(result)
    ]
    assert got == [
        ("OOLU4293959", "CNYTN", "0780690", "PLN"),
        ("MOEU0710945", "CNXMN", "0060886", "PLN"),
        ("OOLU8757889", "TWKHH", "0100114", "PLN"),
    ]
    first = moves(result)[0]
    assert first["transportCall"]["vessel"] == {"vesselCallSignNumber": "VRIB3", "vesselName": "OOCL BEIJING"}
    # DTM 178 is the vessel's arrival at LOC 5 (Long Beach), on Long Beach's clock: the same instant
    # as that arrival's own TRANSPORT event, not midnight in the discharge port's zone
    assert first["eventDateTime"] == "2016-04-14T00:00:00-07:00"
    (arrival,) = [e for e in result.events if e.get("transportEventTypeCode") == "ARRI"]
    assert arrival["eventDateTime"] == first["eventDateTime"]
    assert first["emptyIndicatorCode"] == "EMPTY"


def test_full_bayplan_maps_every_cell_with_a_container():
    result = map_interchange(FIXTURES / "baplie_d95b_phpedifact_D95BBAPLIE_full_3d6cfbd.edi")
    assert len(moves(result)) == 2799
    assert problems_of(result.events[:200]) == []
    assert len({e["eventID"] for e in result.events}) == len(result.events)


def test_bayplan_with_placeholder_numbers_flags_them():
    result = map_interchange(FIXTURES / "baplie_d04b_apimeister_d04b_baplie.edi")
    (event,) = moves(result)
    assert event["equipmentReference"] == "CONTAINER"
    # DEPARTPLACE is no port: the vessel's times there are reported, not mapped, and the placeholder
    # place of the move is named too (not kept as its place)
    expected = {("12", "EQD"), ("12", "TDT"), ("13", "DTM"), ("12", "LOC")}
    assert {(i.code, i.position.tag) for i in result.issues} == expected


def test_slots_without_a_container_number_are_reported_not_mapped():
    data = (
        "UNB+UNOA:2+T+R+261125:1000+3'UNH+1+BAPLIE:D:95B:UN:SMDG20'BGM++B1+9'DTM+137:202611251000:203'"
        "TDT+20+1+++:172:20+++9321483:146:11:X'LOC+5+GBSOU:139:6'DTM+178:2611251000:201'"
        "LOC+147+0010082::5'LOC+11+NLRTM:139:6'EQD+CN++4200+++5'UNT+11+1'UNZ+1+3'"
    )
    result = map_interchange(data.encode())
    assert moves(result) == []
    assert [(i.code, i.severity, i.position.tag) for i in result.issues] == [("13", "error", "EQD")]


def test_a_loading_list_without_a_header_port_is_planned_at_each_containers_port_of_loading():
    # a terminal's loading COPRAR made from a spreadsheet (SMDG21, UNH common access reference,
    # no LOC in the TDT group): each container names its own LOC 9 / 11 / 7
    data = (
        "UNB+UNOA:2+KMT+PORTX+240315:0930+42'UNH+42+COPRAR:D:00B:UN:SMDG21+LOADINGCOPRAR'BGM+45+20240318140000+5'"
        "TDT+20+0MX4RW1+1++172:MAE+++9VAB2:103::MAERSK KENSINGTON'RFF+VON:0MX4RW1'NAD+CA+MAE'"
        "EQD+CN+MSKU0308961+45G1:102:5++2+5'LOC+11+CNSHA:139:6'LOC+7+CNSHA:139:6'LOC+9+MYPKG:139:6'"
        "CNT+16:1'UNT+11+42'UNZ+1+42'"
    )
    (event,) = map_interchange(data.encode()).events
    assert (event["equipmentEventTypeCode"], event["eventClassifierCode"]) == ("LOAD", "PLN")
    assert event["transportCall"]["UNLocationCode"] == "MYPKG"
    assert event["transportCall"]["vessel"] == {"vesselCallSignNumber": "9VAB2", "vesselName": "MAERSK KENSINGTON"}


def test_a_bayplans_dummy_bill_of_lading_is_no_document_reference():
    # SMDG BAPLIE: each cell's RFF is mandatory, and "RFF+BM:1" is written where the bill is not known
    data = (
        "UNB+UNOA:2+CMA+LOGIHUB+261202:0800+BAP1'UNH+BAP1+BAPLIE:D:95B:UN:SMDG20'BGM++BAP261202+9'"
        "DTM+137:2612020800:201'TDT+20+0FL3MW1MA+++CMA:172:20+++9454436:146:11:CMA CGM MARCO POLO'"
        "LOC+5+SGSIN:139:6'LOC+61+LKCMB:139:6'DTM+136:2612030000:201'DTM+132:2612061800:201'"
        "LOC+147+0340284::5'MEA+WT++KGM:24500'LOC+9+SGSIN'LOC+11+LKCMB'RFF+BM:1'EQD+CN+CMAU1234564+45R1+++5'"
        "LOC+147+0020182::5'MEA+WT++KGM:2200'LOC+9+SGSIN'LOC+11+NLRTM'RFF+BM:SGSIN0012345'"
        "EQD+CN+TRLU1234567+22T6+++4'UNT+22+BAP1'UNZ+1+BAP1'"
    )
    unknown, known = moves(map_interchange(data.encode()))
    assert "documentReferences" not in unknown
    assert known["documentReferences"] == [{"documentReferenceType": "TRD", "documentReferenceValue": "SGSIN0012345"}]


def test_a_cells_port_of_discharge_written_as_loc_12_is_where_its_container_is_discharged():
    # UNCL 3227 12 "port of discharge" (SMDG's BAPLIE 1.x writes LOC 12, not 11): not the next port of call
    data = (
        "UNB+UNOA:2+CARRIER+LOGIHUB+261202:0800+BAP2'UNH+BAP2+BAPLIE:D:95B:UN:SMDG15'BGM++BAP261202+9'"
        "DTM+137:2612020800:201'TDT+20+0FL3MW1MA+++CMA:172:20+++9454436:146:11:CMA CGM MARCO POLO'"
        "LOC+5+SGSIN:139:6'LOC+61+LKCMB:139:6'DTM+136:2612030000:201'"
        "LOC+147+0340284::5'MEA+WT++KGM:24500'LOC+9+SGSIN'LOC+12+NLRTM'RFF+BM:1'EQD+CN+CMAU1234564+45R1+++5'"
        "UNT+14+BAP2'UNZ+1+BAP2'"
    )
    (move,) = moves(map_interchange(data.encode()))
    assert (move["equipmentEventTypeCode"], move["transportCall"]["UNLocationCode"]) == ("DISC", "NLRTM")


def test_a_containers_pre_carriage_dates_do_not_time_its_loading_onto_the_vessel():
    # COPRAR D00B SG10: the container's own TDT group (its train from the inland depot) with that leg's DTM 133
    data = (FIXTURES / "coprar_d00b_logihub_loadlist.edi").read_bytes()
    data = data.replace(
        b"LOC+147+0120482::5'", b"LOC+147+0120482::5'TDT+10++2++CRAIL:172:ZZZ'DTM+133:202611250800:203'"
    ).replace(b"UNT+15+1'", b"UNT+17+1'")
    first, _second = moves(map_interchange(data))
    assert first["eventDateTime"] == "2026-11-27T06:00:00+08:00"  # the vessel's DTM 133, not the train's
    assert first["transportCall"]["vessel"]["vesselIMONumber"] == "9321483"
