"""Our china-manifest fixtures and XSDs against the published XSDs (the oracle): real-shaped, both accept them.

The fixtures in ``tests/fixtures/customs/china-manifest/`` were written by us from the published
schemas; here each is checked against the published XSD of its MessageType and FunctionCode
(``../shared/standards/customs/china-manifest/``, skipped when ``../shared`` is absent) and
against ours (always).
"""

from pathlib import Path

import pytest
from lxml import etree

from edi.customs_xml import translate_xml
from edi.customs_xml.read import open_message
from edi.customs_xml.validate import validate_opened
from tracking.validation import problems_of

FAMILY = Path(__file__).resolve().parents[2] / "fixtures" / "customs" / "china-manifest"
PUBLISHED = Path(__file__).resolve().parents[4] / "shared" / "standards" / "customs" / "china-manifest"
needs_published = pytest.mark.skipif(not PUBLISHED.exists(), reason="../shared (published schemas) not present")

ORACLE = {
    "MT1201_air_original.xml": "Manifest_Declare_Import_Air_First_1201_9.xsd",
    "MT2201_air_preallocated.xml": "Manifest_Declare_Export_Air_First_2201_9.xsd",
    "MT3102_distribute_arrival.xml": "Manifest_Arrival_Ship_Distribute_3102_2.xsd",
    "MT3201_air_arrival.xml": "Manifest_Arrival_Air_3201_2.xsd",
    "MT3202_air_distribute_arrival.xml": "Manifest_Arrival_Air_Distribute_3202_2.xsd",
    "MT4201_air_loading.xml": "Manifest_Load_Air_4201_2.xsd",
    "MT5201_air_tally.xml": "Manifest_Tally_Air_Import_5201_2.xsd",
    "MT5202_air_tally.xml": "Manifest_Tally_Air_Export_5202_2.xsd",
    "MT6101_distribution.xml": "Manifest_Distribute_Ship_6101_2.xsd",
    "MT6102_dispatch.xml": "Manifest_Dispatch_Ship_6102_2.xsd",
    "MT6201_air_distribution.xml": "Manifest_Distribute_Air_6201_2.xsd",
    "MT6202_air_dispatch.xml": "Manifest_Dispatch_Air_6202_2.xsd",
    "MT7101_packing_list.xml": "Manifest_Packing_Ship_7101_2.xsd",
    "MT8101_change_port.xml": "Manifest_Change_Port_Ship_8101_2.xsd",
    "MT8102_off_load.xml": "Manifest_Off_Load_Ship_8102_2.xsd",
    "MT8103_change_after_off_load.xml": "Manifest_Change_Transport_Off_Load_Ship_8103_2.xsd",
    "MT8104_change_transport.xml": "Manifest_Change_Transport_Ship_8104_2.xsd",
    "MT8105_transfer_check.xml": "Manifest_Transfer_Check_Ship_8105_2.xsd",
    "MT8105_transfer_check_response.xml": "Manifest_Transfer_Check_Response.xsd",
    "MT8201_air_change_port.xml": "Manifest_Change_Port_Air_8201_2.xsd",
    "MT8202_air_off_load.xml": "Manifest_Off_Load_Air_8202_2.xsd",
    "MT8203_air_change_after_off_load.xml": "Manifest_Change_Transport_Off_Load_Air_8203_2.xsd",
    "MT8204_air_change_transport.xml": "Manifest_Change_Transport_Air_8204_2.xsd",
    "MT8205_air_transfer_check.xml": "Manifest_Transfer_Check_Air_8205_2.xsd",
    "MTECEX_empty_export.xml": "Manifest_EmptyConta_Export_ECEX_2.xsd",
    "MTECIM_empty_import.xml": "Manifest_EmptyConta_Import_ECIM_2.xsd",
}


def test_every_fixture_of_the_family_has_its_published_schema_named():
    assert sorted(p.name for p in FAMILY.glob("*.xml")) == sorted(ORACLE)


@pytest.mark.parametrize("name", sorted(ORACLE))
def test_each_fixture_is_valid_under_our_schema(name):
    opened = open_message((FAMILY / name).read_bytes())
    assert validate_opened(opened) == []


@needs_published
@pytest.mark.parametrize(("name", "published"), sorted(ORACLE.items()))
def test_each_fixture_is_valid_under_the_published_schema_of_its_type_and_function(name, published):
    root = etree.fromstring((FAMILY / name).read_bytes())
    function = root.findtext("{*}Head/{*}FunctionCode")
    assert published.endswith((f"_{function}.xsd", "Response.xsd")), "the oracle is the schema of its function code"
    for seal in list(root.iter("{*}SealID")):  # the published XSDs declare SealID with no content
        seal.getparent().remove(seal)
    schema = etree.XMLSchema(etree.parse(str(PUBLISHED / published)))
    assert schema.validate(root), schema.error_log


@needs_published
def test_every_published_type_of_the_family_is_one_we_read():
    from edi.mappings.xml import XML_REGISTRY

    ours = {t for (_std, t, family) in XML_REGISTRY if family == "china-manifest"}
    published = set()
    for path in PUBLISHED.glob("Manifest_*.xsd"):
        fixed = etree.parse(str(path)).getroot().xpath("//*[@name='MessageType']/@fixed")
        published.update(fixed)
    assert published and published <= ours, sorted(published - ours)


XS = "{http://www.w3.org/2001/XMLSchema}"
QUIRKS = ("SealID", "ValueAmount")  # declared with an attribute and no content; every sender writes a value


def _value(name: str, parent: str) -> str:
    """A value our facets take for a leaf the published schema leaves untyped."""
    if name == "ID" and (parent == "EquipmentIdentification" or parent.endswith("TransportEquipment")):
        return "MSKU1234565"
    if name == "FunctionCode":
        return "2"
    if "Date" in name or "Time" in name:
        return "20261127120000"
    if name in (
        "QuantityQuantity",
        "TotalGrossMassMeasure",
        "GrossMassMeasure",
        "GrossVolumeMeasure",
        "SequenceNumeric",
        "ValueAmount",
    ):
        return "1"
    return "UN9321483" if (parent, name) == ("BorderTransportMeans", "ID") else "X1"


def _instance(path: Path, every: bool) -> etree._Element:
    """The document a published schema describes: its required elements only, or every element once."""
    schema = etree.parse(str(path)).getroot()
    namespace = schema.get("targetNamespace")
    types = {t.get("name"): t for t in schema if t.tag == f"{XS}complexType"}

    def element(declared: etree._Element, parent: etree._Element) -> None:
        name = declared.get("name")
        made = etree.SubElement(parent, f"{{{namespace}}}{name}" if namespace else name)
        body = declared.find(f"{XS}complexType")
        body = types.get(declared.get("type")) if body is None else body
        if body is not None:
            fill(body, made)
        if len(made) == 0 and (body is None or not list(body.iter(f"{XS}element"))):
            made.text = declared.get("fixed") or _value(name, etree.QName(parent).localname)

    def fill(node: etree._Element, parent: etree._Element) -> None:
        for child in (c for c in node if isinstance(c.tag, str)):
            kind = etree.QName(child).localname
            if kind in ("sequence", "complexContent", "simpleContent"):
                fill(child, parent)
            elif kind == "extension":
                if child.get("base") in types:
                    fill(types[child.get("base")], parent)
                fill(child, parent)
            elif kind == "choice" and (every or child.get("minOccurs", "1") != "0"):
                element(child.find(f"{XS}element"), parent)
            elif kind == "element" and child.get("maxOccurs") != "0" and (every or child.get("minOccurs", "1") != "0"):
                element(child, parent)

    declared = next(c for c in schema if c.tag == f"{XS}element")
    root = etree.Element(
        f"{{{namespace}}}Manifest" if namespace else "Manifest", nsmap={None: namespace} if namespace else None
    )
    fill(types[declared.get("type")] if declared.get("type") else declared.find(f"{XS}complexType"), root)
    return root


PUBLISHED_SCHEMAS = sorted(p.name for p in PUBLISHED.glob("Manifest_*.xsd") if p.name != "Manifest_Response.xsd")


@needs_published
@pytest.mark.parametrize("every", [False, True], ids=["required-only", "every-element"])
@pytest.mark.parametrize("published", PUBLISHED_SCHEMAS)
def test_what_each_published_schema_describes_is_accepted_by_ours(published, every):
    root = _instance(PUBLISHED / published, every)
    if published == "Manifest_Transfer_Check_Response.xsd":
        root.find("Head/MessageType").text = "MT8105"  # the answer repeats the check's type
    oracle = etree.XMLSchema(etree.parse(str(PUBLISHED / published)))
    bare = etree.fromstring(etree.tostring(root))
    for quirk in [e for e in bare.iter() if etree.QName(e).localname in QUIRKS]:
        quirk.getparent().remove(quirk)
    assert oracle.validate(bare), oracle.error_log  # the instance is what the published schema describes
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert validate_opened(open_message(body)) == [], published
    document = translate_xml(body).document  # and it translates: accepted, every event valid
    assert document["messages"][0]["status"] == "accepted" and problems_of(document["events"]) == []
