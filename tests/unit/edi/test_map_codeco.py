"""CODECO gate reports map to one GTIN/GTOT event per container, with truck, booking, bill and place."""

from pathlib import Path

import pytest

from edi.map import map_interchange
from edi.map.engine import iter_mapped
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "edifact"


def shared_sample(name: str) -> Path:
    """A shared sample whose licence keeps it out of fixtures/ (the tests above cover the mapping)."""
    if not (SHARED / name).is_file():
        pytest.skip(f"{name} is not redistributable and ../shared is absent")
    return SHARED / name


def mapped(name: str):
    result = map_interchange(FIXTURES / name, raw_message_id="raw-1")
    assert problems_of(result.events) == []
    return result


def refs(event: dict) -> dict:
    return {r["documentReferenceType"]: r["documentReferenceValue"] for r in event.get("documentReferences", ())}


def test_gate_in_report_gives_one_gtin_per_container_with_truck_booking_and_bill():
    result = mapped("codeco_d95b_logihub_gatein.edi")
    first, second = result.events
    assert (first["eventType"], first["equipmentEventTypeCode"], first["eventClassifierCode"]) == (
        "EQUIPMENT",
        "GTIN",
        "ACT",
    )
    assert first["equipmentReference"] == "MSKU1234565"
    assert first["ISOEquipmentCode"] == "45G1"
    assert first["emptyIndicatorCode"] == "LADEN"
    assert first["eventDateTime"] == "2026-11-25T08:12:00+08:00"  # DTM 7, no offset: Shanghai's
    assert first["transportCall"]["UNLocationCode"] == "CNSHA"
    assert first["transportCall"]["facilityCode"] == "YSD"
    assert first["transportCall"]["modeOfTransport"] == "TRUCK"
    assert first["transportCall"]["truckLicensePlate"] == "HU4521"
    assert first["transportCall"]["vessel"] == {"vesselIMONumber": "9321483", "vesselName": "MAERSK ESSEN"}
    assert refs(first) == {"BKG": "BKG778899", "TRD": "MAEU123456789"}
    assert second["emptyIndicatorCode"] == "EMPTY"
    assert refs(second) == {"BKG": "BKG778900"}


def test_every_event_names_its_source_message_party_and_segment():
    first = mapped("codeco_d95b_logihub_gatein.edi").events[0]
    assert first["source"]["rawMessage"] == "raw-1"
    assert first["source"]["party"] == "CNSHATERM"
    assert first["source"]["messageReference"] == "1"
    assert first["source"]["position"]["segment"] == 7
    assert first["source"]["position"]["tag"] == "EQD"
    assert first["source"]["timeZone"] == "location:Asia/Shanghai"


def test_bad_check_digit_is_mapped_and_reported_for_aperak():
    result = mapped("codeco_d95b_logihub_gatein.edi")
    assert result.events[1]["equipmentReference"] == "TGHU7654321"
    flagged = [i for i in result.issues if i.code == "12" and i.position.tag == "EQD"]
    assert len(flagged) == 1 and "check digit" in flagged[0].message and "should be 0" in flagged[0].message
    assert flagged[0].position.segment == 14 and flagged[0].severity == "warning"


def test_qualifier_outside_the_directory_is_reported_not_dropped():
    result = mapped("codeco_d95b_logihub_gatein.edi")
    unknown = [i for i in result.issues if i.code == "14" and i.position.tag == "LOC"]
    assert {i.position.segment for i in unknown} == {11, 17}  # LOC 165 is SMDG's, not in D95B's 3227
    assert all(e["transportCall"]["UNLocationCode"] == "CNSHA" for e in result.events)


def test_the_translation_reports_a_qualifier_outside_the_directory_once_per_place():
    from edi.translate import translate_file

    (message,) = translate_file(FIXTURES / "codeco_d95b_logihub_gatein.edi")["messages"]
    on_loc = [(w["code"], w["position"]["segment"]) for w in message["warnings"] if w["position"]["tag"] == "LOC"]
    assert on_loc == [("12", 11), ("12", 17)]  # the directory check's; the mapper's 14 is not said again


def test_gate_out_uses_the_offset_the_message_gives_and_reports_an_unknown_place():
    result = mapped("codeco_d00b_logihub_gateout.edi")
    first, second = result.events
    assert first["equipmentEventTypeCode"] == "GTOT"
    assert first["eventDateTime"] == "2026-11-25T09:30:00+01:00"  # 303 with +01
    assert first["source"]["timeZone"] == "message"
    assert first["transportCall"]["facilityCode"] == "ECT"
    assert refs(first) == {"TRD": "MEDUXX998877"}
    assert second["transportCall"] == {"modeOfTransport": "RAIL"}
    assert second["source"]["timeZone"] == "UTC-assumed"
    assert [i.message for i in result.issues if i.code == "12"] == [
        "Unknown location: 'XXRTM': 'XX' is not an ISO 3166 country"
    ]


def test_unmapped_document_code_is_an_error_and_gives_no_event():
    data = (
        "UNB+UNOA:2+T1+LOGIHUB+261125:1000+9'UNH+1+CODECO:D:00B:UN'BGM+380+X1+9'NAD+CF+MSC:160:20'"
        "EQD+CN+MSCU5550006+42G1:102:5++3+5'CNT+16:1'UNT+6+1'UNZ+1+9'"
    )
    result = map_interchange(data.encode())
    assert result.events == []
    assert [(i.code, i.severity, i.position.tag) for i in result.issues] == [("14", "error", "BGM")]


def test_status_change_report_of_a_container_weighed_in_the_yard_is_no_gate_move_and_no_error():
    # UNCL 1001 266 (SMDG CODECO 2.1: a container weighed after it was stacked): processed quietly
    data = (
        "UNB+UNOA:2+T1+LOGIHUB+261125:1000+9'UNH+1+CODECO:D:00B:UN'BGM+266+X1+9+AB'NAD+CF+MSC:160:20'"
        "EQD+CN+MSCU5550006+42G1:102:5+2+2+5'LOC+165+ZACPT:139:6'MEA+AAE+AAL+KGM:12373'CNT+16:1'UNT+8+1'UNZ+1+9'"
    )
    result = map_interchange(data.encode())
    assert result.events == []
    assert [i for i in result.issues if i.severity == "error"] == []


def test_the_same_gate_move_from_two_messages_is_one_event():
    one = map_interchange(FIXTURES / "codeco_d95b_logihub_gatein.edi").events[0]
    text = (
        (FIXTURES / "codeco_d95b_logihub_gatein.edi")
        .read_text()
        .replace("UNH+1+", "UNH+2+")
        .replace("UNT+19+1", "UNT+19+2")
    )
    other = map_interchange(text.encode(), raw_message_id=99).events[0]
    assert other["source"]["messageReference"] == "2"
    assert one["eventID"] == other["eventID"]


def test_shared_codeco_sample_maps_its_gate_in():
    result = map_interchange(shared_sample("malformed/codeco_d00b_xeredi_codeco1.itc"))
    assert problems_of(result.events) == []
    (event,) = result.events
    assert event["equipmentEventTypeCode"] == "GTIN"  # BGM 109: delivered by an inland carrier
    assert event["equipmentReference"] == "PONU4863849"
    assert event["eventDateTime"] == "2015-12-27T16:39:00+11:00"
    assert event["transportCall"]["UNLocationCode"] == "AUMEL"
    assert event["transportCall"]["facilityCode"] == "CONWS"
    assert event["transportCall"]["truckLicensePlate"] == "LIK38I"
    assert refs(event) == {"BKG": "800255846"}


@pytest.mark.parametrize("function", ["1", "3"])
def test_cancelled_gate_report_is_not_a_gate_move_but_withdraws_the_report(function):
    data = (
        "UNB+UNOA:2+CNSHATML:ZZZ+LOGIHUB:ZZZ+261201:1010+CT1'UNH+1+CODECO:D:95B:UN:ITG14'"
        f"BGM+36+GO123+{function}'NAD+MS+SHATML:160:ZZZ'EQD+CN+MSCU1234566+22G1:102:5+2+2+5'"
        "DTM+7:202612010930:203'LOC+175+CNSHA:139:6'TDT+1++3+++++AB1234'CNT+16:1'UNT+10+1'UNZ+1+CT1'"
    )
    ((_message, result),) = list(iter_mapped(data.encode()))
    assert result.events == [] and not [i for i in result.issues if i.position.tag == "BGM"]
    assert result.withdraws == {
        "document": {"type": "CODECO", "number": "GO123", "function": function},
        "created": "2026-12-01T10:10:00+00:00",  # no DTM 137: the interchange's date orders it
    }


def test_cancellation_without_a_document_number_withdraws_nothing_and_says_so():
    data = (
        "UNB+UNOA:2+CNSHATML:ZZZ+LOGIHUB:ZZZ+261201:1010+CT1'UNH+1+CODECO:D:95B:UN:ITG14'"
        "BGM+36++1'NAD+MS+SHATML:160:ZZZ'EQD+CN+MSCU1234566+22G1:102:5+2+2+5'"
        "DTM+7:202612010930:203'LOC+175+CNSHA:139:6'CNT+16:1'UNT+9+1'UNZ+1+CT1'"
    )
    ((_message, result),) = list(iter_mapped(data.encode()))
    assert result.events == [] and result.withdraws is None
    (issue,) = [i for i in result.issues if i.position.tag == "BGM"]
    assert (issue.code, issue.severity, issue.position.tag, issue.position.element) == ("13", "warning", "BGM", 2)
    assert "cancellation" in issue.message and "nothing withdrawn" in issue.message


def test_replacement_gate_report_still_reports_the_move():
    data = (
        "UNB+UNOA:2+CNSHATML:ZZZ+LOGIHUB:ZZZ+261201:1010+CT1'UNH+1+CODECO:D:95B:UN:ITG14'"
        "BGM+36+GO123+5'NAD+MS+SHATML:160:ZZZ'EQD+CN+MSCU1234566+22G1:102:5+2+2+5'"
        "DTM+7:202612010930:203'LOC+175+CNSHA:139:6'CNT+16:1'UNT+9+1'UNZ+1+CT1'"
    )
    ((_message, result),) = list(iter_mapped(data.encode()))
    (event,) = result.events
    assert (event["equipmentEventTypeCode"], event["equipmentReference"]) == ("GTOT", "MSCU1234566")
    assert result.withdraws["document"] == {"type": "CODECO", "number": "GO123", "function": "5"}


def test_container_written_with_spaces_or_a_hyphen_is_stored_as_one_number():
    data = (
        "UNB+UNOB:2+DEHAMCTA+LOGIHUB+261201:1010+CT9'UNH+1+CODECO:D:00B:UN:SMDG20'BGM+34+GI9+9'NAD+MS+CTA:172:20'"
        "EQD+CN+MSCU 1234566+22G1:102:5+2+2+5'DTM+7:202612010930:203'LOC+165+DEHAM:139:6'"
        "EQD+CN+oolu400123-4+45G1+2+2+5'DTM+7:202612010932:203'LOC+165+DEHAM:139:6'CNT+16:2'UNT+11+1'UNZ+1+CT9'"
    )
    result = map_interchange(data.encode())
    assert [e["equipmentReference"] for e in result.events] == ["MSCU1234566", "OOLU4001234"]
    assert result.issues == []


def test_a_gate_report_wrapped_into_80_column_records_gives_the_same_facts_as_unwrapped(tmp_path):
    # the line breaks fall inside the container number's EQD, a LOC's terminal and a truck plate
    wrapped = FIXTURES / "codeco_d95b_logihub_wrapped80.edi"
    whole = tmp_path / "whole.edi"
    whole.write_bytes(wrapped.read_bytes().replace(b"\r\n", b""))
    events = mapped("codeco_d95b_logihub_wrapped80.edi").events
    assert [e["eventID"] for e in events] == [e["eventID"] for e in map_interchange(whole).events]
    assert [e["equipmentReference"] for e in events] == ["MSKU1234565", "TGHU9876542"]
    assert [e["transportCall"]["facilityCode"] for e in events] == ["APMT", "APMT"]
    assert events[0]["transportCall"]["truckLicensePlate"] == "NJ AB1234"


def test_a_wrapped_gate_report_is_accepted_with_a_warning_per_broken_segment():
    from edi.translate import translate_file

    [message] = translate_file(FIXTURES / "codeco_d95b_logihub_wrapped80.edi")["messages"]
    assert message["status"] == "accepted_with_warnings" and message["errors"] == []
    breaks = [(w["position"]["tag"], w["severity"]) for w in message["warnings"] if w["code"] == "21"]
    assert breaks == [("EQD", "warning"), ("LOC", "warning"), ("TDT", "warning"), ("LOC", "warning")]


def test_a_terminal_code_too_long_for_a_facility_code_is_named_in_a_warning_not_dropped_silently():
    from edi.translate import translate_file

    document = translate_file(FIXTURES / "codeco_d00b_logihub_gateout_group.edi")
    [message] = document["messages"]
    assert message["status"] == "accepted_with_warnings" and message["errors"] == []
    events = document["events"]
    assert problems_of(events) == []
    assert [(e["equipmentEventTypeCode"], e["equipmentReference"]) for e in events] == [
        ("GTOT", "MSCU6543212"),
        ("GTOT", "MEDU1112224"),
    ]
    assert [e["eventDateTime"] for e in events] == ["2024-03-14T09:12:00+01:00", "2024-03-14T09:18:00+01:00"]
    assert {e["transportCall"]["UNLocationCode"] for e in events} == {"NLRTM"}
    assert all("facilityCode" not in e["transportCall"] for e in events)
    long = [w for w in message["warnings"] if "ECTDELTA" in w["message"]]
    assert [(w["code"], w["position"]["tag"], w["position"]["element"]) for w in long] == [("12", "LOC", 3)] * 2


def test_a_place_in_a_partners_own_code_list_is_named_in_a_warning_not_dropped_silently():
    data = (
        "UNB+UNOA:2+TERM:ZZZ+LH:ZZZ+240315:0612+9'UNH+1+CODECO:D:95B:UN:ITG14'BGM+34+G1+9'NAD+MS+TERM:160:ZZZ'"
        "EQD+CN+MSKU7070704+45G1:102:5++2+5'DTM+7:202403141200:203'LOC+165+RTM:ZZZ:ZZZ'CNT+16:1'UNT+8+1'UNZ+1+9'"
    )
    result = map_interchange(data.encode())
    [event] = result.events
    assert "UNLocationCode" not in event.get("transportCall", {})
    [issue] = [i for i in result.issues if i.position.tag == "LOC" and i.code == "12"]
    assert (issue.code, issue.severity, issue.position.element) == ("12", "warning", 2)
    assert "'RTM' (code list ZZZ) is no UN/LOCODE" in issue.message
