"""APERAK answers the application problems of a mapped message, valid against D.96A."""

from datetime import UTC, datetime
from pathlib import Path

from edi.aperak import aperak_for, build_aperak
from edi.issues import Issue, Position
from edi.map import map_interchange, map_message
from edi.parse.interchange import read_interchange
from edi.validate import validate_interchange

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def mapped_codeco():
    reader = read_interchange(FIXTURES / "codeco_d95b_logihub_gatein.edi")
    (message,) = list(reader)
    return message, map_message(message, sender=reader.sender, recipient=reader.recipient)


def test_bad_check_digit_gets_a_conditional_acceptance_correlated_with_the_message():
    message, result = mapped_codeco()
    text = aperak_for(result, message, sender="LOGIHUB", recipient="CNSHATERM", control_reference="AP1", now=NOW)
    assert "UNB+UNOC:3+LOGIHUB+CNSHATERM+261125:0930+AP1'" in text
    assert "UNH+1+APERAK:D:96A:UN'" in text
    assert "BGM++APAP1+9+CA'" in text  # warnings only: mapped, flagged
    assert "RFF+ACW:1'" in text and "RFF+AGO:GATEIN20261125'" in text
    assert "ERC+12'" in text and "TGHU7654321 should be 0" in text
    assert "ERC+14'" in text  # the LOC 165 qualifiers outside D95B's list


def test_aperak_is_valid_against_its_directory():
    message, result = mapped_codeco()
    text = aperak_for(result, message, sender="LOGIHUB", recipient="CNSHATERM", now=NOW)
    validation = validate_interchange(text.encode())
    assert validation.errors == []
    assert [m.type for m in validation.messages] == ["APERAK"]


def test_dropped_fact_makes_a_rejection():
    issue = Issue("13", "EQD without an equipment number", Position(segment=9, tag="EQD", element=2), severity="error")
    text = build_aperak([issue], message_type="BAPLIE", message_reference="7", sender="LOGIHUB", recipient="T", now=NOW)
    assert "+9+RE'" in text and "ERC+13'" in text
    assert "BAPLIE segment 9, EQD, element 2?: EQD without an equipment number" in text  # ? releases the colon


def test_nothing_to_say_means_no_aperak():
    clean = map_interchange(FIXTURES / "codeco_d00b_logihub_gateout.edi")
    assert build_aperak([], message_type="CODECO", message_reference="1", sender="A", recipient="B") is None
    warnings_only = [i for i in clean.issues if i.severity == "warning"]
    assert (
        build_aperak(
            warnings_only,
            message_type="CODECO",
            message_reference="77",
            sender="A",
            recipient="B",
            include_warnings=False,
        )
        is None
    )


def test_partner_aperak_we_sent_reads_back_as_an_acknowledgement():
    message, result = mapped_codeco()
    text = aperak_for(result, message, sender="LOGIHUB", recipient="CNSHATERM", now=NOW)
    (ack,) = map_interchange(text.encode()).acknowledgements
    assert ack["status"] == "accepted"  # CA: conditionally accepted
    assert ack["answers"]["messageReference"] == "1"
    assert {e["code"] for e in ack["errors"]} == {"12", "14"}


BAD_DIGIT = (
    "UNH+1+CODECO:D:96A:UN'BGM+36+DOC1+9'NAD+CF+MSC:160:166'EQD+CN+MSCU1234565'DTM+7:202611251200:203'CNT+16:1'UNT+7+1'"
)


def aperak_answering(unb: str) -> str:
    from edi.translate import translate_edifact

    reference = unb.split("+")[5]
    translation = translate_edifact(f"{unb}'{BAD_DIGIT}UNZ+1+{reference}'".encode("latin-1"))
    (aperak,) = [a["body"] for a in translation.acknowledgements if a["type"] == "APERAK"]
    return aperak


def test_the_aperak_unb_mirrors_the_partners_like_the_contrl():
    text = aperak_answering("UNB+UNOC:4+SENDER:ZZZ:BACK:DESK+HUB:14:HUBINT+20261125:1200+IC4++++++1")
    unb = text.split("'")[1]
    assert unb.startswith("UNB+UNOC:4+HUB:14:HUBINT+SENDER:ZZZ:BACK:DESK+2026")  # CCYYMMDD in syntax 4
    assert unb.endswith("++++++1")  # a test interchange is answered as a test
    assert text.startswith("UNA:+.?*'")
    assert validate_interchange(text.encode()).errors == []


def test_a_unoa_partner_gets_its_aperak_in_upper_case_level_a():
    text = aperak_answering("UNB+UNOA:2+SENDER:ZZZ+HUB:ZZZ+261125:1200+IC2")
    assert "UNB+UNOA:2+HUB:ZZZ+SENDER:ZZZ+" in text
    assert "CHECK:DIGIT OF MSCU1234565 SHOULD BE 6" in text
    assert validate_interchange(text.encode()).all_issues == []


def test_the_aperak_names_its_issuer_and_recipient_after_the_references():
    message, result = mapped_codeco()
    text = aperak_for(result, message, sender="LOGIHUB", recipient="CNSHATERM", control_reference="AP1", now=NOW)
    assert "RFF+AGO:GATEIN20261125'NAD+MS+LOGIHUB'NAD+MR+CNSHATERM'ERC+" in text  # SG1, then SG2, then SG3
    assert validate_interchange(text.encode()).errors == []


def test_an_aperak_answering_a_unb_without_recipient_comes_from_us():
    text = aperak_answering("UNB+UNOC:3+SENDER:ZZZ++261125:1200+IC9")
    assert "UNB+UNOC:3+LOGIHUB+SENDER:ZZZ+" in text  # the platform's identification, not an empty sender
    assert validate_interchange(text.encode()).errors == []
