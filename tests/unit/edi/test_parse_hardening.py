"""Hostile and broken input: every problem reported with a position, in bounded time, never a crash."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi.detect import detect
from edi.exceptions import EdiError, NotAMessage
from edi.parse.interchange import read_interchange

UNB = "UNB+UNOA:3+SENDER+RECIPIENT+200101:1200+REF1'"
MSG = "UNH+1+CODECO:D:95B:UN'BGM+34+X+9'UNT+3+1'"
# The bound on time is enforced by pytest-timeout (a hung reader fails the test) rather than
# by asserting wall-clock seconds, which a loaded CI machine would turn into flaky failures;
# bench/edi_parse.py measures speed.
pytestmark = pytest.mark.timeout(120)


def read_all(source):
    """Read an interchange to the end; return (messages, all issues)."""
    reader = read_interchange(source)
    messages = list(reader)
    return messages, reader.issues + [i for m in messages for i in m.issues]


def bounded(fn):
    return fn()


def test_trailing_release_character_at_end_of_input_is_reported():
    text = UNB + MSG + "UNZ+1+REF1'?"
    _, issues = read_all(text)
    assert [(i.code, i.position.offset) for i in issues] == [("22", len(text) - 1)]


def test_release_escaping_the_last_terminator_leaves_the_segment_open():
    _, issues = read_all(UNB + MSG + "UNZ+1+REF1?'")
    assert any(i.code == "13" and "terminator missing" in i.message for i in issues)


def test_a_file_cut_off_inside_a_segment_is_not_also_a_line_break_inside_it():
    # an editor or a transfer leaves the usual newline after the cut: the cut is the defect, not the newline
    [message], issues = read_all(UNB + "UNH+1+CODECO:D:95B:UN'BGM+34+GI1+9'EQD+CN+MSKU1\n")
    assert sorted(i.code for i in issues) == ["13", "13", "13"]  # terminator, UNT and UNZ missing: no 21
    assert message.segments[-1].elements[1] == ["MSKU1"]


def test_stray_releases_are_warnings_with_element_positions():
    [message], issues = read_all(UNB + "UNH+1+CODECO:D:95B:UN'FTX+AAI+++?A?B:?C'UNT+3+1'UNZ+1+REF1'")
    [issue] = [i for i in issues if i.code == "22"]
    assert (issue.severity, issue.position.tag, issue.position.element) == ("warning", "FTX", 4)
    assert message.segments[1].elements[3] == ["AB", "C"]


def test_missing_unz_wrong_counts_and_references_together():
    text = UNB + "UNH+1+CODECO:D:95B:UN'BGM+34+X+9'UNT+9+2'"
    [message], issues = read_all(text)
    assert sorted(i.code for i in message.issues) == ["28", "29"]
    assert [i.code for i in issues if i.level == "interchange"] == ["13"]


@pytest.mark.parametrize("cut", [1, 5, 17, 40, 60, 75, 90])
def test_truncated_input_at_any_point_is_read_or_refused(cut):
    data = (UNB + MSG + "UNZ+1+REF1'").encode()[:cut]
    try:
        _, issues = read_all(data)
    except NotAMessage:
        assert cut < 4
        return
    assert any(i.code == "13" for i in issues)


def test_wrong_charset_bytes_outside_unoa_are_reported_per_segment():
    data = (UNB + "UNH+1+CODECO:D:95B:UN'FTX+AAI+++").encode() + b"\xe4\xf6\xfc" + b"'UNT+3+1'UNZ+1+REF1'"
    [message], _ = read_all(data)
    [issue] = message.issues
    assert (issue.code, issue.position.segment, issue.position.element) == ("21", 3, 4)
    assert "3 such characters" in issue.message


def test_invalid_utf_8_in_unow_is_reported_not_guessed():
    data = b"UNB+UNOW:4+S+R+20200101:1200+1'UNH+1+X:D:00B:UN'FTX+AAI+++\xc3\x28'UNT+3+1'UNZ+1+1'"
    [message], _ = read_all(data)
    assert [i.code for i in message.issues] == ["21"]
    assert "undecodable" in message.issues[0].message


def test_unknown_charset_is_code_46_and_still_read():
    messages, issues = read_all(b"UNB+UNOZ:3+S+R+200101:1200+1'" + MSG.encode() + b"UNZ+1+1'")
    assert len(messages) == 1 and [i.code for i in issues] == ["46"]


def test_nul_bytes_are_reported_with_their_position():
    data = (UNB + "UNH+1+CODECO:D:95B:UN'BGM+34+X").encode() + b"\x00\x00" + b"+9'UNT+3+1'UNZ+1+REF1'"
    [message], _ = read_all(data)
    [issue] = message.issues
    assert issue.code == "21" and "U+0000" in issue.message
    assert issue.position.offset == len(UNB) + len("UNH+1+CODECO:D:95B:UN'BGM+34+X")


def test_ten_megabytes_of_garbage_is_refused_at_once():
    garbage = random.Random(3).randbytes(10_000_000)
    with pytest.raises(NotAMessage):
        bounded(lambda: read_all(garbage))
    with pytest.raises(NotAMessage):
        bounded(lambda: detect(garbage))


def test_ten_megabytes_of_garbage_after_a_valid_header_is_read_with_capped_issues():
    garbage = UNB.encode() + random.Random(4).randbytes(10_000_000)
    _, issues = bounded(lambda: read_all(garbage))
    assert issues and len(issues) < 1000


def test_a_segment_of_a_million_characters_is_read():
    text = UNB + "UNH+1+CODECO:D:95B:UN'FTX+AAI+++" + "X" * 1_000_000 + "'UNT+3+1'UNZ+1+REF1'"
    [message], issues = bounded(lambda: read_all(text))
    assert len(message.segments[1].elements[3][0]) == 1_000_000 and issues == []


def test_a_million_release_characters_are_read_in_bounded_time():
    text = UNB + "UNH+1+CODECO:D:95B:UN'FTX+AAI+++" + "?A" * 500_000 + "'UNT+3+1'UNZ+1+REF1'"
    [message], issues = bounded(lambda: read_all(text))
    assert message.segments[1].elements[3][0] == "A" * 500_000
    assert 0 < len(issues) < 10


def test_ten_megabytes_of_terminators_are_read_in_bounded_time():
    text = UNB + "'" * 10_000_000 + "UNZ+0+REF1'"
    _, issues = bounded(lambda: read_all(text))
    assert 0 < len(issues) < 100


def test_many_segments_outside_messages_give_capped_issues():
    text = UNB + "BGM+1'" * 100_000 + "UNZ+0+REF1'"
    _, issues = bounded(lambda: read_all(text))
    assert len(issues) < 100


def test_a_binary_stream_without_any_terminator_is_read_as_one_open_segment():
    import io

    data = io.BytesIO(UNB.encode() + b"FTX+" + b"A" * 3_000_000)
    _, issues = bounded(lambda: read_all(data))
    assert any(i.code == "13" and i.position.tag == "FTX" for i in issues)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_segments_or_our_own_error(data):
    try:
        read_all(data)
    except EdiError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_after_a_valid_header_never_raise(data):
    read_all(UNB.encode() + data)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("UNABHTZ+:?'* \r\n0123\x00\x1c\x1d\x1f\xe9"), max_size=120))
def test_edifact_like_text_never_crashes_the_reader_or_detection(text):
    for candidate in (text, "UNA:+.?*'" + text, UNB + text):
        try:
            read_all(candidate)
        except EdiError:
            pass
        try:
            detect(candidate)
        except EdiError:
            pass


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(":+.? '*|~\r\n\tA1\x1d"), min_size=6, max_size=6), st.sampled_from("234"))
def test_any_una_even_a_clashing_one_is_read_or_refused_never_crashes(una, version):
    text = f"UNA{una}UNB+UNOA:{version}+S+R+200101:1200+1'UNH+1+X:D:96A:UN'UNT+2+1'UNZ+1+1'"
    try:
        read_all(text)
    except EdiError:
        pass
