"""CUSCAR, CUSDEC and CUSRES map to CUSTOMS events: lodged declarations and the authority's decisions."""

from pathlib import Path

import pytest

from edi.map import map_interchange
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "edifact"


def refs(event: dict) -> set:
    return {(r["documentReferenceType"], r["documentReferenceValue"]) for r in event.get("documentReferences", ())}


def test_authority_decisions_map_from_processing_indicator_and_document_code():
    result = map_interchange(FIXTURES / "cusres_d96b_logihub_decisions.edi")
    assert problems_of(result.events) == []
    released, inspected, rejected = result.events
    assert released["customsEventTypeCode"] == "RLSD"  # GIS 4 (GIS 23, import, only qualifies)
    assert released["customsAuthority"] == "CNSHACUSTOMS"
    assert refs(released) == {("DEC", "2026SH000123"), ("TRD", "MAEU123456789")}
    assert released["eventDateTime"] == "2026-11-25T12:55:00+00:00"
    assert inspected["customsEventTypeCode"] == "INSP"  # GIS 5
    assert inspected["reasons"] == [
        {"code": "C12", "errorPoint": "1", "text": "CONTAINER SELECTED FOR X-RAY EXAMINATION"}
    ]
    assert rejected["customsEventTypeCode"] == "RJCT"  # BGM 963 error response
    assert rejected["reasons"] == [{"code": "E23", "errorPoint": "1", "text": "HS CODE 9999.99 DOES NOT EXIST"}]
    assert refs(rejected) == {("DEC", "LRN-4711")}


def test_declaration_is_one_lodged_fact_listing_its_containers():
    result = map_interchange(FIXTURES / "cusdec_d96b_logihub_declaration.edi")
    assert problems_of(result.events) == []
    (event,) = result.events
    assert event["customsEventTypeCode"] == "DECL"
    assert event["equipmentReferences"] == ["MSKU1234565", "TCLU9988775"]
    assert "equipmentReference" not in event  # two containers: no single one is the fact's
    assert refs(event) == {("DEC", "LRN-4711")}
    assert event["customsAuthority"] == "CNSHACUSTOMS"  # the recipient of the declaration
    assert event["eventDateTime"] == "2026-11-25T08:00:00+08:00"


@pytest.mark.parametrize("function", ["1", "3", "50"])  # cancellation, deletion, withdrawal: all cancelled
def test_cancelled_declaration_is_cncl(function):
    data = (
        f"UNB+UNOC:3+B+C+261125:0800+1'UNH+1+CUSDEC:D:96B:UN'BGM+929+LRN-4711+{function}'DTM+137:202611250900:203'"
        "UNS+D'UNS+S'UNT+6+1'UNZ+1+1'"
    )
    (event,) = map_interchange(data.encode()).events
    assert event["customsEventTypeCode"] == "CNCL"


def test_cargo_report_gives_one_decl_per_bill_with_manifest_house_bill_and_containers():
    data = (
        "UNB+UNOC:3+MAEU+CNSHACUSTOMS+261125:0700+2'UNH+1+CUSCAR:D:95B:UN'BGM+85+MAN-612E+9'"
        "DTM+137:202611250700:203'TDT+20+612E+1++MAEU:172:20+++9321483:146:11:MAERSK ESSEN'LOC+11+CNSHA:139:6'"
        "CNI+1+MAEU123456789'RFF+BH:HBL-1'EQD+CN+MSKU1234565+45G1:102:5'EQD+CN+OOLU8293047+42G1:102:5'"
        "CNI+2+MAEU123456790'EQD+CN+TCLU9988775+45G1:102:5'UNT+13+1'UNZ+1+2'"
    )
    result = map_interchange(data.encode())
    assert problems_of(result.events) == []
    got = [(e["customsEventTypeCode"], e.get("equipmentReferences"), sorted(refs(e))) for e in result.events]
    assert got == [
        (
            "DECL",
            ["MSKU1234565", "OOLU8293047"],
            [("MAN", "MAN-612E"), ("TRD", "HBL-1"), ("TRD", "MAEU123456789")],
        ),
        ("DECL", None, [("MAN", "MAN-612E"), ("TRD", "MAEU123456790")]),
    ]
    assert result.events[1]["equipmentReference"] == "TCLU9988775"  # a bill with one container names it
    assert result.events[0]["transportCall"]["vessel"]["vesselName"] == "MAERSK ESSEN"
    assert result.events[0]["eventDateTime"] == "2026-11-25T07:00:00+08:00"


def test_shared_customs_cargo_report_maps_each_house_bill():
    name = "malformed/cuscar_d95a_xeredi_cuscar1.itc"
    if not (SHARED / name).is_file():
        pytest.skip(f"{name} is not redistributable and ../shared is absent")
    result = map_interchange(SHARED / name)
    assert [sorted(refs(e)) for e in result.events] == [
        [("MAN", "28011323IBE0612200"), ("TRD", "0756505424200655219")],
        [("MAN", "28011323IBE0612200"), ("TRD", "0756505424209752725")],
    ]
    assert {e["transportCall"]["UNLocationCode"] for e in result.events} == {"USATL"}


def test_shared_spanish_cusres_error_response_is_a_rejection_with_reasons():
    name = "cusres_1-921_xeredi_cusres1.itc"
    if not (SHARED / name).is_file():
        pytest.skip(f"{name} is not redistributable and ../shared is absent")
    from datetime import UTC, datetime

    result = map_interchange(SHARED / name, received=datetime(2026, 11, 25, 8, tzinfo=UTC))
    (event,) = result.events
    assert event["customsEventTypeCode"] == "RJCT"  # GIS 2: rejected with comment
    assert event["reasons"] == [
        {"text": "ERROR SEGMENTO MEA NUMERO OCURRENCIAS 0"},
        {"code": "051", "errorPoint": "5:0001"},
    ]
    assert event["eventDateTime"] == "2026-11-25T08:00:00+00:00" and event["source"]["timeZone"] == "received"


def test_repeated_free_text_of_syntax_4_gives_its_first_occurrence_as_reason():
    data = (
        "UNA:+.?*'UNB+UNOC:4+CUSTOMS+LOGIHUB+20261125:1300+5'UNH+1+CUSRES:D:96B:UN'BGM+961+D1+9'"
        "DTM+137:202611251300:203'GIS+7'ERP+1'ERC+H1'FTX+AAO+++HELD FOR:CHECK*SECOND'UNT+8+1'UNZ+1+5'"
    )
    (event,) = map_interchange(data.encode()).events
    assert event["customsEventTypeCode"] == "HOLD"
    assert event["reasons"] == [{"code": "H1", "errorPoint": "1", "text": "HELD FOR CHECK"}]


def test_decision_naming_containers_is_one_event_per_container():
    data = (
        "UNB+UNOC:3+CNSHACUSTOMS+LOGIHUB+261125:1300+6'UNH+1+CUSRES:D:96B:UN'BGM+961+2026SH000125+9'"
        "DTM+137:202611251300:203'GIS+7'EQD+CN+MSKU1234565'EQD+CN+TCLU9988775'UNT+7+1'UNZ+1+6'"
    )
    result = map_interchange(data.encode())
    assert problems_of(result.events) == []
    assert [(e["customsEventTypeCode"], e["equipmentReference"]) for e in result.events] == [
        ("HOLD", "MSKU1234565"),
        ("HOLD", "TCLU9988775"),
    ]
    assert len({e["eventID"] for e in result.events}) == 2


def test_references_and_vessel_after_a_declarations_containers_are_the_declarations():
    # D96B CUSDEC: EQD is a header segment, the RFF and TDT groups follow it
    data = (
        "UNB+UNOC:3+B+CNSHACUSTOMS+261125:0800+1'UNH+1+CUSDEC:D:96B:UN'BGM+929+LRN-9+9'LOC+41+CNSHA:139:6'"
        "DTM+137:202611250800:203'EQD+CN+MSKU1234565'EQD+CN+TCLU9988775'RFF+ABT:26CN0001'RFF+BM:MAEU1'"
        "TDT+20+612E+1+++++9321483:146:11:MAERSK ESSEN'UNS+D'UNS+S'UNT+12+1'UNZ+1+1'"
    )
    (event,) = map_interchange(data.encode()).events
    assert refs(event) == {("DEC", "LRN-9"), ("DEC", "26CN0001"), ("TRD", "MAEU1")}
    assert event["transportCall"]["vessel"]["vesselIMONumber"] == "9321483"
    assert event["transportCall"]["UNLocationCode"] == "CNSHA"  # LOC 41, customs office of entry
    assert event["equipmentReferences"] == ["MSKU1234565", "TCLU9988775"]


def test_every_container_of_a_decision_carries_the_registration_number():
    data = (
        "UNB+UNOC:3+CNSHACUSTOMS+LOGIHUB+261125:1300+7'UNH+1+CUSRES:D:96B:UN'BGM+961+LRN-9+9'"
        "DTM+137:202611251300:203'GIS+4'EQD+CN+MSKU1234565'EQD+CN+TCLU9988775'RFF+ABT:26CN0001'UNT+8+1'UNZ+1+7'"
    )
    events = map_interchange(data.encode()).events
    assert [refs(e) for e in events] == [{("DEC", "LRN-9"), ("DEC", "26CN0001")}] * 2


def test_a_cargo_reports_bills_name_their_containers_by_split_goods_placement():
    data = (
        "UNB+UNOC:3+MAEU+CNSHACUSTOMS+261125:0700+2'UNH+1+CUSCAR:D:96B:UN'BGM+85+MAN-612E+9'"
        "DTM+137:202611250700:203'TDT+20+612E+1+++++9321483:146:11:MAERSK ESSEN'LOC+11+CNSHA:139:6'"
        "DTM+132:202611300600:203'EQD+CN+MSKU1234565+45G1:102:5+++5'EQD+CN+OOLU8293047'"
        "CNI+1+MAEU1'RFF+BM:MAEU1'GID+1'SGP+MSKU1234565'CNI+2+MAEU2'RFF+BM:MAEU2'GID+1'SGP+MSKU1234565'"
        "SGP+OOLU8293047'UNT+18+1'UNZ+1+2'"
    )
    result = map_interchange(data.encode())
    assert problems_of(result.events) == []
    first, second, arrival = result.events
    assert (first["equipmentReference"], first["ISOEquipmentCode"], first["emptyIndicatorCode"]) == (
        "MSKU1234565",
        "45G1",
        "LADEN",
    )
    assert second["equipmentReferences"] == ["MSKU1234565", "OOLU8293047"]
    assert (arrival["transportEventTypeCode"], arrival["eventClassifierCode"]) == ("ARRI", "EST")


@pytest.mark.parametrize(
    ("indicator", "decision"),
    [("66", "ACPT"), ("67", "ACPT"), ("12", "RJCT"), ("13", "RJCT"), ("35", "RJCT"), ("129", "CNCL")],
)
def test_later_directories_processing_indicators_are_decisions(indicator, decision):
    data = (
        "UNB+UNOC:3+CNCUSTOMS:ZZZ+LOGIHUB:ZZZ+261203:0900+CR1'UNH+1+CUSRES:D:01B:UN'"
        f"BGM+962+223320261000123456+9'DTM+137:202612030900:203'LOC+22+CNSHA:139:6'GIS+23'GIS+{indicator}'"
        "ERP+1'ERC+E123'FTX+AAO+++SEE NOTE'UNT+10+1'UNZ+1+CR1'"
    )
    result = map_interchange(data.encode())
    (event,) = result.events
    assert event["customsEventTypeCode"] == decision
    assert event["reasons"] == [{"code": "E123", "errorPoint": "1", "text": "SEE NOTE"}]
    assert [i for i in result.issues if i.position.tag == "GIS"] == []  # 23 (import) is context, not a decision


PER_BILL = (
    "UNB+UNOC:3+CNCUSTOMS:ZZZ+LOGIHUB:ZZZ+261203:0900+CR9'UNH+1+CUSRES:D:01B:UN'BGM+962+MAN-COSU-001+9{response}'"
    "DTM+137:202612030900:203'LOC+22+CNTAO:139:6'GIS+23'RFF+AFB:MAN-COSU-001'"
    "DOC+714+COSU6300000001'GIS+4'EQD+CN+CSNU6000116'"
    "DOC+714+COSU6300000002'FTX+AAO+++HELD FOR INSPECTION'GIS+7'EQD+CN+BMOU4022118'"
    "DOC+714+COSU6300000003'EQD+CN+TGHU3002004'UNT+16+1'UNZ+1+CR9'"
)


def test_each_document_of_a_response_gets_its_own_decision_containers_and_reasons():
    result = map_interchange(PER_BILL.format(response="").encode())
    released, held = result.events  # the third bill has no decision, and the message none either
    assert (released["customsEventTypeCode"], released["equipmentReference"]) == ("RLSD", "CSNU6000116")
    assert ("TRD", "COSU6300000001") in refs(released) and "reasons" not in released
    assert (held["customsEventTypeCode"], held["equipmentReference"]) == ("HOLD", "BMOU4022118")
    assert ("TRD", "COSU6300000002") in refs(held) and held["reasons"] == [{"text": "HELD FOR INSPECTION"}]
    assert [i for i in result.issues if i.code == "13"] == []  # decisions were found: none is missing


def test_the_messages_decision_covers_the_documents_without_their_own():
    result = map_interchange(PER_BILL.format(response="+AP").encode())
    accepted = [e for e in result.events if e["customsEventTypeCode"] == "ACPT"]
    assert [e["equipmentReference"] for e in accepted] == ["TGHU3002004"]
    assert ("TRD", "COSU6300000003") in refs(accepted[0])
    assert {e["customsEventTypeCode"] for e in result.events} == {"RLSD", "HOLD", "ACPT"}


def test_a_cancelled_response_cancels_every_document():
    data = PER_BILL.format(response="").replace("BGM+962+MAN-COSU-001+9'", "BGM+962+MAN-COSU-001+1'")
    result = map_interchange(data.encode())
    assert {e["customsEventTypeCode"] for e in result.events} == {"CNCL"}
    assert len(result.events) == 3  # one per container


def test_the_per_document_response_is_directory_valid():
    from edi.validate import validate_interchange

    assert validate_interchange(PER_BILL.format(response="").encode()).ok


def test_a_response_of_the_directories_from_d03a_gives_its_decision_in_gei():
    data = (
        "UNB+UNOC:3+CNCUSTOMS:ZZZ+LOGIHUB:ZZZ+261203:0900+CR16'UNH+1+CUSRES:D:16A:UN'BGM+962+223320261000123456+9'"
        "DTM+137:202612030900:203'LOC+22+CNSHA:139:6'GEI+5+23'GEI+5+7'EQD+CN+TCLU9876543'RFF+ABE:LRN-001'"
        "ERP+1'ERC+H01'FTX+AAO+++DETAINED FOR X-RAY'"
        "DOC+714+BILL2'GEI+5+4'EQD+CN+MRKU5550106'UNT+15+1'UNZ+1+CR16'"
    )
    from edi.validate import validate_interchange

    assert validate_interchange(data.encode()).ok
    result = map_interchange(data.encode())
    held, released = sorted(result.events, key=lambda e: e["customsEventTypeCode"])
    assert (held["customsEventTypeCode"], held["equipmentReference"]) == ("HOLD", "TCLU9876543")
    assert held["reasons"] == [{"code": "H01", "errorPoint": "1", "text": "DETAINED FOR X-RAY"}]
    assert (released["customsEventTypeCode"], released["equipmentReference"]) == ("RLSD", "MRKU5550106")
    assert [i for i in result.issues if i.code in ("13", "14")] == []


def test_a_customs_release_note_without_a_processing_indicator_is_a_release():
    # UNCL 1001 932 "Customs delivery note", synonym customs release note: the document is the release
    data = (
        "UNB+UNOC:3+NLCUSTOMS:ZZZ+LOGIHUB:ZZZ+261205:1500+CR932'UNH+1+CUSRES:D:96B:UN'"
        "BGM+932+26NL0009876543210+9'DTM+137:202612051455:203'LOC+22+NLRTM:139:6'EQD+CN+HLXU8765430'"
        "RFF+ABT:26NL0009876543210'UNT+7+1'UNZ+1+CR932'"
    )
    result = map_interchange(data.encode())
    assert result.issues == []
    (released,) = result.events
    assert (released["customsEventTypeCode"], released["equipmentReference"]) == ("RLSD", "HLXU8765430")
    assert released["customsAuthority"] == "NLCUSTOMS"


def test_a_response_whose_number_its_own_reference_calls_a_manifest_names_it_a_manifest_only():
    # an answer to a cargo report: BGM 1004 is the manifest's number, as its RFF AFB says; not a declaration
    data = (
        "UNB+UNOA:3+NLCUSTOMS:ZZZ+HLCUAGT:ZZZ+261205:1300+CRM1'UNH+1+CUSRES:D:00B:UN'"
        "BGM+962+MAN2026120300001+9'DTM+137:202612051300:203'LOC+11+NLRTM:139:6'GIS+1:109:6'"
        "RFF+AFB:MAN2026120300001'UNT+7+1'UNZ+1+CRM1'"
    )
    (accepted,) = map_interchange(data.encode()).events
    assert refs(accepted) == {("MAN", "MAN2026120300001")}


def test_a_processing_indicator_of_a_national_code_list_is_not_read_as_uncl_7365():
    # C529 3055 148 (Spanish customs), 1131 117 (customs procedure): its "15" is not UNCL 7365's
    # "correction approved"; the response names no decision the UN codes give
    data = (
        "UNB+UNOA:2+AEAT+LOGIHUB+261125:1300+6'UNH+1+CUSRES:D:96B:UN'BGM+962+D2+11'"
        "DTM+137:202611251300:203'GIS+15:117:148'RFF+AFB:MAN1'UNT+6+1'UNZ+1+6'"
    )
    result = map_interchange(data.encode())
    assert result.events == []
    assert [(i.code, i.position.tag) for i in result.issues] == [("14", "GIS"), ("13", "BGM")]
    # a code the UN list lacks (New Zealand customs' 858) is said once, as its agency's, not as a UN code unknown
    result = map_interchange(data.replace("GIS+15:117:148", "GIS+858:120:143").encode())
    assert [(i.code, "agency 143" in i.message) for i in result.issues] == [("14", True), ("13", False)]


def test_a_national_processing_indicator_leaves_the_decision_to_the_document_code():
    data = (
        "UNB+UNOA:2+AEAT+LOGIHUB+261125:1300+7'UNH+1+CUSRES:D:96B:UN'BGM+963+D3+11'"
        "DTM+137:202611251300:203'GIS+15:117:148'RFF+AFB:MAN1'UNT+6+1'UNZ+1+7'"
    )
    (event,) = map_interchange(data.encode()).events
    assert event["customsEventTypeCode"] == "RJCT"  # BGM 963: error response


def test_a_response_naming_the_declaration_by_its_movement_reference_number_keeps_it():
    # UNCL 1153 AVX (D13B and later) "movement reference number", the MRN customs assign an entry summary
    # declaration, as a customs response (ICS) answers the carrier's ENS with it beside the LRN (ABO)
    data = (
        "UNB+UNOC:3+NLCUSTOMS:ZZZ+CARRIER1:ZZZ+261125:1300+R4'UNH+1+CUSRES:D:16A:UN'BGM+961+ENS-77+11'"
        "DTM+137:202611251300?+01:303'LOC+24+NLRTM:139:6'GEI+1+9'RFF+AVX:26NL000000ENS12345'"
        "UNT+7+1'UNZ+1+R4'"
    )
    result = map_interchange(data.encode())
    assert result.issues == []
    (accepted,) = result.events
    assert ("DEC", "26NL000000ENS12345") in refs(accepted)


def test_an_amending_declaration_names_the_registered_declaration_it_amends():
    # RFF AEI "registration number of previous Customs declaration": the declaration a replacement amends
    data = (
        "UNB+UNOC:3+BROKER1:ZZZ+SGCUSTOMS:ZZZ+261125:0800+D3'UNH+1+CUSDEC:D:99B:UN'BGM+929+LRN-4712+5'"
        "LOC+22+SGSIN:139:6'DTM+137:20261126090000:204'RFF+AEI:26SG0000001234'UNS+D'UNS+S'UNT+8+1'UNZ+1+D3'"
    )
    (declared,) = map_interchange(data.encode()).events
    assert refs(declared) == {("DEC", "LRN-4712"), ("DEC", "26SG0000001234")}


def test_a_cargo_reports_date_is_one_instant_for_its_bills_and_for_the_message():
    # the vessel group's first LOC is the port of loading (Shanghai), the bills are reported at the port of
    # discharge (Busan, LOC 11): DTM 137 is read on the clock of the place the report is lodged at, once
    data = (
        "UNB+UNOC:3+MSCKR:ZZZ+KRCUSTOMS:ZZZ+261125:0800+C1'UNH+1+CUSCAR:D:95B:UN'BGM+85+KRPUS2026MSC045+9'"
        "DTM+137:202611250800:203'TDT+20+045E+1+++++9703291:146:11:MSC ANNA'LOC+9+CNSHA:139:6'"
        "LOC+11+KRPUS:139:6'DTM+132:202611300600:203'EQD+CN+MSCU1234566'CNI+1+MEDUAB123456'"
        "RFF+BM:MEDUAB123456'LOC+11+KRPUS:139:6'GID+1'SGP+MSCU1234566'UNT+14+1'UNZ+1+C1'"
    )
    result = map_interchange(data.encode())
    (lodged,) = [e for e in result.events if e["eventType"] == "CUSTOMS"]
    assert lodged["eventDateTime"] == lodged["eventCreatedDateTime"] == "2026-11-25T08:00:00+09:00"
    assert lodged["source"]["timeZone"] == "location:Asia/Seoul"


def test_a_response_dated_by_its_processing_date_is_timed_by_it():
    # UNCL 2005 9 "processing date/time": a CBSA response (D00A, in a functional group) dates its answer
    # so and has no DTM 137; its decision happened then, not when the interchange was prepared
    data = (
        "UNB+UNOA:3+INETCECPT+BROKER1+090224:0604+106++++++1'UNG+CUSRES+CCR+BROKER1+090224:0604+108+UN+D:00A'"
        "UNH+103000001+CUSRES:D:00A:UN'BGM+:::687+8010S00001256D+11'DTM+9:200902240032:203'GIS+1'"
        "UNT+5+103000001'UNE+1+108'UNZ+1+106'"
    )
    result = map_interchange(data.encode())
    (accepted,) = result.events
    assert accepted["customsEventTypeCode"] == "ACPT"
    assert accepted["eventDateTime"] == "2009-02-24T00:32:00+00:00"
    assert [i for i in result.issues if i.code == "13"] == []  # no "no event time"


def test_application_errors_of_an_authoritys_own_list_decide_nothing():
    # Australia's ICS answers an accepted outturn report with advice codes of its own list (ERC 3055 95):
    # no processing indicator, no rejection; errors are no decision by themselves
    data = (
        "UNB+UNOC:3+AUCUSTOMS:ZZZ+AAA374M:ZZZ+050921:0101+AU4'UNH+000001+CUSRES:D:99B:UN'"
        "BGM+961:::SEAOUTR+30DC HA06 6GB5:001+11'NAD+MR+AAA374M::95'RFF+ACW:SEAOUT'"
        "RFF+ABO:O00000123/SYD3::003'ERP+1'ERC+ADVICE:80:95'ERC+MS5203:6:95'"
        "FTX+AAO+++THIS TRANSACTION WAS ACCEPTED WITHOUT ERRORS AND WARNINGS'UNT+11+000001'UNZ+1+AU4'"
    )
    assert [e for e in map_interchange(data.encode()).events if e["customsEventTypeCode"] == "RJCT"] == []


def test_an_air_cargo_reports_bills_are_on_its_flight_not_on_a_vessel():
    # New Zealand's air cargo report (CUSCAR D98A): the main carriage is the flight, TDT+20++4; a bill's
    # own TDT that names no mode is no vessel then
    data = (
        "UNB+UNOC:3+AGENT1:ZZZ+NZCS:ZZZ+051130:1200+N1'UNH+1+CUSCAR:D:98A:UN'BGM+785+SREF0001+9'"
        "TDT+20+QF253+4+++++:::QF253'LOC+22+NZAKL:139:6'DTM+132:20051201:102'CNI+1'RFF+HWB:HOUSEBILL1'"
        "LOC+9+USLAX:139:6'LOC+11+NZAKL:139:6'TDT+20'GID+1+4:PK'UNT+13+1'UNZ+1+N1'"
    )
    result = map_interchange(data.encode())
    (lodged,) = result.events
    assert lodged["transportCall"]["modeOfTransport"] == "AIR"
    assert lodged["transportCall"]["carrierVoyageNumber"] == "QF253"
    assert "vessel" not in lodged["transportCall"]
    assert ("TRD", "HOUSEBILL1") in refs(lodged)


CBSA_RELEASE = (
    "UNB+UNOA:3+CBSA+BROKER1+201007:1938+1044985'UNG+CUSRES+CCR+BROKER1+201007:1938+457880+UN+D:96A'"
    "UNH+2+CUSRES:D:96A:UN'BGM+:::257+10207400004068+11'LOC+22+0497:129::3072'DTM+58:201011250820:203'"
    "GIS+4'EQD+CN+MSCU1234566'RFF+XC:37132536987'UNT+9+2'UNE+1+457880'UNZ+1+1044985'"
)


def test_a_release_is_timed_by_its_clearance_date():
    # Canada's CBSA release notice (CUSRES D96A): GIS 4 released, DTM 58 clearance date (Customs) only
    (released,) = map_interchange(CBSA_RELEASE.encode()).events
    assert released["customsEventTypeCode"] == "RLSD"
    assert released["eventDateTime"] == "2010-11-25T08:20:00+00:00"


def test_a_release_with_a_message_date_is_still_timed_by_its_release_date():
    data = (
        "UNB+UNOC:3+NLCUSTOMS:ZZZ+LOGIHUB:ZZZ+261205:1500+R9'UNH+1+CUSRES:D:99B:UN'BGM+961+26NL0001+9'"
        "DTM+137:202612051455:203'DTM+204:202612051200:203'LOC+22+NLRTM:139:6'GIS+4'UNT+7+1'UNZ+1+R9'"
    )
    (released,) = map_interchange(data.encode()).events
    assert released["eventDateTime"] == "2026-12-05T12:00:00+01:00"
    assert released["eventCreatedDateTime"] == "2026-12-05T14:55:00+01:00"


def test_a_release_names_the_cargo_control_number_it_releases():
    # UNCL 1153 XC cargo control number: the consignment as the carrier reported it (CBSA's CCN)
    (released,) = map_interchange(CBSA_RELEASE.encode()).events
    assert refs(released) == {("DEC", "10207400004068"), ("MAN", "37132536987")}


def test_an_import_declaration_is_placed_at_its_port_of_discharge_not_the_port_of_loading_abroad():
    # Australia's import declaration (CUSDEC D99B, BGM 929): LOC 12 port of discharge, LOC 9 port of loading
    data = (
        "UNB+UNOC:3+BROKER1:ZZZ+AUCUSTOMS:ZZZ+050610:0730+IMD1'UNH+1+CUSDEC:D:99B:UN'"
        "BGM+929:::IMD+B00148229/1/SYD7:7+9'LOC+8+AUSYD::6'LOC+12+AUSYD::6'LOC+9+SGSIN::6'"
        "DTM+137:200506100730:203'UNS+D'UNS+S'UNT+10+1'UNZ+1+IMD1'"
    )
    (declared,) = map_interchange(data.encode()).events
    assert declared["transportCall"]["UNLocationCode"] == "AUSYD"
    assert declared["eventDateTime"] == "2005-06-10T07:30:00+10:00"


def test_an_export_declaration_is_placed_where_the_goods_leave():
    # Australia's export declaration (BGM 830): LOC 9 port of loading here, LOC 12 the port of discharge abroad
    data = (
        "UNB+UNOC:3+BROKER1:ZZZ+AUCUSTOMS:ZZZ+181023:0730+EXD1'UNH+1+CUSDEC:D:99B:UN'"
        "BGM+830:::EXD+S10033087/ME21:1+9'LOC+9+AUMEL::6'LOC+12+MYTPP::6'LOC+28+VN::6'"
        "DTM+137:201810230730:203'UNS+D'UNS+S'UNT+10+1'UNZ+1+EXD1'"
    )
    (declared,) = map_interchange(data.encode()).events
    assert declared["transportCall"]["UNLocationCode"] == "AUMEL"
    assert declared["eventDateTime"] == "2018-10-23T07:30:00+11:00"


def test_a_response_is_placed_at_the_port_of_discharge_it_names():
    # Australia's cargo status advice (CUSRES D99B): the vessel's TDT and LOC 12 port of discharge
    data = (
        "UNB+UNOC:3+AUCUSTOMS:ZZZ+AAA374M:ZZZ+141030:0800+CS1'UNH+000001+CUSRES:D:99B:UN'"
        "BGM+961+1JA0B1498I68+11'DTM+137:201410300800:203'TDT+20+6901++6+5X::3'LOC+12+AUSYD::6'GIS+4'"
        "RFF+MWB:61898391193'UNT+8+000001'UNZ+1+CS1'"
    )
    (released,) = map_interchange(data.encode()).events
    assert released["transportCall"]["UNLocationCode"] == "AUSYD"


def test_a_cargo_reports_bill_is_placed_at_its_port_of_discharge():
    data = (
        "UNB+UNOC:3+CARRIER1:ZZZ+AUCUSTOMS:ZZZ+141030:0800+CC9'UNH+1+CUSCAR:D:95B:UN'BGM+85+MAN9+9'"
        "DTM+137:201410300800:203'CNI+1+BL9'RFF+BM:BL9'LOC+9+SGSIN:139:6'LOC+12+AUSYD:139:6'GID+1'"
        "UNT+9+1'UNZ+1+CC9'"
    )
    (lodged,) = map_interchange(data.encode()).events
    assert lodged["transportCall"]["UNLocationCode"] == "AUSYD"


def test_a_transport_that_names_its_means_and_no_mode_is_read_by_its_means():
    # Australia's cargo status advice for air cargo: TDT+20+6901++6 (no 8067; 8179 6 aircraft): the flight,
    # not a vessel; its ships are TDT+20+123++11 (8179 11 ship)
    data = (
        "UNB+UNOC:3+AUCUSTOMS:ZZZ+AAA374M:ZZZ+141030:0800+CS2'UNH+000001+CUSRES:D:99B:UN'"
        "BGM+961+2BDGH3H40F1F+11'DTM+137:201410300800:203'TDT+20+6901++6+5X::3'LOC+12+AUSYD::6'GIS+4'"
        "RFF+MWB:61898391193'UNT+8+000001'UNZ+1+CS2'"
    )
    (released,) = map_interchange(data.encode()).events
    assert released["transportCall"]["modeOfTransport"] == "AIR"
    assert released["transportCall"]["carrierVoyageNumber"] == "6901"
    assert "vessel" not in released["transportCall"]
    ship = data.replace("TDT+20+6901++6+5X::3", "TDT+20+123++11++++8811924::11")
    (released,) = map_interchange(ship.encode()).events
    assert released["transportCall"]["modeOfTransport"] == "VESSEL"
    assert released["transportCall"]["vessel"] == {"vesselIMONumber": "8811924"}
