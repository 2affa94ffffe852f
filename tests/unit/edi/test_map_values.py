"""Dates with their zones, places, identities: the rules every mapping shares."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi.map import map_interchange
from edi.mappings import mapping_for, supported_types
from edi.mappings.values import BadValue, dtm_datetime, edifact_datetime, locode_problem, utc_key


@pytest.mark.parametrize(
    ("value", "fmt", "place", "expected"),
    [
        ("202611250800", "203", "CNSHA", ("2026-11-25T08:00:00+08:00", "location:Asia/Shanghai")),
        ("20261125080030", "204", "NLRTM", ("2026-11-25T08:00:30+01:00", "location:Europe/Amsterdam")),
        ("202607010800", "203", "NLRTM", ("2026-07-01T08:00:00+02:00", "location:Europe/Amsterdam")),
        ("202611250800", "203", "USLAX", ("2026-11-25T08:00:00-08:00", "location:America/Los_Angeles")),
        ("202611250800", "203", "USXXX", ("2026-11-25T08:00:00+00:00", "UTC-assumed")),
        ("202611250800", "203", "IDMRK", ("2026-11-25T08:00:00+07:00", "location:Asia/Jakarta")),
        ("202611250800", "203", "IDBPN", ("2026-11-25T08:00:00+08:00", "location:Asia/Makassar")),
        ("202611250800+0530", "205", None, ("2026-11-25T08:00:00+05:30", "message")),
        ("202611250800UTC", "303", "CNSHA", ("2026-11-25T08:00:00+00:00", "message")),
        ("20261125080000-05", "304", None, ("2026-11-25T08:00:00-05:00", "message")),
        ("202611250800CET", "303", None, ("2026-11-25T08:00:00+01:00", "message")),
        ("20261125080000", "", None, ("2026-11-25T08:00:00+00:00", "UTC-assumed")),
        ("20261125", "102", None, ("2026-11-25T00:00:00+00:00", "UTC-assumed")),
        ("2611250800", "201", None, ("2026-11-25T08:00:00+00:00", "UTC-assumed")),
        ("202611252400", "203", None, ("2026-11-26T00:00:00+00:00", "UTC-assumed")),
    ],
)
def test_edifact_dates_get_the_offset_the_message_or_the_place_gives(value, fmt, place, expected):
    assert edifact_datetime(value, fmt, place) == expected


@pytest.mark.parametrize(("value", "fmt"), [("2026112508", "203"), ("202613250800", "203"), ("2026", "999")])
def test_dates_that_do_not_fit_their_format_are_refused(value, fmt):
    with pytest.raises(BadValue):
        edifact_datetime(value, fmt, None)


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("2611250800+0100", "301", "2026-11-25T08:00:00+01:00"),  # YYMMDDHHMMZZZ
        ("251126", "2", "2026-11-25T00:00:00+08:00"),  # DDMMYY
        ("112526", "3", "2026-11-25T00:00:00+08:00"),  # MMDDYY
        ("25112026", "4", "2026-11-25T00:00:00+08:00"),  # DDMMCCYY
        ("251120260800", "5", "2026-11-25T08:00:00+08:00"),  # DDMMCCYYHHMM
        ("2026112520261127", "718", "2026-11-25T00:00:00+08:00"),  # a period: its start
        ("20261125-20261127", "718", "2026-11-25T00:00:00+08:00"),  # partners' hyphen
        ("202611250800202611251600", "719", "2026-11-25T08:00:00+08:00"),
        ("26112508002611251600", "713", "2026-11-25T08:00:00+08:00"),
    ],
)
def test_day_first_zone_and_period_formats_real_senders_use_are_read(value, fmt, expected):
    assert edifact_datetime(value, fmt, "CNSHA")[0] == expected


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("2612022330+0800", "206", ("2026-12-02T23:30:00+08:00", "message")),  # YYMMDDHHMMZHHMM
        ("261202233015-0500", "207", ("2026-12-02T23:30:15-05:00", "message")),  # YYMMDDHHMMSSZHHMM
        ("20261203010100+0900", "208", ("2026-12-03T01:01:00+09:00", "message")),  # CCYYMMDDHHMMSSZHHMM
        ("20261202T2315", "10", ("2026-12-02T23:15:00+08:00", "location:Asia/Singapore")),  # CCYYMMDDTHHMM
        ("20261201235959123", "307", ("2026-12-01T23:59:59+08:00", "location:Asia/Singapore")),  # + milliseconds
    ],
)
def test_zone_designator_and_millisecond_formats_of_newer_directories_are_read(value, fmt, expected):
    assert edifact_datetime(value, fmt, "SGSIN") == expected


@pytest.mark.parametrize(("value", "fmt"), [("202612022315", "10"), ("2026120123595912", "307")])
def test_extended_formats_without_their_extra_part_are_refused(value, fmt):
    with pytest.raises(BadValue):
        edifact_datetime(value, fmt, None)


@pytest.mark.parametrize(("value", "fmt"), [("2026112720261125", "718"), ("20261125", "718"), ("3211", "2")])
def test_periods_backwards_or_cut_short_are_refused(value, fmt):
    with pytest.raises(BadValue):
        edifact_datetime(value, fmt, None)


def test_one_instant_in_two_offsets_has_one_identity_key():
    assert utc_key("2026-11-25T08:00:00+08:00") == utc_key("2026-11-25T01:00:00+01:00")


def test_locodes_need_a_real_country():
    assert locode_problem("CNSHA") == ""
    assert "not an ISO 3166 country" in locode_problem("XXABC")
    assert "not a UN/LOCODE" in locode_problem("DEPARTPLACE")


def test_registry_covers_the_partner_message_types():
    assert supported_types() == [
        "APERAK", "BAPLIE", "BERMAN", "COARRI", "CODECO", "CODENO", "CONTRL", "COPARN", "COPRAR", "COREOR", "COSTCO",
        "CUSCAR", "CUSDEC", "CUSREP", "CUSRES", "IFCSUM", "IFTMAN", "IFTMBC", "IFTMBF", "IFTMBP", "IFTMCS",
        "IFTMIN", "IFTSAI", "IFTSTA", "VERMAS",
    ]  # fmt: skip
    assert mapping_for("EDIFACT", "CUSRES", "1:921:UN").MESSAGE_TYPES == ("CUSRES",)


def test_known_locations_hook_reports_places_outside_it():
    data = (
        "UNB+UNOC:3+T+R+261125:1000+1'UNH+1+CODECO:D:00B:UN'BGM+34+G+9'NAD+CF+X:160:20'"
        "EQD+CN+MSKU1234565+45G1:102:5++2+5'DTM+7:202611250800:203'LOC+165+CNNGB:139:6'CNT+16:1'UNT+8+1'UNZ+1+1'"
    )
    result = map_interchange(data.encode(), known_locations={"CNSHA"})
    assert result.events[0]["transportCall"]["UNLocationCode"] == "CNNGB"
    assert [i.code for i in result.issues] == ["12"] and "CNNGB" in result.issues[0].message


def test_message_types_without_a_table_are_reported_once():
    data = "UNB+UNOC:3+T+R+261125:1000+1'UNH+1+INVOIC:D:01B:UN'BGM+380+G+9'UNT+3+1'UNZ+1+1'"
    result = map_interchange(data.encode())
    assert result.events == [] and [(i.code, i.severity) for i in result.issues] == [("14", "warning")]


def test_mapping_result_is_json_ready_for_the_translate_document():
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "fixtures" / "edifact" / "iftsta_d00b_logihub_status.edi"
    document = json.loads(json.dumps(map_interchange(path).as_dict()))
    assert len(document["events"]) == 2
    (issue,) = document["issues"]
    assert issue["code"] == "14" and issue["position"]["tag"] == "STS" and issue["messageReference"] == "9001"
    assert document["acknowledgements"] == []


def test_messages_validation_rejected_can_be_left_unmapped():
    from pathlib import Path

    from edi.map import iter_mapped

    path = Path(__file__).resolve().parents[2] / "fixtures" / "edifact" / "cusres_d96b_logihub_decisions.edi"
    assert len(map_interchange(path, exclude_references={"2"}).events) == 2
    assert [(m.reference, len(r.events)) for m, r in iter_mapped(path)] == [("1", 1), ("2", 1), ("3", 1)]


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("20261203093015", "203", "2026-12-03T09:30:15+01:00"),  # seconds added to CCYYMMDDHHMM
        ("202612030930", "102", "2026-12-03T09:30:00+01:00"),  # a time added to a date
        ("2612030930", "101", "2026-12-03T09:30:00+01:00"),
    ],
)
def test_a_value_that_adds_to_its_format_is_read_as_what_it_is_with_a_note(value, fmt, expected):
    when, _how, note = dtm_datetime(value, fmt, "NLRTM")
    assert when == expected and "read by its length" in note


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("20261203T0930", "203", "2026-12-03T09:30:00+01:00"),  # ISO 8601's time designator (2379 10 has it)
        ("20261203t093015", "204", "2026-12-03T09:30:15+01:00"),
        ("202612030930+0800", "203", "2026-12-03T09:30:00+08:00"),  # a zone after the time: read as 303 reads it
        ("202612030930-05", "203", "2026-12-03T09:30:00-05:00"),
        ("20261203093015UTC", "204", "2026-12-03T09:30:15+00:00"),
        ("2612030930Z", "201", "2026-12-03T09:30:00+00:00"),
        ("20261203T0930+0100", "203", "2026-12-03T09:30:00+01:00"),
    ],
)
def test_a_plain_time_with_a_time_designator_or_a_zone_is_read_with_it_and_a_note(value, fmt, expected):
    # the message states the time whole: reading it beats the interchange date of last resort
    when, _how, note = dtm_datetime(value, fmt, "NLRTM")
    assert when == expected and "read with it" in note


@pytest.mark.parametrize(
    ("value", "fmt"), [("202612030930+99", "203"), ("202612030930XYZ", "203"), ("2026120T0930", "203")]
)
def test_a_designator_or_zone_that_cannot_be_read_is_not_guessed_at(value, fmt):
    with pytest.raises(BadValue):
        dtm_datetime(value, fmt, None)


@pytest.mark.parametrize(("value", "fmt"), [("2010040811", "203"), ("261203", "102"), ("2026120309301", "203")])
def test_a_value_cut_short_or_of_no_plain_length_is_not_guessed_at(value, fmt):
    with pytest.raises(BadValue):
        dtm_datetime(value, fmt, None)


def test_a_value_read_as_declared_has_no_note():
    assert dtm_datetime("202612030930", "203", None)[2] == ""


@pytest.mark.parametrize(
    ("place", "expected"),
    [("CNSHA", "2026-12-01T12:00:00+08:00"), ("USHOU", "2026-12-01T12:00:00-06:00")],
)
def test_an_ambiguous_zone_name_is_read_on_the_clock_of_the_events_place(place, expected):
    when, how, note = dtm_datetime("202612011200CST", "303", place)
    assert when == expected and how.startswith("location:") and "'CST'" in note


def test_an_ambiguous_zone_name_without_a_known_place_is_refused():
    with pytest.raises(BadValue):
        dtm_datetime("202612011200CST", "303", None)


@pytest.mark.parametrize("zone", ["+99", "-24", "+2400", "+0875", "+15"])
def test_an_offset_no_zone_has_is_a_bad_value_not_a_crash(zone):
    # timezone() refuses offsets of a day or more: such a value crashed the translation
    with pytest.raises(BadValue):
        dtm_datetime(f"202612030930{zone}", "303", None)


@pytest.mark.parametrize(("value", "fmt"), [("000101010000", "203"), ("999912312359-05", "303"), ("99991231", "102")])
def test_a_placeholder_year_is_a_bad_value_not_a_crash(value, fmt):
    # year 1 or 9999 moved by its zone leaves what a datetime can hold: the eventID's UTC key crashed
    with pytest.raises(BadValue):
        dtm_datetime(value, fmt, "NLRTM")


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="0123456789+-:TtZUCSE ", max_size=22),
    st.sampled_from(["", "101", "102", "201", "203", "204", "205", "303", "304", "5", "10", "718", "999"]),
)
def test_any_dtm_value_is_read_or_a_bad_value_never_a_crash(value, fmt):
    try:
        when, _how, _note = dtm_datetime(value, fmt, "NLRTM")
    except BadValue:
        return
    assert 1900 <= int(when[:4]) <= 2999 and utc_key(when)  # and the eventID's key can be made


@pytest.mark.parametrize("number", ["MéKU8080800", "МSKU1234565", "MSKU12345٣5"])  # Latin é, Cyrillic М, Arabic 3
def test_a_container_number_with_a_look_alike_character_is_flagged_not_a_crash(number):
    # stdnum's ISO 6346 check takes any Unicode letter or digit for its format, then fails on it (ValueError)
    from edi.mappings.values import container_problem

    assert "is not an ISO 6346 container number" in container_problem(number)


@given(
    owner=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
    category=st.sampled_from("UJZR"),
    serial=st.integers(min_value=0, max_value=999_999),
)
def test_a_container_number_without_its_check_digit_gets_the_one_iso_6346_gives(owner, category, serial):
    from edi.mappings.values import container_problem, with_check_digit

    written = f"{owner}{category}{serial:06d}"
    whole = with_check_digit(written)
    assert whole[:10] == written and container_problem(whole) == ""
    assert with_check_digit(whole) == whole  # a whole number is left as it is


@pytest.mark.parametrize("number", ["MSCU1234567", "MSCU12345", "MSC123456", "MSCX123456", "TRAILER123", ""])
def test_only_an_iso_6346_number_short_of_its_check_digit_is_completed(number):
    from edi.mappings.values import with_check_digit

    assert with_check_digit(number) == number


def test_a_container_written_without_its_check_digit_is_the_same_container_with_a_warning():
    data = (
        "UNB+UNOA:2+DEPOT:ZZZ+LOGIHUB:ZZZ+261203:0815+5502'UNH+1+CODECO:D:95B:UN:ITG14'BGM+34+GI5502+9'"
        "NAD+MS+DEPOT:160:ZZZ'EQD+CN+MSCU 123456+22G1:102:5+2+2+5'DTM+7:202612030805:203'"
        "LOC+9+NLRTM:139:6'CNT+16:1'UNT+8+1'UNZ+1+5502'"
    )
    result = map_interchange(data.encode())
    (event,) = result.events
    assert event["equipmentReference"] == "MSCU1234566"
    assert [(i.code, i.severity, i.position.tag) for i in result.issues] == [("12", "warning", "EQD")]
    assert "MSCU123456 is written without its ISO 6346 check digit: read as MSCU1234566" in result.issues[0].message


def test_a_consignment_placed_in_a_container_named_without_its_check_digit_finds_it():
    # the manifest's EQD writes the number whole, the goods item's split goods placement without it
    data = (
        "UNB+UNOA:2+HLCUAGT:ZZZ+NLCUSTOMS:ZZZ+261203:1000+CC1'UNH+CC1+CUSCAR:D:95B:UN'BGM+85+MAN1+9'"
        "DTM+137:202612031000:203'TDT+20+024E+1++HLC:172:20+++9501370:146:11:BERLIN EXPRESS'LOC+11+NLRTM:139:6'"
        "EQD+CN+HLXU8765430+45G1:102:5+++5'CNI+1+HLCUSHA2612001'LOC+11+NLRTM:139:6'GID+1+800:CT'"
        "SGP+HLXU876543'UNT+12+CC1'UNZ+1+CC1'"
    )
    (declared,) = [e for e in map_interchange(data.encode()).events if e["eventType"] == "CUSTOMS"]
    assert declared["equipmentReference"] == "HLXU8765430"
    assert declared["ISOEquipmentCode"] == "45G1"  # described by the header's EQD it was matched with
