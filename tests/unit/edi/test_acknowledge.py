"""CONTRL acknowledgements: when they are due, what they say, and that they are valid CONTRLs."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from edi.acknowledge import build_contrl, contrl_due, contrl_segments, new_control_reference
from edi.validate import validate_interchange

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
NOW = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
BODY = "UNH+{ref}+CODECO:D:96A:UN'BGM+36+DOC1+9'NAD+CF+MSC:160:166'EQD+CN+MSCU1234565'{extra}CNT+16:1'UNT+{n}+{ref}'"


def codeco(ref="1", extra="", segments=6):
    return BODY.format(ref=ref, extra=extra, n=segments)


def interchange(*messages, syntax="3", ack="1", unz=None):
    unb = f"UNB+UNOC:{syntax}+SENDER:ZZZ:BACK+HUB:ZZZ+{'20261125' if syntax == '4' else '261125'}:1200+IC1++++{ack}'"
    return (unb + "".join(messages) + f"UNZ+{unz or len(messages)}+IC1'").encode()


def contrl(data, **kw):
    result = validate_interchange(data)
    text = build_contrl(result, control_reference="ACK1", now=NOW, **kw)
    return result, text


def lines(text):
    return [s for s in text.split("'") if s]


def assert_valid_contrl(text):
    result = validate_interchange(text.encode())
    assert result.all_issues == []
    assert [m.type for m in result.messages] == ["CONTRL"]


def test_accepted_interchange_gets_a_contrl_when_asked_for():
    _result, text = contrl(interchange(codeco()))
    assert lines(text) == [
        "UNA:+.? ",
        "UNB+UNOC:3+HUB:ZZZ+SENDER:ZZZ:BACK+261125:1530+ACK1",
        "UNH+1+CONTRL:D:3:UN",
        "UCI+IC1+SENDER:ZZZ:BACK+HUB:ZZZ+7",
        "UCM+1+CODECO:D:96A:UN+7",
        "UNT+4+1",
        "UNZ+1+ACK1",
    ]
    assert_valid_contrl(text)


def test_accepted_interchange_without_a_request_gets_none():
    result, text = contrl(interchange(codeco(), ack=""))
    assert text is None and not contrl_due(result)


def test_rejection_is_always_acknowledged_with_segment_and_element_positions():
    bad = codeco(ref="2", extra="DTM+7:202001011200:999'XYZ+1'", segments=8)
    _result, text = contrl(interchange(codeco(), bad, ack=""))
    # DTM (5th segment of message 2): element 1 (0098 = 2, the tag counts as 1), component 3; XYZ: 15
    assert lines(text)[3:9] == [
        "UCI+IC1+SENDER:ZZZ:BACK+HUB:ZZZ+7",
        "UCM+1+CODECO:D:96A:UN+7",
        "UCM+2+CODECO:D:96A:UN+4+12",
        "UCS+5",
        "UCD+12+2:3",
        "UCS+6+15",
    ]
    assert_valid_contrl(text)


def test_one_bad_message_does_not_sink_the_good_ones():
    bad = codeco(ref="2", segments=9)  # UNT count wrong
    result, text = contrl(interchange(codeco(), bad, codeco(ref="3")))
    assert [m.status for m in result.messages] == ["accepted", "rejected", "accepted"]
    ucms = [s for s in lines(text) if s.startswith("UCM")]
    assert ucms == ["UCM+1+CODECO:D:96A:UN+7", "UCM+2+CODECO:D:96A:UN+4+29+UNT+2", "UCM+3+CODECO:D:96A:UN+7"]
    assert_valid_contrl(text)


def test_interchange_errors_reject_at_uci_level_with_tag_and_position():
    _result, text = contrl(interchange(codeco(), unz="5"))
    assert lines(text)[3] == "UCI+IC1+SENDER:ZZZ:BACK+HUB:ZZZ+4+29+UNZ+2"
    assert_valid_contrl(text)


def test_syntax_4_interchange_gets_a_syntax_4_contrl():
    _result, text = contrl(interchange(codeco(), syntax="4"))
    assert lines(text)[1:3] == ["UNB+UNOC:4+HUB:ZZZ+SENDER:ZZZ:BACK+20261125:1530+ACK1", "UNH+1+CONTRL:4:1:UN"]
    assert_valid_contrl(text)


def test_functional_groups_are_answered_with_ucf():
    ung = "UNG+CODECO+SENDER:ZZZ+HUB:ZZZ+261125:1200+G1+UN+D:96A'"
    data = interchange(ung + codeco() + "UNE+1+G1'", unz="1")
    _result, text = contrl(data)
    assert lines(text)[4:6] == ["UCF+G1+SENDER:ZZZ+HUB:ZZZ+7", "UCM+1+CODECO:D:96A:UN+7"]
    assert_valid_contrl(text)


def test_a_contrl_is_not_acknowledged_with_a_contrl():
    _result, text = contrl(interchange(codeco()))
    answer = validate_interchange(text.replace("+ACK1'", "+ACK1++++1'", 1).encode())
    assert answer.ack_requested and not contrl_due(answer)


def test_unknown_character_set_is_answered_in_unoa():
    data = interchange(codeco()).replace(b"UNOC:3", b"XXXX:3")
    _result, text = contrl(data)
    assert lines(text)[1].startswith("UNB+UNOA:3+")


def test_bare_messages_get_no_contrl():
    result = validate_interchange(codeco(segments=5).encode())
    assert build_contrl(result, force=True) is None


def test_contrl_is_built_from_pydifact_segments():
    segments = contrl_segments(validate_interchange(interchange(codeco())), control_reference="X", now=NOW)
    assert [s.tag for s in segments] == ["UNB", "UNH", "UCI", "UCM", "UNT", "UNZ"]


def test_new_control_references_are_unique_and_fit_0020():
    refs = [new_control_reference() for _ in range(1000)]
    assert len(set(refs)) == 1000 and all(len(r) == 14 and r.isalnum() and r == r.upper() for r in refs)


def test_two_processes_writing_in_the_same_millisecond_do_not_share_their_references():
    # the old scheme (milliseconds and a counter from 1 in every process) gave two fresh workers the same
    import subprocess
    import sys

    code = (
        "import time; time.time_ns = lambda: 1_764_000_000_000_000_000\n"
        "from edi.acknowledge import new_control_reference; print(new_control_reference())"
    )
    root = Path(__file__).resolve().parents[3]
    env = {"DJANGO_SETTINGS_MODULE": "hub.settings", "PATH": ""}
    refs = {
        subprocess.run(
            [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert len(refs) == 2  # 1 in 36**4 that two processes start their sequences at the same place


@pytest.mark.parametrize("name", sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.edi")))
def test_contrl_for_every_fixture_is_itself_valid(name):
    result = validate_interchange(FIXTURES / name)
    text = build_contrl(result, control_reference="ACK1", now=NOW, force=True)
    assert text is not None
    assert_valid_contrl(text)
    ucm_count = sum(1 for s in lines(text) if s.startswith("UCM"))
    if result.interchange_errors:  # UCI 4 rejects every message: only those with errors of their own are listed
        assert ucm_count == sum(1 for m in result.messages if m.errors)
    else:
        assert ucm_count == len(result.messages)


def test_a_missing_segment_is_reported_at_the_last_segment_before_the_gap():
    # BGM missing: the validator notices it at NAD (position 2); ISO 9735 names UNH (1), the last one read
    no_bgm = "UNH+1+CODECO:D:96A:UN'NAD+CF+MSC:160:166'EQD+CN+MSCU1234565'CNT+16:1'UNT+5+1'"
    _result, text = contrl(interchange(no_bgm))
    assert lines(text)[4:6] == ["UCM+1+CODECO:D:96A:UN+4+13", "UCS+1+13"]
    assert_valid_contrl(text)


def test_a_segment_missing_before_unt_is_not_an_error_of_unt():
    no_cnt = "UNH+1+CODECO:D:96A:UN'BGM+36+DOC1+9'NAD+CF+MSC:160:166'EQD+CN+MSCU1234565'UNT+5+1'"
    _result, text = contrl(interchange(no_cnt))
    assert lines(text)[4:6] == ["UCM+1+CODECO:D:96A:UN+4+13", "UCS+4+13"]  # after EQD, the 4th segment
    assert_valid_contrl(text)


def test_a_missing_unt_is_reported_in_ucm_not_as_a_segment_outside_the_message():
    no_unt = "UNH+1+CODECO:D:96A:UN'BGM+36+DOC1+9'NAD+CF+MSC:160:166'EQD+CN+MSCU1234565'CNT+16:1'"
    _result, text = contrl(interchange(no_unt))
    assert [s for s in lines(text) if s[:2] == "UC"][1:] == ["UCM+1+CODECO:D:96A:UN+4+13+UNT"]
    assert_valid_contrl(text)


def test_a_truncated_interchange_is_rejected_naming_the_missing_unz():
    data = interchange(codeco())[: -len(b"UNZ+1+IC1'")]
    _result, text = contrl(data)
    assert lines(text)[3] == "UCI+IC1+SENDER:ZZZ:BACK+HUB:ZZZ+4+13+UNZ"  # not the last segment read (UNT)
    assert_valid_contrl(text)


def test_a_group_without_une_is_rejected_naming_the_missing_une():
    ung = "UNG+CODECO+SENDER:ZZZ+HUB:ZZZ+261125:1200+G1+UN+D:96A'"
    _result, text = contrl(interchange(ung + codeco(), unz="1"))
    assert lines(text)[4] == "UCF+G1+SENDER:ZZZ+HUB:ZZZ+4+13+UNE"
    assert_valid_contrl(text)


def test_uci_names_only_interchange_service_segments():
    # a UNT without UNH is an error of the interchange (33), but 0135 may only be UNA, UNB or UNZ
    _result, text = contrl(interchange(codeco() + "UNT+2+9'", unz="1"))
    assert lines(text)[3] == "UCI+IC1+SENDER:ZZZ:BACK+HUB:ZZZ+4+33"
    assert_valid_contrl(text)


def test_messages_of_a_rejected_interchange_are_never_reported_acknowledged():
    bad = codeco(ref="2", extra="XYZ+1'", segments=7)
    _result, text = contrl(interchange(codeco(), bad, unz="5"))
    assert [s for s in lines(text) if s[:2] == "UC"] == [
        "UCI+IC1+SENDER:ZZZ:BACK+HUB:ZZZ+4+29+UNZ+2",
        "UCM+2+CODECO:D:96A:UN+4+15",  # its own error is still told; message 1 is rejected with the interchange
        "UCS+5+15",
    ]
    assert_valid_contrl(text)


def test_messages_of_a_rejected_group_are_never_reported_acknowledged():
    ung = "UNG+CODECO+SENDER:ZZZ+HUB:ZZZ+261125:1200+G1+UN+D:96A'"
    _result, text = contrl(interchange(ung + codeco() + "UNE+2+G1'", unz="1"))
    assert [s for s in lines(text) if s[:2] == "UC"] == [
        "UCI+IC1+SENDER:ZZZ:BACK+HUB:ZZZ+7",
        "UCF+G1+SENDER:ZZZ+HUB:ZZZ+4+29+UNE+2",
    ]
    assert_valid_contrl(text)


def test_a_group_with_rejected_messages_in_a_rejected_interchange_is_itself_rejected():
    ung = "UNG+CODECO+SENDER:ZZZ+HUB:ZZZ+261125:1200+G1+UN+D:96A'"
    bad = codeco(ref="2", extra="XYZ+1'", segments=7)
    _result, text = contrl(interchange(ung + codeco() + bad + "UNE+2+G1'", unz="3"))
    assert [s for s in lines(text) if s[:2] == "UC"] == [
        "UCI+IC1+SENDER:ZZZ:BACK+HUB:ZZZ+4+29+UNZ+2",
        "UCF+G1+SENDER:ZZZ+HUB:ZZZ+4",
        "UCM+2+CODECO:D:96A:UN+4+15",
        "UCS+5+15",
    ]
    assert_valid_contrl(text)


def test_the_reply_unb_mirrors_qualifiers_and_internal_identifications_both_ways():
    data = interchange(codeco()).replace(b"+HUB:ZZZ+", b"+HUB:ZZZ:HUBDESK+")
    _result, text = contrl(data)
    assert lines(text)[1] == "UNB+UNOC:3+HUB:ZZZ:HUBDESK+SENDER:ZZZ:BACK+261125:1530+ACK1"  # 0014 -> 0008, 0008 -> 0014
    assert lines(text)[3] == "UCI+IC1+SENDER:ZZZ:BACK+HUB:ZZZ:HUBDESK+7"
    assert_valid_contrl(text)


def test_syntax_4_sub_identifications_are_mirrored_and_una_names_the_repetition_separator():
    # "?*": a released repetition separator, part of the sender's identification
    data = interchange(codeco(), syntax="4").replace(b"SENDER:ZZZ:BACK", b"SEND?*ER:ZZZ:BACK:DESK7")
    _result, text = contrl(data)
    assert lines(text)[0] == "UNA:+.?*"  # syntax 4: the fifth character is the repetition separator, not a space
    assert lines(text)[1] == "UNB+UNOC:4+HUB:ZZZ+SEND?*ER:ZZZ:BACK:DESK7+20261125:1530+ACK1"
    assert lines(text)[3] == "UCI+IC1+SEND?*ER:ZZZ:BACK:DESK7+HUB:ZZZ+7"
    assert_valid_contrl(text)


def test_syntax_2_is_answered_in_syntax_2_with_the_syntax_3_contrl():
    _result, text = contrl(interchange(codeco()).replace(b"UNOC:3", b"UNOA:2"))
    assert lines(text)[1:3] == ["UNB+UNOA:2+HUB:ZZZ+SENDER:ZZZ:BACK+261125:1530+ACK1", "UNH+1+CONTRL:D:3:UN"]
    assert_valid_contrl(text)


def test_a_test_interchange_is_answered_as_a_test():
    _result, text = contrl(interchange(codeco()).replace(b"+IC1++++1'", b"+IC1++++1++1'"))
    assert lines(text)[1] == "UNB+UNOC:3+HUB:ZZZ+SENDER:ZZZ:BACK+261125:1530+ACK1++++++1"
    assert_valid_contrl(text)


def test_the_partners_service_characters_are_used_in_the_answer():
    data = b"UNA|*.? #" + interchange(codeco()).replace(b"+", b"*").replace(b":", b"|").replace(b"'", b"#")
    result, text = contrl(data)
    assert result.ok and text.startswith("UNA|*.? #UNB*UNOC|3*HUB|ZZZ*SENDER|ZZZ|BACK*")
    assert "#UCI*IC1*SENDER|ZZZ|BACK*HUB|ZZZ*7#" in text
    assert validate_interchange(text.encode()).all_issues == []


def test_an_unknown_character_set_in_syntax_3_is_reported_as_level_not_supported():
    # 46 (character set not supported) is syntax 4's; syntax 3 calls the character set its level: 2
    _result, text = contrl(interchange(codeco()).replace(b"UNOC:3", b"XXXX:3"))
    assert lines(text)[3] == "UCI+IC1+SENDER:ZZZ:BACK+HUB:ZZZ+4+2+UNB+2:1"
    assert_valid_contrl(text)


def test_error_codes_syntax_4_dropped_are_written_as_its_own():
    # 38 (missing digit in front of the decimal sign) is not in syntax 4's 0085 list: an invalid value, 12
    weight = codeco(extra="MEA+AAE+G+KGM:.5'", segments=7)
    _result, text = contrl(interchange(weight, syntax="4"))
    assert [s for s in lines(text) if s[:3] in ("UCM", "UCS", "UCD")] == [
        "UCM+1+CODECO:D:96A:UN+4+12",
        "UCS+5",
        "UCD+12+4:2",
    ]
    assert_valid_contrl(text)


def test_syntax_4_indication_of_receipt_is_answered_with_uci_8_alone():
    result, text = contrl(interchange(codeco(), syntax="4", ack="2"))
    assert contrl_due(result)
    assert lines(text)[3:5] == ["UCI+IC1+SENDER:ZZZ:BACK+HUB:ZZZ+8", "UNT+3+1"]
    assert_valid_contrl(text)


def test_a_rejection_is_told_in_full_even_when_only_receipt_was_asked():
    bad = codeco(extra="XYZ+1'", segments=7)
    _result, text = contrl(interchange(bad, syntax="4", ack="2"))
    assert [s for s in lines(text) if s[:2] == "UC"] == [
        "UCI+IC1+SENDER:ZZZ:BACK+HUB:ZZZ+7",
        "UCM+1+CODECO:D:96A:UN+4+15",
        "UCS+5+15",
    ]


def test_a_syntax_only_test_is_answered_as_one():
    data = interchange(codeco(), syntax="4").replace(b"+IC1++++1'", b"+IC1++++1++2'")
    _result, text = contrl(data)
    assert lines(text)[1] == "UNB+UNOC:4+HUB:ZZZ+SENDER:ZZZ:BACK+20261125:1530+ACK1++++++2"
    assert_valid_contrl(text)


def test_an_interchange_that_names_no_sender_gets_no_contrl_addressed_to_nobody():
    result, text = contrl(interchange(codeco()).replace(b"+SENDER:ZZZ:BACK+", b"++"))
    assert not result.ok and text is None and not contrl_due(result)


def test_the_contrl_comes_from_us_when_the_subject_unb_names_no_recipient():
    result = validate_interchange(interchange(codeco()).replace(b"+HUB:ZZZ+", b"++"))
    text = build_contrl(result, control_reference="ACK1", now=NOW, sender="LOGIHUB")
    assert lines(text)[1] == "UNB+UNOC:3+LOGIHUB+SENDER:ZZZ:BACK+261125:1530+ACK1"
    # the UCI copies the subject's S003 as it came, missing (the CONTRL reports that very error)
    assert lines(text)[3] == "UCI+IC1+SENDER:ZZZ:BACK++4+13+UNB+4"


def test_a_syntax_4_una_that_uses_the_asterisk_gets_another_repetition_separator():
    data = b"UNA|*.? #" + interchange(codeco(), syntax="4").replace(b"+", b"*").replace(b":", b"|").replace(b"'", b"#")
    _result, text = contrl(data)
    assert text.startswith("UNA|*.?^#UNB*UNOC|4*")  # "*" separates elements here: "^" repeats
    assert validate_interchange(text.encode()).all_issues == []
