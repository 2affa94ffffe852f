"""The envelope reader: messages one at a time, groups, and ISO 9735 count/reference checks."""

from pathlib import Path

import pytest

from edi.exceptions import NotAMessage
from edi.parse.interchange import read_interchange, to_pydifact, to_pydifact_interchange

FIXTURES = Path(__file__).parents[2] / "fixtures" / "edifact"
UNB = "UNB+UNOA:3+SENDER:ZZZ+RECIPIENT:ZZZ+200101:1200+REF1++APP++1++1'"


def message(ref="1", body="BGM+34+X+9'", count=None, unt_ref=None):
    n = body.count("'") + 2 if count is None else count
    return f"UNH+{ref}+CODECO:D:95B:UN:ITG14'{body}UNT+{n}+{unt_ref or ref}'"


def codes(issues):
    return sorted(i.code for i in issues)


def test_messages_are_yielded_with_their_identification():
    reader = read_interchange(UNB + message("1") + message("2") + "UNZ+2+REF1'")
    messages = list(reader)
    assert [m.reference for m in messages] == ["1", "2"]
    first = messages[0]
    assert (first.type, first.version, first.release, first.agency, first.association) == (
        "CODECO",
        "D",
        "95B",
        "UN",
        "ITG14",
    )
    assert first.directory == "D95B"
    assert [s.tag for s in first.segments] == ["UNH", "BGM", "UNT"]
    assert first.issues == [] and reader.issues == []


def test_envelope_facts_come_from_unb():
    reader = read_interchange(UNB + message() + "UNZ+1+REF1'")
    assert reader.header.tag == "UNB"
    assert (reader.syntax_identifier, reader.syntax_version) == ("UNOA", "3")
    assert (reader.sender, reader.recipient, reader.control_reference) == ("SENDER", "RECIPIENT", "REF1")
    assert reader.ack_requested is True and reader.test_indicator == "1"
    list(reader)
    assert reader.trailer.tag == "UNZ"


def test_wrong_unt_segment_count_is_code_29_on_that_message_only():
    reader = read_interchange(UNB + message("1", count=9) + message("2") + "UNZ+2+REF1'")
    bad, good = list(reader)
    assert codes(bad.issues) == ["29"]
    assert bad.issues[0].position.tag == "UNT" and bad.issues[0].position.element == 1
    assert bad.issues[0].message_ref == "1"
    assert good.issues == []


def test_unt_reference_mismatch_is_code_28():
    [msg] = list(read_interchange(UNB + message("1", unt_ref="7") + "UNZ+1+REF1'"))
    assert codes(msg.issues) == ["28"]


def test_unz_count_and_reference_are_checked():
    reader = read_interchange(UNB + message() + "UNZ+3+OTHER'")
    list(reader)
    assert codes(reader.issues) == ["28", "29"]


def test_missing_unz_is_code_13_at_interchange_level():
    reader = read_interchange(UNB + message())
    list(reader)
    [issue] = reader.issues
    assert (issue.code, issue.level) == ("13", "interchange")
    assert reader.trailer is None


def test_missing_unt_does_not_stop_the_next_message():
    text = UNB + "UNH+1+CODECO:D:95B:UN'BGM+34+X+9'" + message("2") + "UNZ+2+REF1'"
    first, second = list(read_interchange(text))
    assert codes(first.issues) == ["13"] and first.trailer is None
    assert second.reference == "2" and second.issues == []


def test_segment_outside_a_message_is_code_33():
    reader = read_interchange(UNB + "BGM+34+X+9'" + message() + "UNZ+1+REF1'")
    list(reader)
    assert codes(reader.issues) == ["33"]
    assert reader.issues[0].position.segment == 2


def test_functional_groups_are_counted_and_checked():
    text = (
        UNB + "UNG+CODECO+S+R+200101:1200+G1+UN+D:95B'" + message("1") + message("2") + "UNE+2+G1'"
        "UNG+CODECO+S+R+200101:1200+G2+UN+D:95B'" + message("3") + "UNE+5+G9'UNZ+2+REF1'"
    )
    reader = read_interchange(text)
    messages = list(reader)
    assert [m.group_reference for m in messages] == ["G1", "G1", "G2"]
    assert [g.reference for g in reader.groups] == ["G1", "G2"]
    assert codes(reader.issues) == ["28", "29"]
    assert all(i.level == "group" for i in reader.issues)


def test_groups_and_messages_mixed_is_code_30():
    text = UNB + message("1") + "UNG+CODECO+S+R+200101:1200+G1+UN+D:95B'" + message("2") + "UNE+1+G1'UNZ+2+REF1'"
    reader = read_interchange(text)
    list(reader)
    assert "30" in codes(reader.issues)


def test_missing_une_is_reported():
    text = UNB + "UNG+CODECO+S+R+200101:1200+G1+UN+D:95B'" + message("1") + "UNZ+1+REF1'"
    reader = read_interchange(text)
    list(reader)
    assert codes(reader.issues) == ["13"]


def test_truncated_final_segment_is_reported():
    reader = read_interchange(UNB + message() + "UNZ+1+REF1")
    list(reader)
    assert [(i.code, i.position.tag) for i in reader.issues] == [("13", "UNZ")]


def test_bare_message_without_unb_reads_without_envelope_errors():
    reader = read_interchange(message("M1"))
    [msg] = list(reader)
    assert reader.header is None and reader.issues == [] and msg.issues == []


def test_interchange_without_messages_is_code_32():
    reader = read_interchange(UNB + "UNZ+0+REF1'")
    assert list(reader) == []
    assert codes(reader.issues) == ["32"]


def test_character_issue_goes_to_its_message():
    reader = read_interchange(UNB + message("1", "FTX+AAI+++lower'") + message("2") + "UNZ+2+REF1'")
    first, second = list(reader)
    assert codes(first.issues) == ["21"] and first.issues[0].message_ref == "1"
    assert second.issues == [] and reader.issues == []


def test_not_a_message_raises_at_once():
    with pytest.raises(NotAMessage):
        read_interchange(b"\x00\x01\x02 hello")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("malformed/aperak_d96a_pydifact_v3_aperak.edi", {("29", "UNT")}),
        ("malformed/iftmin_s93a_chemaclass_edifact-sample.edi", {("29", "UNT")}),
        ("malformed/iftmbc_d00b_phpedifact_example_multiline.edi", {("29", "UNT"), ("21", "FTX")}),
    ],
)
def test_malformed_fixtures_report_their_known_defect(name, expected):
    reader = read_interchange((FIXTURES / name).read_bytes())
    found = {(i.code, i.position.tag) for m in reader for i in m.issues}
    assert expected <= found


def test_unz_reference_defect_in_iftsta_fixture():
    reader = read_interchange((FIXTURES / "malformed" / "iftsta_d00b_apimeister_d00b_iftsta.edi").read_bytes())
    messages = list(reader)
    assert len(messages) == 1 and messages[0].issues == []
    assert [(i.code, i.position.tag, i.position.element) for i in reader.issues] == [("28", "UNZ", 2)]


@pytest.mark.parametrize("name", ["coarri_d95b_phpedifact_D95BCOARRI.edi", "baplie_d95b_phpedifact_D95BBAPLIE.edi"])
def test_clean_fixtures_read_without_issues(name):
    reader = read_interchange((FIXTURES / name).read_bytes())
    messages = list(reader)
    assert messages and reader.issues == [] and all(m.issues == [] for m in messages)


def test_to_pydifact_gives_pydifact_segments():
    from pydifact.segments import Segment as PydifactSegment

    [msg] = list(read_interchange(UNB + message() + "UNZ+1+REF1'"))
    converted = to_pydifact(msg.header)
    assert isinstance(converted, PydifactSegment)
    assert converted.tag == "UNH" and converted.elements == ["1", ["CODECO", "D", "95B", "UN", "ITG14"]]


@pytest.mark.filterwarnings("ignore:segments.xml not found")  # pydifact's own XML checks, which it ships without
def test_to_pydifact_interchange_round_trips_through_its_serializer():
    text = (FIXTURES / "coarri_d95b_phpedifact_D95BCOARRI.edi").read_text("latin-1")
    interchange = to_pydifact_interchange(text)
    messages = list(interchange.get_messages())
    assert len(messages) == 2 and messages[0].type == "COARRI"
    again = to_pydifact_interchange(interchange.serialize())
    assert [s.elements for s in again.segments] == [s.elements for s in interchange.segments]


def test_control_counts_with_leading_zeros_are_numbers():
    text = UNB + "UNG+CODECO+S+R+200101:1200+G1+UN+D:95B'" + message("1", count="0003") + "UNE+01+G1'UNZ+001+REF1'"
    reader = read_interchange(text)
    [msg] = list(reader)
    assert msg.issues == [] and reader.issues == []


def test_non_numeric_control_count_is_code_29():
    [msg] = list(read_interchange(UNB + message("1", count="X") + "UNZ+1+REF1'"))
    assert codes(msg.issues) == ["29"]


def test_more_than_one_message_type_in_a_syntax_3_group_is_code_31():
    other = "UNH+2+IFTSTA:D:95B:UN'BGM+23+X+9'UNT+3+2'"
    text = UNB + "UNG+CODECO+S+R+200101:1200+G1+UN+D:95B'" + message("1") + other + "UNE+2+G1'UNZ+1+REF1'"
    reader = read_interchange(text)
    list(reader)
    assert [(i.code, i.level, i.position.segment) for i in reader.issues] == [("31", "group", 6)]
    assert reader.groups[0].issues == reader.issues


def test_a_second_interchange_in_one_input_is_reported_once_and_not_read():
    second = "UNB+UNOA:3+SENDER:ZZZ+RECIPIENT:ZZZ+200101:1300+REF2'" + message("1") + "UNZ+1+REF2'"
    reader = read_interchange(UNB + message("1") + "UNZ+1+REF1'\n" + second)
    assert [m.reference for m in reader] == ["1"]
    (issue,) = reader.issues
    assert (issue.code, issue.position.tag, issue.position.segment) == ("33", "UNB", 6)
    assert "'REF2'" in issue.message
