"""Our china-manifest fixtures and XSDs against the published XSDs (the oracle): real-shaped, both accept them.

The fixtures in ``tests/fixtures/customs/china-manifest/`` were written by us from the published
schemas; here each is checked against the published XSD of its MessageType and FunctionCode
(``../shared/standards/customs/china-manifest/``, skipped when ``../shared`` is absent) and
against ours (always).
"""

from pathlib import Path

import pytest
from lxml import etree

from edi.customs_xml.read import open_message
from edi.customs_xml.validate import validate_opened

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
