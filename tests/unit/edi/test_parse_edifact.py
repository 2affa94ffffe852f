"""The EDIFACT segment reader: UNA, release character, syntax versions, charsets, lines, BOM."""

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi.exceptions import NotAMessage
from edi.parse.edifact import (
    DEFAULT_DELIMITERS,
    Delimiters,
    Repetitions,
    Segment,
    decode,
    iter_segments,
    read_delimiters,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "edifact"

UNB2 = "UNB+UNOA:2+SENDER+RECIPIENT+200101:1200+REF1'"
UNB4 = "UNB+UNOA:4+SENDER+RECIPIENT+20200101:1200+REF1'"


def read(source, issues=None):
    return list(iter_segments(source, issues=issues))


def tags(source):
    return [s.tag for s in read(source)]


def test_default_delimiters_are_the_iso_9735_ones():
    assert DEFAULT_DELIMITERS == Delimiters(":", "+", ".", "?", None, "'")


def test_read_delimiters_takes_the_una_characters_and_the_offset_after_it():
    delimiters, offset = read_delimiters("UNA|*,# ~UNB*UNOA|3~")
    assert delimiters == Delimiters("|", "*", ",", "#", None, "~")
    assert offset == 9


def test_read_delimiters_without_una_gives_defaults_after_leading_whitespace():
    assert read_delimiters("\r\n  UNB+UNOA:2'") == (DEFAULT_DELIMITERS, 4)


def test_segment_carries_tag_elements_and_components():
    [unb] = read(UNB2)
    assert unb.tag == "UNB"
    assert unb.elements == [["UNOA", "2"], ["SENDER"], ["RECIPIENT"], ["200101", "1200"], ["REF1"]]
    assert isinstance(unb, Segment)


def test_empty_elements_and_components_are_kept():
    [seg] = read("UNB+UNOA:2'NAD+CZ++::X+'")[1:]
    assert seg.elements == [["CZ"], [""], ["", "", "X"], [""]]


def test_una_changes_every_separator():
    segs = read("UNA|*,# ~UNB*UNOA|3*S*R*200101|1200*1~UNH*1*CODECO|D|95B|UN~")
    assert [s.tag for s in segs] == ["UNB", "UNH"]
    assert segs[1].elements == [["1"], ["CODECO", "D", "95B", "UN"]]


def test_una_is_not_counted_as_a_segment():
    segs = read("UNA:+.? '" + UNB2 + "UNZ+0+REF1'")
    assert [(s.tag, s.number) for s in segs] == [("UNB", 1), ("UNZ", 2)]


def test_release_character_escapes_segment_terminator():
    [_, ftx] = read(UNB2 + "FTX+AAI+++IT?'S OK'")
    assert ftx.elements[3] == ["IT'S OK"]


def test_release_character_escapes_element_and_component_separators():
    [_, ftx] = read(UNB2 + "FTX+AAI+++A?+B?:C+D'")
    assert ftx.elements[3:] == [["A+B:C"], ["D"]]


def test_release_character_escapes_itself():
    [_, ftx] = read(UNB2 + "FTX+AAI+++50??:X'")
    assert ftx.elements[3] == ["50?", "X"]


def test_released_terminator_at_a_chunk_boundary_still_joins(monkeypatch):
    import edi.parse.edifact as module

    monkeypatch.setattr(module, "_CHUNK", 64)
    text = UNB2 + "FTX+AAI+++" + "X" * 40 + "?'" + "Y" * 40 + "'UNZ+0+REF1'"
    segs = read(io.BytesIO(text.encode()))
    assert segs[1].elements[3] == ["X" * 40 + "'" + "Y" * 40]
    assert [s.tag for s in segs] == ["UNB", "FTX", "UNZ"]


def test_stray_release_at_the_end_is_reported():
    issues = []
    segs = read(UNB2 + "UNZ+0+REF1'?", issues)
    assert [s.tag for s in segs] == ["UNB", "UNZ"]
    assert [(i.code, i.position.offset) for i in issues] == [("22", len(UNB2) + len("UNZ+0+REF1'"))]
    issues = []
    segs = read(UNB2 + "FTX+AAI+++A?", issues)
    assert segs[1].elements[3] == ["A"]
    assert sorted(i.code for i in issues) == ["13", "22"]


def test_release_before_an_ordinary_character_is_a_warning():
    issues = []
    [_, ftx] = read(UNB2 + "FTX+AAI+++?A'", issues)
    assert ftx.elements[3] == ["A"]
    [issue] = issues
    assert (issue.code, issue.severity, issue.position.element) == ("22", "warning", 4)


def test_repetition_separator_splits_only_in_syntax_version_4():
    [_, v4] = read(UNB4 + "LOC+9+A*B:C'")
    assert v4.elements[1] == Repetitions([["A"], ["B", "C"]])
    assert isinstance(v4.elements[1], Repetitions)
    [_, v3] = read(UNB2 + "LOC+9+A*B:C'")
    assert v3.elements[1] == ["A*B", "C"]


def test_una_fifth_character_is_reserved_before_syntax_version_4():
    [_, seg] = read("UNA:+.?*'UNB+UNOA:3+S+R+200101:1200+1'LOC+9+A*B'")
    assert seg.elements[1] == ["A*B"]
    [_, seg] = read("UNA:+.?*'UNB+UNOA:4+S+R+20200101:1200+1'LOC+9+A*B'")
    assert seg.elements[1] == Repetitions([["A"], ["B"]])


def test_una_with_space_for_repetition_disables_it_in_version_4():
    [_, seg] = read("UNA:+.? 'UNB+UNOA:4+S+R+20200101:1200+1'LOC+9+A*B'")
    assert seg.elements[1] == ["A*B"]


def test_released_repetition_separator_is_data():
    [_, seg] = read(UNB4 + "FTX+AAI+++2?*3*4'")
    assert seg.elements[3] == Repetitions([["2*3"], ["4"]])


@pytest.mark.parametrize("version", ["1", "2", "3"])
def test_syntax_versions_1_to_3_read_the_same_way(version):
    segs = read(f"UNB+UNOA:{version}+S+R+200101:1200+1'UNH+1+IFTSTA:D:95B:UN'UNT+2+1'UNZ+1+1'")
    assert [s.tag for s in segs] == ["UNB", "UNH", "UNT", "UNZ"]


def test_segments_spread_over_lines_give_line_and_column():
    segs = read(UNB2 + "\r\nUNH+1+X:D:96A:UN'\r\n  FTX+A'  BGM+1'\n")
    assert [(s.tag, s.line, s.column) for s in segs] == [("UNB", 1, 1), ("UNH", 2, 1), ("FTX", 3, 3), ("BGM", 3, 11)]


def test_offsets_point_at_the_segment_start_in_the_text():
    text = "UNA:+.? '\n" + UNB2 + "\nUNH+1+X:D:96A:UN'"
    for seg in read(text):
        assert text.startswith(seg.tag, seg.offset)


def test_leading_bom_and_whitespace_are_skipped():
    data = b"\xef\xbb\xbf \r\n" + UNB2.encode()
    [unb] = read(data)
    assert unb.tag == "UNB" and unb.line == 2 and unb.column == 1


def test_bom_before_una_is_skipped():
    [unb] = read(b"\xef\xbb\xbfUNA:+.? '" + UNB2.encode())
    assert unb.elements[0] == ["UNOA", "2"]


def test_a_byte_outside_unoa_is_reported_with_its_position():
    issues = []
    data = (UNB2 + "FTX+AAI+++CAF\xc9'").encode("latin-1")
    read(data, issues)
    [issue] = issues
    assert issue.code == "21"
    assert issue.position.segment == 2 and issue.position.tag == "FTX"
    assert (issue.position.element, issue.position.component) == (4, 1)
    assert issue.position.offset == len(UNB2) + len("FTX+AAI+++CAF")


def test_lower_case_is_allowed_in_unob_and_only_warned_of_in_unoa():
    issues = []
    read("UNB+UNOB:2+S+R+200101:1200+1'FTX+AAI+++lower'", issues)
    assert issues == []
    [_, ftx] = read("UNB+UNOA:2+S+R+200101:1200+1'FTX+AAI+++lower_case'", issues)
    assert [(i.code, i.severity) for i in issues] == [("21", "warning")]  # level B labelled level A
    assert ftx.elements[3] == ["lower_case"] and "UNOB" in issues[0].message


def test_a_byte_above_7_bits_or_a_control_character_under_unoa_stays_an_error():
    for text in ("CAF\xc9", "A\x07B"):
        issues = []
        read(f"UNB+UNOA:2+S+R+200101:1200+1'FTX+AAI+++{text}'".encode("latin-1"), issues)
        assert [(i.code, i.severity) for i in issues] == [("21", "error")], text


def test_an_e_mail_address_under_unoa_is_read_as_written_naming_the_character_outside_level_b():
    # '@' is in no 7-bit EDIFACT level, yet reads one way only: a warning naming it, not the first lower case letter
    issues = []
    [_, com] = read("UNB+UNOA:2+S+R+200101:1200+1'COM+gate.office@contship.it:EM'", issues)
    [issue] = issues
    assert (issue.code, issue.severity) == ("21", "warning")
    assert "'@'" in issue.message and "(21 such characters in this segment)" in issue.message
    assert "read as written" in issue.message and com.elements[0] == ["gate.office@contship.it", "EM"]
    assert issue.position.offset == len("UNB+UNOA:2+S+R+200101:1200+1'COM+gate.office")


def test_a_segment_wrapped_over_lines_is_read_whole_and_only_warned_of():
    # mainframes and some networks send fixed-length records: the interchange cut every 80 columns,
    # wherever that falls (tests/fixtures/edifact/codeco_d95b_logihub_wrapped80.edi is a whole one)
    issues = []
    text = UNB2 + "EQD+CN+MSKU12\r\n34565+45G1:102:5'FTX+AAI+++GATE IN BY\nTRUCKER'"
    [_, eqd, ftx] = read(text, issues)
    assert eqd.elements[1] == ["MSKU1234565"]
    assert ftx.elements[3] == ["GATE IN BYTRUCKER"]
    found = [(i.code, i.severity, i.position.tag, i.position.element, i.position.component) for i in issues]
    assert found == [("21", "warning", "EQD", 2, 1), ("21", "warning", "FTX", 4, 1)]
    assert issues[0].position.offset == len(UNB2) + len("EQD+CN+MSKU12")


def test_a_released_line_break_is_data_and_stays_an_error():
    issues = []
    [_, ftx] = read("UNB+UNOA:3+S+R+200101:1200+1'FTX+AAI+++A?\nB'", issues)
    assert ftx.elements[3] == ["A\nB"]
    assert [(i.code, i.severity) for i in issues if i.code == "21"] == [("21", "error")]


def test_unoc_reads_latin_1_and_unow_reads_utf_8():
    [_, ftx] = read("UNB+UNOC:3+S+R+200101:1200+1'FTX+AAI+++CAFÉ'".encode("latin-1"))
    assert ftx.elements[3] == ["CAFÉ"]
    [_, ftx] = read("UNB+UNOW:4+S+R+20200101:1200+1'FTX+AAI+++上海港'".encode())
    assert ftx.elements[3] == ["上海港"]


def test_invalid_utf_8_under_unow_is_reported_not_guessed():
    issues = []
    [_, ftx] = read(b"UNB+UNOW:4+S+R+20200101:1200+1'FTX+AAI+++A\xffB'", issues)
    assert ftx.elements[3] == ["A\ufffdB"]
    assert [(i.code, i.position.tag) for i in issues] == [("21", "FTX")]


def test_unknown_syntax_identifier_is_reported_and_read_byte_transparently():
    issues = []
    segs = read(b"UNB+ABCD:2+S+R+200101:1200+1'FTX+AAI+++\xe9'", issues)
    assert segs[1].elements[3] == ["\xe9"]
    assert [i.code for i in issues] == ["46"]


def test_iso_8859_5_under_unoe():
    [_, ftx] = read("UNB+UNOE:3+S+R+200101:1200+1'FTX+AAI+++МОСКВА'".encode("iso8859-5"))
    assert ftx.elements[3] == ["МОСКВА"]


def test_level_b_information_separators_without_una():
    segs = read(b"UNB\x1dUNOB\x1f3\x1dS\x1dR\x1d200101\x1f1200\x1d1\x1cUNZ\x1d0\x1d1\x1c")
    assert [s.tag for s in segs] == ["UNB", "UNZ"]
    assert segs[0].elements[0] == ["UNOB", "3"]


def test_decode_reports_bytes_outside_the_declared_set():
    text, issues = decode(b"UNB+UNOA:2+S'\x00", "UNOA")
    assert text.endswith("\x00")
    [issue] = issues
    assert issue.code == "21" and issue.position.offset == 13


def test_decode_of_unox_uses_iso_2022():
    text, issues = decode("UNB+UNOX:3+東京'".encode("iso2022_jp"), "UNOX")
    assert "東京" in text and issues == []


def test_many_messages_and_groups_read_in_order():
    text = (
        "UNB+UNOA:3+S+R+200101:1200+1'UNG+CODECO+S+R+200101:1200+G1+UN+D:95B'"
        "UNH+1+CODECO:D:95B:UN'UNT+2+1'UNH+2+CODECO:D:95B:UN'UNT+2+2'UNE+2+G1'UNZ+1+1'"
    )
    assert tags(text) == ["UNB", "UNG", "UNH", "UNT", "UNH", "UNT", "UNE", "UNZ"]


def test_streams_from_a_binary_file(tmp_path):
    path = tmp_path / "x.edi"
    path.write_bytes((UNB2 + "UNZ+0+REF1'").encode())
    with path.open("rb") as handle:
        assert tags(handle) == ["UNB", "UNZ"]
    assert tags(path) == ["UNB", "UNZ"]


def test_empty_input_is_not_a_message():
    with pytest.raises(NotAMessage):
        read(b"")
    with pytest.raises(NotAMessage):
        read(" \r\n")


def test_garbage_is_not_a_message():
    with pytest.raises(NotAMessage) as caught:
        read(b"%PDF-1.4 binary")
    assert caught.value.position.offset == 0


def test_fixture_with_una_and_release_character_reads():
    path = FIXTURES / "malformed" / "iftmin_s93a_chemaclass_edifact-sample.edi"
    segs = read(path.read_bytes())
    com = [s for s in segs if s.tag == "COM"]
    assert com and com[0].elements[0][0].startswith("+")


def test_text_input_is_held_to_the_declared_8859_repertoire():
    issues = []
    read("UNB+UNOC:3+S+R+200101:1200+1'FTX+AAI+++CAFÉ 上海'", issues)
    [issue] = issues
    assert issue.code == "21" and "U+4E0A" in issue.message


def test_iso_8859_7_greek_is_allowed_under_unof():
    issues = []
    [_, ftx] = read("UNB+UNOF:3+S+R+200101:1200+1'FTX+AAI+++ΠΕΙΡΑΙΑΣ'".encode("iso8859-7"), issues)
    assert ftx.elements[3] == ["ΠΕΙΡΑΙΑΣ"] and issues == []


def test_una_repetition_character_before_version_4_is_a_warning():
    issues = []
    read("UNA:+.?*'UNB+UNOA:3+S+R+200101:1200+1'", issues)
    [issue] = issues
    assert (issue.code, issue.severity, issue.position.tag) == ("20", "warning", "UNA")


def test_decode_drops_a_bom_whatever_the_declared_set():
    text, issues = decode(b"\xef\xbb\xbfUNB+UNOA:2+S'", "UNOA")
    assert text.startswith("UNB") and issues == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["BGM+34+X'", "FTX+AAI+++A?'B?+C??'", "\r\n", "  ", "LOC+9+CNSHA:139:6'", "DTM+7:2026'\n"]),
        max_size=25,
    ),
    st.sampled_from([1, 2, 3, 5, 8, 13]),
)
def test_chunk_boundaries_do_not_change_segments_or_positions(pieces, chunk):
    import edi.parse.edifact as module

    data = ("UNA:+.? '\r\n" + UNB2 + "".join(pieces) + "UNZ+0+REF1'").encode()
    whole = read(data)
    saved = module._CHUNK
    module._CHUNK = chunk
    try:
        assert read(io.BytesIO(data)) == whole
    finally:
        module._CHUNK = saved


def test_a_stream_with_short_reads_still_sees_una():
    class Trickle(io.RawIOBase):
        def __init__(self, data):
            self.data = data

        def read(self, size=-1):
            piece, self.data = self.data[:3], self.data[3:]
            return piece

    segs = read(Trickle(b"UNA|*.? ~UNB*UNOA|3*S*R*200101|1200*1~UNZ*0*1~"))
    assert [s.tag for s in segs] == ["UNB", "UNZ"] and segs[0].elements[0] == ["UNOA", "3"]


def test_segment_position_and_get_helpers():
    [unb] = read(UNB2)
    assert unb.position.segment == 1 and unb.position.tag == "UNB"
    assert unb.get(1, 2) == "2" and unb.get(9) == "" and unb.get(4, 1) == "200101"


def test_public_names_are_re_exported_by_the_package():
    import edi.parse

    assert edi.parse.read_interchange is not None and edi.parse.Interchange is edi.parse.InterchangeReader


def test_level_b_version_4_repeats_with_is2():
    segs = read(b"UNB\x1dUNOB\x1f4\x1dS\x1dR\x1d20200101\x1f1200\x1d1\x1cLOC\x1d9\x1dA\x1eB\x1c")
    assert segs[1].elements[1] == Repetitions([["A"], ["B"]])


def test_a_path_is_opened_and_closed(tmp_path):
    import gc
    import warnings

    path = tmp_path / "x.edi"
    path.write_bytes((UNB2 + "UNZ+0+REF1'").encode())
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        segments = iter_segments(path)
        next(segments)
        del segments
        gc.collect()


@pytest.mark.parametrize("padding", [b"\x1a", b"\r\n\x1a", b"\x00\x00\x00", b"\n\x1a\x00"])
def test_end_of_file_mark_and_nul_padding_after_the_last_segment_are_read_past(padding):
    issues = []
    segs = read((UNB2 + "UNZ+0+REF1'").encode() + padding, issues)
    assert [s.tag for s in segs] == ["UNB", "UNZ"] and issues == []


def test_end_of_file_mark_inside_the_input_is_still_an_error():
    issues = []
    read((UNB2 + "\x1aUNZ+0+REF1'").encode(), issues)
    assert issues


def test_utf8_sent_under_unoc_is_named_in_the_character_error():
    issues = []
    data = "UNB+UNOC:3+SENDER+RECIPIENT+200101:1200+REF1'NAD+CZ+++SOCIÉTÉ GÉNÉRALE'UNZ+0+REF1'".encode()
    read(data, issues)
    (issue,) = issues
    assert issue.code == "21" and issue.position.tag == "NAD"
    assert "UTF-8" in issue.message and "SOCIÉTÉ GÉNÉRALE" in issue.message and "UNOW" in issue.message


def test_a_latin_1_character_outside_unoa_gets_no_utf8_hint():
    issues = []
    read("UNB+UNOA:3+SENDER+RECIPIENT+200101:1200+REF1'NAD+CZ+++SOCIÉTÉ'UNZ+0+REF1'".encode("latin-1"), issues)
    assert issues and all("UTF-8" not in i.message for i in issues)
