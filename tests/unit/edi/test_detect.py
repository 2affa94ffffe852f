"""Format detection: EDIFACT, XML by namespace or by structure, or a clear refusal."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi.detect import detect
from edi.exceptions import NotAMessage

FIXTURES = Path(__file__).parents[2] / "fixtures" / "edifact"
SHARED = Path(__file__).parents[4] / "shared" / "samples"


def test_edifact_with_una_is_detected_with_its_service_characters():
    found = detect(b"UNA|*.# ~UNB*UNOC|3*S*R*261125|1200*1~")
    assert (found.format, found.una, found.first_tag) == ("edifact", True, "UNB")
    assert found.delimiters.element == "*" and found.delimiters.segment == "~"
    assert (found.syntax_identifier, found.syntax_version) == ("UNOC", "3")


def test_edifact_without_una_after_bom_and_whitespace():
    found = detect(b"\xef\xbb\xbf\r\n  UNB+UNOA:2+S+R+200101:1200+1'")
    assert (found.format, found.bom, found.una, found.offset) == ("edifact", True, False, 7)


def test_bare_message_starting_with_unh_is_edifact():
    assert detect("UNH+1+CODECO:D:00B:UN'BGM+34+X'").first_tag == "UNH"


def test_text_input_is_accepted():
    assert detect("UNB+UNOW:4+S+R+20200101:1200+1'").format == "edifact"


def test_xml_by_root_and_namespace():
    found = detect(b'<?xml version="1.0" encoding="UTF-8"?><ns:CC015C xmlns:ns="http://ncts.dgtaxud.ec"/>')
    assert (found.format, found.root, found.namespace, found.family) == (
        "xml",
        "CC015C",
        "http://ncts.dgtaxud.ec",
        "eu-ncts",
    )
    assert found.encoding == "UTF-8" and found.namespace_mangled is False


def test_xml_with_mangled_namespace_is_recognised_by_structure():
    found = detect(
        b'<Manifest xmlnsbak="urn:Declaration:datamodel22:standard:CN:MT1101:1 ">'
        b"<Head><MessageID>1</MessageID><FunctionCode>9</FunctionCode><MessageType>MT1101</MessageType></Head>"
        b"</Manifest>"
    )
    assert (found.root, found.namespace, found.family, found.namespace_mangled) == (
        "Manifest",
        "",
        "china-manifest",
        True,
    )
    assert found.expected_namespace == "urn:Declaration:datamodel:standard:CN:MT1101:1"


def test_wco_response_without_namespace_is_recognised_by_structure():
    found = detect(
        b"<MetaData><WCODataModelVersionCode>3.6</WCODataModelVersionCode><Response>"
        b"<FunctionCode>01</FunctionCode></Response></MetaData>"
    )
    assert (found.family, found.namespace_mangled) == ("wco-dm", True)
    assert found.expected_namespace == "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"


def test_soap_envelope_names_its_payload():
    found = detect(
        b'<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header/>'
        b'<soap:Body><ALVSClearanceRequest xmlns="urn:x"/></soap:Body></soap:Envelope>'
    )
    assert (found.family, found.payload_root, found.payload_namespace) == ("soap", "ALVSClearanceRequest", "urn:x")


def test_unknown_xml_is_xml_without_a_family():
    found = detect(b"<order><id>1</id></order>")
    assert (found.format, found.root, found.family) == ("xml", "order", None)


def test_truncated_xml_head_still_names_the_root():
    assert detect(b'<ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:Order>').family == "china-ceb"


def test_xml_with_entities_does_not_expand_them():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>'
    )
    assert detect(bomb).root == "r"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "Empty input"),
        (b" \r\n\t", "Empty input"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"\x00\x00\x01\x02binary", "binary"),
        (b'{"event": 1}', "JSON"),
        (b"Dear customer, please find attached", "expected EDIFACT"),
        (b"<", "XML without a readable root element"),
        (b"UNB", "expected EDIFACT"),
        # a UNA cut short (five service characters and a line break): not "expected UNA"
        (b"UNA:+.'\nUNB+UNOA:2+SENDER+RECIPIENT+180723:2210+3'", "not by six service characters"),
    ],
)
def test_what_is_not_a_message_is_refused_in_one_clear_line(data, words):
    with pytest.raises(NotAMessage) as caught:
        detect(data)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_utf_16_edifact_is_refused_clearly():
    with pytest.raises(NotAMessage, match="UTF-16"):
        detect("UNB+UNOC:3+S+R+200101:1200+1'".encode("utf-16"))


def test_utf_16_xml_is_detected():
    assert detect('<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16")).root == "a"


def test_every_edifact_fixture_is_detected_as_edifact():
    for path in FIXTURES.rglob("*"):
        if path.is_file() and path.suffix != ".md":
            assert detect(path.read_bytes()).format == "edifact", path.name


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared samples not present")
def test_every_shared_sample_is_detected_with_a_family():
    for path in SHARED.rglob("*"):
        if not path.is_file() or path.suffix == ".md":
            continue
        found = detect(path.read_bytes())
        if path.suffix.lower() == ".xml":
            assert found.format == "xml" and found.family is not None, path.name
        else:
            assert found.format == "edifact", path.name


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.sampled_from([b"", b"<", b"<?xml version='1.0'?>", b"UNB+", b"\xef\xbb\xbf"]))
def test_arbitrary_bytes_are_detected_or_refused_in_one_line(data, prefix):
    try:
        found = detect(prefix + data)
    except NotAMessage as refused:
        assert "\n" not in str(refused)
    else:
        assert found.format in ("edifact", "xml")
