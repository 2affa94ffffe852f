"""The China new-manifest family: each message type read, schema-checked (ours and the published), sent and accepted."""

import pytest
from lxml import etree

from customs_gateway import schemas
from customs_gateway.outbound import dispatch, submit
from customs_gateway.records import read_submission
from tests.unit.customs_gateway.conftest import SHARED, fixture

FAMILY = [
    ("MT1101_original.xml", "Manifest_Declare_Import_Ship_First_1101_9.xsd", "MT1101-UN9321483-047E", 2, 3),
    ("MT2101_preallocated.xml", "Manifest_Declare_Export_Ship_First_2101_9.xsd", "MT2101-UN9321483-048W", 1, 1),
    ("MT3101_arrival.xml", "Manifest_Arrival_Ship_3101_2.xsd", "MT3101-UN9321483-047E-MSKU1234565", 1, 1),
    ("MT4101_loading.xml", "Manifest_Load_Ship_4101_2.xsd", "MT4101-UN9321483-048W-OOLU1002005", 1, 1),
    ("MT5101_tally.xml", "Manifest_Tally_Ship_Import_5101_2.xsd", "MT5101-UN9321483-047E-MSKU1234565", 1, 1),
    ("MT5102_tally.xml", "Manifest_Tally_Ship_Export_5102_2.xsd", "MT5102-UN9321483-048W-OOLU1002005", 1, 1),
]


@pytest.mark.parametrize(("name", "published", "reference", "bills", "boxes"), FAMILY)
def test_each_message_type_is_read_into_bills_and_containers(name, published, reference, bills, boxes):
    sub = read_submission(fixture(name))
    assert sub.business_reference == reference
    assert (len(sub.bills), len(sub.containers)) == (bills, boxes)


@pytest.mark.skipif(not (SHARED / "standards").exists(), reason="published schemas not present")
@pytest.mark.parametrize(("name", "published", "reference", "bills", "boxes"), FAMILY)
def test_each_fixture_is_valid_under_ours_and_the_published_schema(name, published, reference, bills, boxes):
    root = etree.fromstring(fixture(name))
    schemas.validate(root)
    for quirk in list(root.iter("{*}SealID")):  # published XSDs give SealID no content (see test_schemas)
        quirk.getparent().remove(quirk)
    schema = etree.XMLSchema(etree.parse(str(SHARED / "standards" / "customs" / "china-manifest" / published)))
    assert schema.validate(root), schema.error_log


@pytest.mark.parametrize("name", [f[0] for f in FAMILY[1:]])
def test_each_message_type_goes_to_the_authority_and_is_accepted(carrier, sim, name):
    declaration = submit(carrier, fixture(name), actor="test")
    sim.plan(declaration.business_reference, ["accept"])
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "accepted"
    assert set(declaration.bills.values_list("state", flat=True)) == {"accepted"}


def test_a_tally_report_without_its_times_is_refused_for_its_function_code():
    from customs_gateway.exceptions import InvalidMessage

    body = fixture("MT5101_tally.xml").replace(b"<ActualDateTime>20261126060000</ActualDateTime>", b"")
    with pytest.raises(InvalidMessage) as caught:
        read_submission(body)
    assert caught.value.code == "required" and "ActualDateTime" in caught.value.message


def test_an_air_manifests_reference_is_its_type_and_flight_not_the_aircraft():
    from pathlib import Path

    from customs_gateway.records import extract

    path = Path(__file__).resolve().parents[2] / "fixtures" / "customs" / "china-manifest" / "MT1201_air_original.xml"
    sub = extract(etree.fromstring(path.read_bytes()))
    assert (sub.business_reference, sub.vessel, sub.voyage) == ("MT1201-CA1234", "", "CA1234")
    assert [b.number for b in sub.bills] == ["999-12345675", "999-12345686"]


def test_only_a_sea_manifests_bills_are_written_as_an_mt1101():
    from customs_gateway.manifest_out import is_manifest

    def lodged(manifest: str) -> dict:
        refs = [{"documentReferenceType": "MAN", "documentReferenceValue": manifest}]
        return {"eventType": "CUSTOMS", "customsEventTypeCode": "DECL", "documentReferences": refs}

    assert is_manifest(lodged("MT1101-UN9321483-047E")) and is_manifest(lodged("MT2101-UN9321483-048W"))
    assert is_manifest(lodged("LHCUSCAR0001"))  # a CUSCAR's manifest number
    assert not is_manifest(lodged("MT3102-UN9321483-047E")) and not is_manifest(lodged("MT1201-CA1234"))
    assert not is_manifest(lodged("MTECIM-UN9321483-047E"))
