"""Our written customs test messages are valid under the PUBLISHED schemas, and under ours.

The published NCTS schemas include an ``ermis-types.xsd`` they do not ship (it only extends
CC928C's TransitOperation with the MRN), CC009C's root file is not among them (its types are),
and the WCO RES schema imports the DEC-DMS schema for an optional element: each gets a stand-in
written here, in a temporary copy, so the published files themselves are the oracle. Skipped
when ``../shared`` is absent.
"""

import shutil
from pathlib import Path

import pytest
from lxml import etree

from edi.customs_xml.read import open_message
from edi.customs_xml.validate import validate_opened

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "customs"
PUBLISHED = Path(__file__).resolve().parents[4] / "shared" / "standards" / "customs"
needs_shared = pytest.mark.skipif(not PUBLISHED.exists(), reason="../shared not present")

ERMIS_STAND_IN = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="http://ncts.dgtaxud.ec"
           targetNamespace="http://ncts.dgtaxud.ec" elementFormDefault="unqualified">
  <xs:include schemaLocation="stypes.xsd"/>
  <xs:include schemaLocation="ctypes.xsd"/>
  <xs:complexType name="TransitOperationTypeErmisIE928">
    <xs:complexContent>
      <xs:extension base="TransitOperationType26">
        <xs:sequence><xs:element name="MRN" minOccurs="0" type="MRNType"/></xs:sequence>
      </xs:extension>
    </xs:complexContent>
  </xs:complexType>
</xs:schema>
"""
# CC009C's root as CTC 60.4.16 declares it; its types are all in the published ctypes/htypes
CC009C_ROOT = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="http://ncts.dgtaxud.ec"
           targetNamespace="http://ncts.dgtaxud.ec" elementFormDefault="unqualified">
  <xs:include schemaLocation="ctypes.xsd"/>
  <xs:include schemaLocation="htypes.xsd"/>
  <xs:element name="CC009C"><xs:complexType><xs:sequence>
    <xs:group ref="MESSAGE"/>
    <xs:element name="TransitOperation" type="TransitOperationType03"/>
    <xs:element name="Invalidation" type="InvalidationType01"/>
    <xs:element name="CustomsOfficeOfDeparture" type="CustomsOfficeOfDepartureType03"/>
    <xs:element name="HolderOfTheTransitProcedure" type="HolderOfTheTransitProcedureType13"/>
  </xs:sequence><xs:attribute name="PhaseID" type="phaseIDtype"/></xs:complexType></xs:element>
</xs:schema>
"""
DEC_STAND_IN = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:wco:datamodel:WCO:DEC-DMS:2">
  <xs:element name="Declaration"><xs:complexType><xs:sequence>
    <xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>
"""
DMS_BOTH = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:logihub:test">
  <xs:import namespace="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
             schemaLocation="notification/DocumentMetaData_2_DMS.xsd"/>
  <xs:import namespace="urn:wco:datamodel:WCO:RES-DMS:2" schemaLocation="notification/WCO_RES_2_DMS.xsd"/>
</xs:schema>
"""
NCTS = sorted((FIXTURES / "ncts").glob("*_published.xml"))
DMS = sorted((FIXTURES / "dms").glob("RES_*.xml"))
#: the older written DMS messages, beside the answer tables' own (each Response's time in the DS namespace)
DMS_OLDER = [FIXTURES / "DMS_two_notifications.xml"]
CEB_IMPORT = [
    "CEB622_statuses.xml",
    "CEB512_logistics_receipt.xml",
    "CEB900_format_error.xml",
    "CEB816_tax_bill.xml",
    "CEB818_tax_status.xml",
    "CEB623_cancellation.xml",  # an enterprise's request: signed, as the published schema requires
]
CEB_EXPORT = ["CEB604_export_receipt.xml", "CEB303_export_order.xml"]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the published schemas with the stand-ins they need beside them."""
    root = tmp_path_factory.mktemp("published")
    shutil.copytree(PUBLISHED / "ncts", root / "ncts")
    (root / "ncts" / "ermis-types.xsd").write_text(ERMIS_STAND_IN, encoding="utf-8")
    (root / "ncts" / "cc009c.xsd").write_text(CC009C_ROOT, encoding="utf-8")  # not among the published files
    shutil.copytree(PUBLISHED / "wco-dms", root / "dms" / "notification")
    (root / "dms" / "declaration").mkdir()
    (root / "dms" / "declaration" / "WCO_DEC_2_DMS.xsd").write_text(DEC_STAND_IN, encoding="utf-8")
    (root / "dms" / "both.xsd").write_text(DMS_BOTH, encoding="utf-8")
    return root


def _valid(schema_file: Path, fixture: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(schema_file)))
    assert schema.validate(etree.parse(str(fixture))), schema.error_log
    opened = open_message(fixture.read_bytes())
    assert [i.as_dict() for i in validate_opened(opened) if i.severity == "error"] == []


def test_there_are_written_messages_for_every_published_ncts_message_and_the_dms_codes():
    assert {p.name[:6] for p in NCTS} == {
        "CC015C",
        "CC009C",
        "CC928C",
        "CC028C",
        "CC029C",
        "CC051C",
        "CC056C",
        "CC060C",
        "CC906C",
        "CC917C",
    }
    assert [p.stem[-2:] for p in DMS] == ["06", "08", "10", "11", "13", "14", "16", "17"]


@needs_shared
@pytest.mark.parametrize("fixture", NCTS, ids=lambda p: p.stem)
def test_each_written_ncts_answer_is_valid_under_its_published_schema_and_ours(published, fixture):
    _valid(published / "ncts" / f"{fixture.name[:6].lower()}.xsd", fixture)


@needs_shared
@pytest.mark.parametrize("fixture", DMS + DMS_OLDER, ids=lambda p: p.stem)
def test_each_written_dms_notification_is_valid_under_the_published_res_schema_and_ours(published, fixture):
    _valid(published / "dms" / "both.xsd", fixture)


@needs_shared
@pytest.mark.parametrize(
    ("name", "schema"),
    [(n, "海关跨境进口业务节点报文定义202205.xsd") for n in CEB_IMPORT]
    + [(n, "海关跨境出口业务节点报文定义202205.xsd") for n in CEB_EXPORT],
)
def test_each_written_ceb_message_is_valid_under_the_published_202205_schema_and_ours(name, schema):
    _valid(PUBLISHED / "china-ceb" / schema, FIXTURES / "ceb" / name)
