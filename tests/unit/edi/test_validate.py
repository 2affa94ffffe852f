"""Directory-driven validation: structure, data elements and code lists, with ISO 9735 codes and positions."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi.directory import load_directory
from edi.parse.edifact import Repetitions, Segment
from edi.validate import validate_interchange, validate_message

UNB = "UNB+UNOA:2+SENDER+RECEIVER+200101:1200+REF1'"
BODY = [
    "UNH+1+CODECO:D:96A:UN'",
    "BGM+36+DOC1+9'",
    "NAD+CF+MSC:160:166'",
    "EQD+CN+MSCU1234565+22G1:102:5++2+5'",
    "DTM+7:202001011200:203'",
    "CNT+16:1'",
]


def interchange(body, unb=UNB):
    body = list(body)
    segments = [*body, f"UNT+{len(body) + 1}+1'"]
    return (unb + "".join(segments) + "UNZ+1+REF1'").encode()


def found(result):
    return [(i.code, i.position.segment, i.position.tag) for i in result.errors]


def details(result):
    return [
        (i.code, i.position.segment, i.position.tag, i.position.element, i.position.component) for i in result.errors
    ]


def test_a_valid_codeco_has_no_issue():
    result = validate_interchange(interchange(BODY))
    assert result.all_issues == []
    assert result.ok and result.messages[0].status == "accepted"


def test_missing_mandatory_segment_is_code_13_where_it_was_due():
    body = [s for s in BODY if not s.startswith("BGM")]
    result = validate_interchange(interchange(body))
    assert found(result) == [("13", 3, "NAD")]
    assert "BGM" in result.errors[0].message


def test_missing_mandatory_group_is_code_13():
    body = [s for s in BODY if not s.startswith("NAD")]
    result = validate_interchange(interchange(body))
    assert found(result) == [("13", 4, "EQD")]
    assert "SG2" in result.errors[0].message


def test_missing_mandatory_segment_at_the_end_is_reported_at_unt():
    body = [s for s in BODY if not s.startswith("CNT")]
    result = validate_interchange(interchange(body))
    assert found(result) == [("13", 7, "UNT")]


def test_segment_out_of_place_is_code_15():
    body = [*BODY[:2], "CNT+16:1'", *BODY[2:]]
    # CNT early: the next segment (NAD) fits where we are, so CNT is the stray one, not a jump
    # past the mandatory groups (which would cascade into errors for everything after it)
    assert found(validate_interchange(interchange(body))) == [("15", 4, "CNT")]


def test_segment_out_of_place_at_the_end_is_code_15():
    body = [*BODY, "BGM+36+DOC2+9'"]
    assert found(validate_interchange(interchange(body))) == [("15", 8, "BGM")]


def test_jump_is_taken_when_what_follows_needs_it():
    # NAD after UNH: BGM is really missing (EQD next does not fit before NAD either)
    body = [BODY[0], *BODY[2:]]
    assert found(validate_interchange(interchange(body))) == [("13", 3, "NAD")]


def test_a_missing_mandatory_segment_before_a_group_is_code_13_even_when_the_groups_next_segment_fits_before():
    # D95B COPRAR (SMDG): header RFF is mandatory; TDT's group opens with TDT then RFF, which would also fit
    # as the missing header RFF: the TDT is where it belongs and the RFF before it is what is missing
    body = [
        "UNH+1+COPRAR:D:95B:UN:ITG12'",
        "BGM+44+D1+9'",
        "TDT+20+FL419A+1++MSC:172:20'",
        "RFF+VON:FL419A'",
        "LOC+11+BEANR:139:6'",
        "NAD+CA+MSC:172:20'",
        "EQD+CN+MEDU2468101+45G1:102:5++3+5'",
        "CNT+16:1'",
    ]
    assert found(validate_interchange(interchange(body))) == [("13", 4, "TDT")]


def test_unknown_segment_tag_is_code_15():
    body = [*BODY[:2], "XYZ+1'", *BODY[2:]]
    assert found(validate_interchange(interchange(body))) == [("15", 4, "XYZ")]


def test_too_many_segment_repetitions_is_code_35():
    body = [*BODY[:2], *["FTX+AAI+++TEXT'"] * 10, *BODY[2:]]
    assert found(validate_interchange(interchange(body))) == [("35", 13, "FTX")]


def test_too_many_group_repetitions_is_code_36():
    body = [BODY[0], BODY[1], *["NAD+CF+MSC:160:166'"] * 10, *BODY[3:]]
    assert found(validate_interchange(interchange(body))) == [("36", 13, "NAD")]


def test_group_repeats_within_its_limit_are_fine():
    body = [BODY[0], BODY[1], *["NAD+CF+MSC:160:166'"] * 9, *BODY[3:]]
    assert validate_interchange(interchange(body)).ok


def test_missing_mandatory_element_and_component_are_code_13_with_positions():
    body = [*BODY[:2], "NAD++:160:166'", *BODY[3:]]
    assert details(validate_interchange(interchange(body))) == [
        ("13", 4, "NAD", 1, None),
        ("13", 4, "NAD", 2, 1),
    ]


def test_too_many_elements_and_components_are_code_16():
    body = [BODY[0], "BGM+36+DOC1+9+AB+EXTRA'", "NAD+CF+MSC:160:166:X:Y'", *BODY[3:]]
    assert details(validate_interchange(interchange(body))) == [
        ("16", 3, "BGM", 5, None),
        ("16", 4, "NAD", 2, None),
    ]


def test_letters_in_a_numeric_element_are_code_37():
    body = [*BODY[:5], "CNT+16:1A'"]
    assert details(validate_interchange(interchange(body))) == [("37", 7, "CNT", 1, 2)]


def test_numbers_accept_sign_and_either_decimal_mark():
    for value in ("-1", "1.5", "1,5", "0.25", "18"):
        assert validate_interchange(interchange([*BODY[:5], f"CNT+16:{value}'"])).ok, value


def test_decimal_mark_without_a_digit_before_it_is_code_38():
    assert found(validate_interchange(interchange([*BODY[:5], "CNT+16:.5'"]))) == [("38", 7, "CNT")]


def warned(result):
    issues = [i for m in result.messages for i in m.issues if i.severity == "warning"]
    return [(i.code, i.position.segment, i.position.tag, i.position.element, i.position.component) for i in issues]


def test_too_long_and_too_short_are_codes_39_and_40_read_as_written_with_a_warning():
    body = [BODY[0], BODY[1], BODY[2], "GID+1'", "DGS+IMD+3.1+1203+23:CEL'", "FTX+AAA+++" + "X" * 600 + "'", *BODY[3:]]
    result = validate_interchange(interchange(body))
    assert result.ok and warned(result) == [("40", 6, "DGS", 4, 1), ("39", 7, "FTX", 4, 1)]
    assert "read as written" in result.messages[0].issues[0].message


def test_a_coded_value_of_the_wrong_length_is_a_value_outside_its_list():
    body = [*BODY[:4], "DTM+7:202001011200:2030'", BODY[5]]  # 2379 (closed): no such date format
    assert details(validate_interchange(interchange(body))) == [("12", 6, "DTM", 1, 3)]


def test_closed_code_list_value_is_an_error_12():
    body = [*BODY[:4], "DTM+7:202001011200:999'", BODY[5]]
    assert details(validate_interchange(interchange(body))) == [("12", 6, "DTM", 1, 3)]


def test_a_date_format_of_a_newer_directory_is_a_warning_read_as_that_directory_defines_it():
    # 205 (CCYYMMDDHHMMZHHMM) and 5 (DDMMCCYYHHMM) came after D96A: a partner's system that writes
    # the newer 2379 list into its D96A message loses nothing; 999 is in no directory and stays an error
    body = [*BODY[:4], "DTM+7:202001011200?+0100:205'", "DTM+203:010120201215:5'", BODY[5]]
    result = validate_interchange(interchange(body))
    assert result.ok and warned(result) == [("12", 6, "DTM", 1, 3), ("12", 7, "DTM", 1, 3)]
    assert "directory D23A defines it" in result.messages[0].issues[0].message


def test_partner_extended_code_list_value_is_a_warning_12():
    body = [*BODY[:4], "DTM+WAT:202001011200:203'", BODY[5]]
    result = validate_interchange(interchange(body))
    assert result.ok
    warning = result.messages[0].issues[0]
    assert (warning.code, warning.severity, warning.position.segment, warning.position.element) == (
        "12",
        "warning",
        6,
        1,
    )
    assert result.messages[0].status == "accepted_with_warnings"


def test_code_lists_of_other_agencies_are_not_checked():
    body = [BODY[0], "BGM+XYZ:::ZZ+DOC1+9'", BODY[2], *BODY[3:]]
    assert validate_interchange(interchange(body)).all_issues != []  # no agency: UN list, warning
    body = [BODY[0], "BGM+XYZ::ZZZ+DOC1+9'", *BODY[2:]]
    assert validate_interchange(interchange(body)).all_issues == []


def test_a_value_claimed_from_the_un_list_must_be_in_it():
    body = [BODY[0], "BGM+XYZ::6+DOC1+9'", *BODY[2:]]
    assert details(validate_interchange(interchange(body))) == [("12", 3, "BGM", 1, 1)]


def test_unb_is_checked_against_the_service_directory_of_its_syntax_version():
    result = validate_interchange(interchange(BODY, unb="UNB+UNOA:2+SENDER+RECEIVER+2020010:1200+REF1'"))
    assert details(result) == [("39", 1, "UNB", 4, 1)]  # 7 digits: a date of no syntax version
    # 8 digits are syntax version 4's date: read as it defines it, with a warning
    result = validate_interchange(interchange(BODY, unb="UNB+UNOA:2+SENDER+RECEIVER+20200101:1200+REF1'"))
    assert result.ok and [(i.code, i.severity) for i in result.issues] == [("39", "warning")]
    result = validate_interchange(interchange(BODY, unb="UNB+UNOA:4+SENDER+RECEIVER+20200101:1200+REF1'"))
    assert result.ok


def test_message_of_an_unshipped_directory_gets_one_warning():
    body = ["UNH+1+CUSRES:1:921:UN'", "BGM+962'"]
    result = validate_interchange(interchange(body))
    assert result.ok
    [warning] = result.messages[0].issues
    assert (warning.code, warning.severity, warning.position.tag) == ("17", "warning", "UNH")


def test_one_bad_message_does_not_sink_the_next():
    bad = [*BODY[:2], "XYZ+1'", *BODY[2:], "UNT+8+1'"]
    good = [s.replace("UNH+1+", "UNH+2+") for s in BODY] + ["UNT+7+2'"]
    data = (UNB + "".join(bad) + "".join(good) + "UNZ+2+REF1'").encode()
    result = validate_interchange(data)
    assert [m.status for m in result.messages] == ["rejected", "accepted"]


def test_envelope_issues_of_the_reader_are_kept():
    data = interchange(BODY).replace(b"UNT+7+1", b"UNT+9+1")
    assert found(validate_interchange(data)) == [("29", 8, "UNT")]


def test_missing_unt_is_reported_once():
    data = (UNB + "".join(BODY) + "UNZ+1+REF1'").encode()
    codes = [i.code for i in validate_interchange(data).errors]
    assert codes.count("13") == 1


def test_syntax_4_repetitions_are_checked_occurrence_by_occurrence():
    message = _message(
        ["UNH", [["1"], ["CODECO", "D", "96A", "UN"]]],
        ["BGM", [["36"], ["DOC1"], ["9"]]],
        ["NAD", [["CF"], Repetitions([["MSC", "160", "166"], ["X" * 40]])]],
        ["EQD", [["CN"], ["MSCU1234565"]]],
        ["CNT", [["16", "1"]]],
        ["UNT", [["6"], ["1"]]],
    )
    issues = validate_message(message, load_directory("D96A"))
    assert [(i.code, i.position.tag, i.position.element) for i in issues] == [("39", "NAD", 2)]


class _Message:
    def __init__(self, segments, s009=None):
        self.segments = segments
        unh = s009 or segments[0].elements[1] + ["", "", "", ""]
        self.type, self.version, self.release, self.agency = unh[:4]
        self.reference = "1"


def _message(*specs):
    return _Message([Segment(tag, els, n, 1, 1, 0) for n, (tag, els) in enumerate(specs, start=1)])


TAGS = st.sampled_from(["UNH", "BGM", "NAD", "EQD", "CNT", "UNT", "DTM", "FTX", "XYZ", "", "TDT", "SG1"])
VALUES = st.text(alphabet="AZ09.,-: ", max_size=6)
ELEMENT = st.one_of(
    st.lists(VALUES, min_size=0, max_size=4),
    st.builds(Repetitions, st.lists(st.lists(VALUES, min_size=1, max_size=3), max_size=3)),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(TAGS, st.lists(ELEMENT, max_size=6)), min_size=1, max_size=25), st.sampled_from(["D96A", "D93A"])
)
def test_arbitrary_segment_lists_never_crash_the_validator(specs, version):
    segments = [Segment(tag, els, n, 1, 1, 0) for n, (tag, els) in enumerate(specs, start=1)]
    message = _Message(segments, ["CODECO", "D", version[1:], "UN"])
    issues = validate_message(message, load_directory(version))
    assert all(i.code.isdigit() and i.position.segment for i in issues)


EDIFACT_ISH = st.lists(
    st.one_of(
        st.sampled_from(["UNB+UNOA:2+S+R+200101:1200+1'", "UNH+1+CODECO:D:96A:UN'", "UNT+3+1'", "UNZ+1+1'"]),
        st.sampled_from(["BGM+36+X+9'", "NAD+CF+A:160:166'", "EQD+CN+X'", "CNT+16:1'", "UNG+X+Y+Z'", "UNE+1+X'"]),
        st.text(alphabet="UNBHTZ+:'?*.ABC019 \n", max_size=30),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(EDIFACT_ISH, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_arbitrary_input_gives_a_result_or_the_layers_own_error(text):
    from edi.exceptions import EdiError

    try:
        result = validate_interchange(text.encode("latin-1", errors="replace"))
    except EdiError:
        return
    for issue in result.all_issues:
        assert issue.code and issue.severity in ("error", "warning")


def test_a_syntax_version_1_envelope_around_a_d_directory_message_is_read_with_a_warning():
    from edi.translate import translate_bytes

    body = (
        b"UNB+UNOA:1+CNSHATERM:ZZZ+LOGIHUB:ZZZ+261125:0905+GI0101'"
        b"UNH+1+CODECO:D:95B:UN'"
        b"BGM+34+GATEIN20261125+9'"
        b"NAD+CF+MSK:160:20'"
        b"EQD+CN+MSKU1234565+45G1:102:5++2+5'"
        b"DTM+7:202611250812:203'"
        b"LOC+165+CNSHA:139:6'"
        b"CNT+16:1'"
        b"UNT+8+1'"
        b"UNZ+1+GI0101'"
    )
    document = translate_bytes(body)
    message = document["messages"][0]
    assert message["status"] == "accepted_with_warnings"
    assert {(w["code"], w["position"]["tag"], w["position"].get("component")) for w in message["warnings"]} >= {
        ("37", "UNH", 2),
        ("37", "UNH", 3),
    }
    assert [(e["equipmentReference"], e["equipmentEventTypeCode"]) for e in document["events"]] == [
        ("MSKU1234565", "GTIN")
    ]


UNB_V4 = "UNB+UNOC:4+SENDER+RECEIVER+20200101:1200+REF1'"


def test_a_syntax_4_header_may_name_its_subset_guideline_and_scenario():
    # ISO 9735-1:2002 UNH: 0062, S009, 0068, S010, S016 subset, S017 implementation guideline, S018 scenario
    header = "UNH+1+CODECO:D:96A:UN+REF+1:C+SUBSET:1:0:UN+MIG-CODECO:2:1:SMD+GATE:1:0:UN'"
    result = validate_interchange(interchange([header, *BODY[1:]], unb=UNB_V4))
    assert result.ok and [i for i in result.all_issues if i.position.tag == "UNH"] == []


def test_a_header_too_long_for_every_syntax_version_is_not_read_as_another_versions():
    header = "UNH+1+CODECO:D:96A:UN+REF+1:C+SUBSET+MIG+SCENARIO+EXTRA'"
    result = validate_interchange(interchange([header, *BODY[1:]], unb=UNB_V4))
    assert ("16", 2, "UNH", 8, None) in details(result)
    # under syntax 3, seven elements are what version 4 defines: read as it does, with a warning
    header = "UNH+1+CODECO:D:96A:UN+REF+1:C+SUBSET+MIG+SCENARIO'"
    result = validate_interchange(interchange([header, *BODY[1:]], unb="UNB+UNOC:3+SENDER+RECEIVER+200101:1200+REF1'"))
    unh = [(i.code, i.severity) for i in result.all_issues if i.position.tag == "UNH"]
    assert result.ok and unh == [("16", "warning")]
    header = "UNH+1+CODECO:D:96A:UN+REF+1:C+SUBSET+MIG+SCENARIO+EXTRA'"
    result = validate_interchange(interchange([header, *BODY[1:]], unb="UNB+UNOC:3+SENDER+RECEIVER+200101:1200+REF1'"))
    assert ("16", 2, "UNH", 5, None) in details(result)


def test_a_character_set_of_syntax_version_4_declared_under_version_3_is_read_with_a_warning():
    # UNOY (UTF-8) came with syntax version 4; partners writing Chinese or Cyrillic names send it as UNOY:3
    unb = "UNB+UNOY:3+SENDER+RECEIVER+200101:1200+REF1'"
    body = [*BODY[:2], "NAD+CF+MSC:160:166++中远海运'", *BODY[3:]]
    result = validate_interchange(interchange(body, unb=unb))
    assert result.ok
    assert [(i.code, i.severity, i.position.tag) for i in result.all_issues] == [("12", "warning", "UNB")]
    # a syntax identifier of no version stays an error
    result = validate_interchange(interchange(BODY, unb="UNB+UNOQ:3+SENDER+RECEIVER+200101:1200+REF1'"))
    assert ("12", 1, "UNB", 1, 1) in details(result)
