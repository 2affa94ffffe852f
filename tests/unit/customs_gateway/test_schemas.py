"""Our XSDs against the published ones (the oracle): what we build and accept, they accept too."""

from pathlib import Path

import pytest
from lxml import etree

from customs_gateway import schemas
from customs_gateway.exceptions import InvalidMessage
from customs_gateway.simulator import messages
from tests.unit.customs_gateway.conftest import SHARED, amended, fixture, manifest

PUBLISHED = SHARED / "standards" / "customs"
needs_published = pytest.mark.skipif(not PUBLISHED.exists(), reason="published schemas not present")


def _published(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(Path(PUBLISHED) / name)))


@needs_published
@pytest.mark.parametrize(
    ("function_code", "published"),
    [
        ("9", "Manifest_Declare_Import_Ship_First_1101_9.xsd"),
        ("5", "Manifest_Declare_Import_Ship_Edit_1101_5.xsd"),
    ],
)
def test_our_mt1101_fixtures_are_valid_under_the_published_schema(function_code, published):
    body = manifest() if function_code == "9" else amended(manifest(), function_code, "X1")
    root = etree.fromstring(body)
    schemas.validate(root)
    for seal in root.iter("{*}SealID"):  # the published XSD declares SealID and ValueAmount with no content
        seal.getparent().remove(seal)  # (its own sample breaks it too); ours takes the seal number
    schema = _published(f"china-manifest/{published}")
    assert schema.validate(root), schema.error_log


@needs_published
def test_the_simulators_mt9999_is_valid_under_the_published_response_schema():
    body = messages.mt9999(
        message_id="M1",
        sender="S",
        receiver="R",
        function_code="9",
        voyage="047E",
        vessel="UN9321483",
        trigger="hold",
        bills=["B1"],
        containers=["MSKU1234565"],
    )
    schema = _published("china-manifest/Manifest_Response.xsd")
    assert schema.validate(etree.fromstring(body)), schema.error_log


@needs_published
@pytest.mark.parametrize(("function_code", "trigger"), [("2", "accept"), ("2", "reject"), ("3", "cancel")])
def test_the_simulators_receipt_for_a_flights_report_is_valid_under_the_published_response_schema(
    function_code, trigger
):
    body = messages.mt9999(
        message_id="M1",
        sender="S",
        receiver="R",
        function_code=function_code,
        voyage="CA1234",
        vessel="",  # a flight names no vessel
        trigger=trigger,
        bills=["999-12345675"],
        containers=[],
        reasons=[("R001", "data element missing or invalid")] if trigger == "reject" else [],
    )
    root = etree.fromstring(body)
    assert root.find("Response/BorderTransportMeans/ID") is None
    schema = _published("china-manifest/Manifest_Response.xsd")
    assert schema.validate(root), schema.error_log


@needs_published
def test_our_dxp_envelope_is_valid_under_the_published_terminal_node_schema():
    from customs_gateway import envelope

    body = envelope.wrap(
        b"<x/>", message_id="M1", sender="LOGIHUB", receiver="EPORT", msg_type="MT1101", keys={"BusinessRef": "B"}
    )
    schema = _published("china-ceb/海关跨境终端节点报文定义202205.xsd")
    assert schema.validate(etree.fromstring(body)), schema.error_log


def test_a_schema_error_names_the_element_and_line():
    body = manifest(**{"<FullnessCode>5</FullnessCode>": "<Fullness>5</Fullness>"})
    with pytest.raises(InvalidMessage) as caught:
        schemas.validate(etree.fromstring(body))
    assert caught.value.code == "schema" and caught.value.position["line"] > 1
    assert "Fullness" in caught.value.message


def test_the_wco_declaration_fixture_is_valid_under_our_schema():
    schemas.validate(etree.fromstring(fixture("WCO_DEC_import.xml")))


#: a UK CDS cancellation as CANCEL.xsd defines it: it names the declaration by its MRN alone
CANCELLATION_BY_MRN = """<md:MetaData xmlns:md="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2" xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">
  <md:WCODataModelVersionCode>3.6</md:WCODataModelVersionCode>
  <md:WCOTypeName>DEC</md:WCOTypeName>
  <md:ResponsibleCountryCode>GB</md:ResponsibleCountryCode>
  <md:ResponsibleAgencyName>HMRC</md:ResponsibleAgencyName>
  <md:AgencyAssignedCustomizationVersionCode>v2.1</md:AgencyAssignedCustomizationVersionCode>
  <Declaration>
    <FunctionCode>13</FunctionCode>
    <ID>26GBLH000000123456</ID>
    <TypeCode>INV</TypeCode>
    <Submitter><ID>GB553202734852</ID></Submitter>
    <AdditionalInformation>
      <StatementDescription>Goods no longer exported: order cancelled by the buyer</StatementDescription>
      <StatementTypeCode>AES</StatementTypeCode>
    </AdditionalInformation>
    <Amendment><ChangeReasonCode>1</ChangeReasonCode></Amendment>
  </Declaration>
</md:MetaData>"""


def test_a_cancellation_naming_only_the_mrn_is_valid_but_the_gateway_lodges_nothing_without_its_lrn():
    from customs_gateway.records import read_submission

    schemas.validate(etree.fromstring(CANCELLATION_BY_MRN.encode()))
    with pytest.raises(InvalidMessage) as caught:
        read_submission(CANCELLATION_BY_MRN.encode())
    assert caught.value.code == "required" and caught.value.position["path"].endswith("/FunctionalReferenceID")
