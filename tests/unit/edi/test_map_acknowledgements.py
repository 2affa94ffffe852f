"""APERAK and CONTRL from partners give no events but an acknowledgement the lead correlates."""

from pathlib import Path

from edi.map import map_interchange, map_message
from edi.parse.interchange import read_interchange

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"


def test_rejecting_aperak_names_the_message_it_answers_and_its_errors():
    result = map_interchange(FIXTURES / "malformed" / "aperak_d96a_pydifact_v4_aperak_rejected.edi")
    assert result.events == []
    (ack,) = result.acknowledgements
    assert ack["type"] == "APERAK" and ack["status"] == "rejected"
    assert ack["answers"] == {"messageReference": "PO123456"}
    assert ack["errors"][0]["code"] == "12"
    assert ack["sender"] == "RECEIVERID"


def aperak(bgm: str, errors: str = "") -> dict:
    data = (
        "UNB+UNOC:3+PARTNER:ZZZ+LOGIHUB:ZZZ+261203:1210+AK3'UNH+1+APERAK:D:01B:UN'"
        f"{bgm}DTM+137:202612031210:203'RFF+ACW:9001'{errors}UNT+{5 + errors.count(chr(39))}+1'UNZ+1+AK3'"
    )
    (ack,) = map_interchange(data.encode()).acknowledgements
    return ack


def test_accepting_aperak_is_accepted():
    assert aperak("BGM+313+APK1+9+AP'", "ERC+ZZZ'FTX+AAO+++NOTE ONLY'")["status"] == "accepted"
    assert aperak("BGM+313+APK1+29'")["status"] == "accepted"
    assert aperak("BGM+313+APK1+9'")["status"] == "accepted"  # an original without errors


def test_aperak_with_errors_that_only_says_it_is_an_original_is_a_rejection():
    # 1225 9 (original) says what kind of message it is, not that ours was accepted
    ack = aperak("BGM+313+APK1+9'", "ERC+Z01'FTX+AAO+++CONTAINER UNKNOWN AT TERMINAL'")
    assert ack["status"] == "rejected" and ack["errors"][0]["text"] == "CONTAINER UNKNOWN AT TERMINAL"
    (shared,) = map_interchange(FIXTURES / "malformed" / "aperak_d96a_pydifact_v4_aperak.edi").acknowledgements
    assert shared["status"] == "rejected"  # BGM 1225 9 with ERC 1, whatever its free text says


def test_contrl_says_which_of_our_messages_were_rejected():
    reader = read_interchange(FIXTURES / "contrl_service3_logihub_rejected.edi")
    (message,) = list(reader)
    result = map_message(message, sender=reader.sender, recipient=reader.recipient)
    ack = result.acknowledgement
    assert result.events == [] and ack["type"] == "CONTRL"
    assert ack["answers"] == {"controlReference": "OUT000123"}
    assert ack["status"] == "rejected"
    assert ack["messages"] == [
        {"messageReference": "42", "type": "IFTSTA", "status": "rejected", "error": "12"},
        {"messageReference": "43", "type": "IFTSTA", "status": "accepted"},
    ]


def test_a_partners_contrl_keeps_the_segment_and_element_positions_of_the_errors_it_reports():
    data = (
        "UNB+UNOC:3+ONEY:ZZZ+LCIT:ZZZ+220101:1310+992'UNH+1+CONTRL:D:3:UN'UCI+77+LCIT:ZZZ+ONEY:ZZZ+4'"
        "UCM+1+CODECO:D:95B:UN:ITG14+4+13'UCS+5+13'UCD+13+2:1'UNT+6+1'UNZ+1+992'"
    )
    ack = map_interchange(data.encode()).acknowledgements[0]
    assert ack["status"] == "rejected"
    assert ack["errors"] == [
        {"code": "13", "messageReference": "1"},
        {"code": "13", "position": {"segment": 5}, "messageReference": "1"},
        {"code": "13", "position": {"segment": 5, "element": 2, "component": 1}, "messageReference": "1"},
    ]


def test_a_position_written_with_digits_int_cannot_read_is_left_out_not_a_crash():
    # '²' and '³' are digits to str.isdigit() but not to int(): found fuzzing partners' CONTRLs
    data = (
        "UNB+UNOC:3+ONEY:ZZZ+LCIT:ZZZ+220101:1310+992'UNH+1+CONTRL:D:3:UN'UCI+77+LCIT:ZZZ+ONEY:ZZZ+4'"
        "UCM+1+CODECO:D:95B:UN:ITG14+4+13'UCS+\u00b2+13'UCD+13+\u00b3:1'UNT+6+1'UNZ+1+992'"
    )
    ack = map_interchange(data.encode("latin-1")).acknowledgements[0]
    assert [e.get("position") for e in ack["errors"]] == [None, None, {"component": 1}]


def test_a_contrl_rejecting_a_functional_group_is_a_rejection():
    # US CBP ACE answers a CUSREP/CUSCAR sent in a UNG group with a CONTRL that rejects the group
    # (UCF 0083 4, 0085 18 'unspecified error') while the interchange itself is acknowledged (UCI 7)
    data = (
        "UNB+UNOA:3+CBP-ACE:ZZ+8CWS:ZZ+141021:1606+77'UNH+77+CONTRL:D:3:UN'UCI+14+8CWS:ZZ+CBP-ACE:ZZ+7'"
        "UCF+14+8CWS:ZZ+CBP-ACE:ZZ+4+18'UNT+4+77'UNZ+1+77'"
    )
    ack = map_interchange(data.encode()).acknowledgements[0]
    assert ack["status"] == "rejected"
    assert ack["groups"] == [{"groupReference": "14", "status": "rejected", "error": "18"}]
    assert ack["errors"] == [{"code": "18", "groupReference": "14"}]
