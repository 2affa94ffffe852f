"""Our customs XSDs against the published ones (the oracle): what ours accept, the published accept too.

Where the published schema cannot be compiled on its own (the WCO RES schema needs DEC-DMS, the
NCTS ones an ``ermis-types.xsd`` that is not shipped), ours are checked on their own rules.
"""

from pathlib import Path

import pytest
from lxml import etree

from edi.customs_xml.read import open_message
from edi.customs_xml.validate import validate_opened

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "customs"
SHARED = Path(__file__).resolve().parents[4] / "shared"
PUBLISHED = SHARED / "standards" / "customs"
SAMPLES = SHARED / "samples" / "customs"
needs_shared = pytest.mark.skipif(not PUBLISHED.exists(), reason="../shared not present")


def _published(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(PUBLISHED / name)))


def _ours_accept(body: bytes) -> etree._Element:
    opened = open_message(body)
    assert [i for i in validate_opened(opened) if i.severity == "error"] == []
    return opened.root


@needs_shared
def test_the_terminal_tally_is_valid_under_ours_and_the_published_schema():
    root = _ours_accept((FIXTURES / "MT5101_terminal_tally.xml").read_bytes())
    schema = _published("china-manifest/Manifest_Tally_Ship_Import_5101_2.xsd")
    assert schema.validate(root), schema.error_log


@needs_shared
@pytest.mark.parametrize("name", ["CEB311Message.xml", "CEB312Message.xml", "CEB621Message.xml", "CEB622Message.xml"])
def test_the_cross_border_samples_are_valid_under_ours_and_the_published_schema(name):
    root = _ours_accept((SAMPLES / "china-ceb" / name).read_bytes())
    schema = _published("china-ceb/海关跨境进口业务节点报文定义202205.xsd")
    assert schema.validate(root), schema.error_log


def test_a_wrong_dms_function_code_is_a_schema_error_naming_the_element():
    body = (FIXTURES / "01_DMSACC.xml").read_bytes().replace(b"<FunctionCode>01<", b"<FunctionCode>X1<")
    issues = validate_opened(open_message(body))
    assert issues and issues[0].code == "XML_SCHEMA" and issues[0].position.path == "/MetaData/Response/FunctionCode"


def test_an_ncts_answer_without_its_header_is_a_schema_error():
    body = (FIXTURES / "ncts" / "CC056C_rejected.xml").read_bytes()
    body = body.replace(b"<messageIdentification>GBREJ0001</messageIdentification>", b"")
    issues = validate_opened(open_message(body))
    assert issues[0].code == "XML_SCHEMA" and issues[0].position.line


@needs_shared
def test_a_written_export_departure_is_valid_under_ours_and_the_published_export_schema():
    root = _ours_accept((FIXTURES / "ceb" / "CEB509_departure.xml").read_bytes())
    schema = _published("china-ceb/海关跨境出口业务节点报文定义202205.xsd")
    assert schema.validate(root), schema.error_log


def test_an_unsigned_cross_border_message_is_valid_under_ours():
    # the published schema requires the signature; ours takes the message before it is signed too
    root = etree.fromstring((FIXTURES / "ceb" / "CEB623_cancellation.xml").read_bytes())
    (signature,) = root.findall("{http://www.w3.org/2000/09/xmldsig#}Signature")  # the fixture is signed
    root.remove(signature)
    _ours_accept(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def test_a_cross_border_record_without_its_head_fields_is_a_schema_error():
    body = (FIXTURES / "ceb" / "CEB509_departure.xml").read_bytes().replace(b"<ceb:appType>1</ceb:appType>", b"")
    issues = validate_opened(open_message(body))
    assert issues[0].code == "XML_SCHEMA"
    assert issues[0].position.path == "/CEB509Message/Departure/DepartureHead/appTime"


def test_a_schema_error_in_a_message_written_on_one_line_names_its_own_element():
    lines = (FIXTURES / "MT5101_terminal_tally.xml").read_bytes().decode("utf-8").splitlines()
    body = "".join(line.strip() for line in lines)  # as terminals send it: one line
    boxes = body.split("<TransportEquipment>")
    boxes[2] = boxes[2].replace("</EquipmentIdentification>", "</EquipmentIdentification><Bogus>1</Bogus>", 1)
    issues = validate_opened(open_message("<TransportEquipment>".join(boxes).encode("utf-8")))
    assert [(i.code, i.position.line) for i in issues] == [("XML_SCHEMA", 1)]
    assert issues[0].position.path == "/Manifest/Declaration/TransportEquipment[2]/Bogus"
