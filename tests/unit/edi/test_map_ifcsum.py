"""IFCSUM maps to one SHIPMENT event per consignment (CNI), with its bills, booking and containers."""

from pathlib import Path

import pytest

from edi.map import map_interchange
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "edifact"
CONSOLIDATION = FIXTURES / "ifcsum_d16b_logihub_consolidation.edi"


def shipments(result):
    return [e for e in result.events if e["eventType"] == "SHIPMENT"]


def refs(event):
    return {(r["documentReferenceType"], r["documentReferenceValue"]) for r in event["documentReferences"]}


def test_each_consignment_is_a_received_shipment_with_its_bills_and_booking():
    result = map_interchange(CONSOLIDATION, raw_message_id="raw-1")
    assert problems_of(result.events) == []
    assert [i for i in result.issues if i.severity == "error"] == []
    first, second = shipments(result)
    assert (first["shipmentEventTypeCode"], first["eventClassifierCode"]) == ("RECE", "ACT")
    assert refs(first) == {
        ("TRD", "HBLSHA0001"),  # CNI 1004, the house bill
        ("TRD", "MAEU612E0001"),  # RFF BM in the consignment
        ("BKG", "SHA1234567"),  # RFF BN of the whole summary
        ("CTR", "CONS2612-001"),  # BGM 1004, the summary's own number
    }
    assert first["equipmentReference"] == "MSKU1234565" and first["ISOEquipmentCode"] == "45G1"
    assert first["eventDateTime"] == "2026-12-01T09:30:00+08:00"  # DTM 137, in Shanghai's zone
    call = first["transportCall"]
    assert (call["UNLocationCode"], call["facilityCode"]) == ("CNSHA", "YSD")  # LOC 88 place of receipt
    assert call["vessel"] == {"vesselIMONumber": "9321483", "vesselName": "MAERSK ESSEN"}
    assert call["carrierVoyageNumber"] == "612E"
    assert second["equipmentReferences"] == ["OOLU8293047", "TCLU9988775"]
    assert ("TRD", "HBLSHA0002") in refs(second)
    assert first["source"]["rawMessage"] == "raw-1" and first["source"]["position"]["tag"] == "CNI"
    assert first["eventID"] != second["eventID"]


def test_the_main_carriage_gives_the_vessels_estimated_departure_and_arrival():
    calls = [e for e in map_interchange(CONSOLIDATION).events if e["eventType"] == "TRANSPORT"]
    assert problems_of(calls) == []
    got = [
        (
            e["transportEventTypeCode"],
            e["eventClassifierCode"],
            e["transportCall"]["UNLocationCode"],
            e["eventDateTime"],
        )
        for e in calls
    ]
    assert got == [
        ("DEPA", "EST", "CNSHA", "2026-12-05T18:00:00+08:00"),  # LOC 9 + DTM 133
        ("ARRI", "EST", "NLRTM", "2026-12-30T06:00:00+01:00"),  # LOC 11 + DTM 132
    ]


def test_a_cancelled_summary_voids_its_consignments_and_a_rejection_is_reje():
    text = CONSOLIDATION.read_text()
    cancelled = map_interchange(text.replace("BGM+785+CONS2612-001+9'", "BGM+785+CONS2612-001+1'").encode())
    assert {e["shipmentEventTypeCode"] for e in shipments(cancelled)} == {"VOID"}
    rejected = map_interchange(text.replace("BGM+785+CONS2612-001+9'", "BGM+785+CONS2612-001+9+RE'").encode())
    assert {e["shipmentEventTypeCode"] for e in shipments(rejected)} == {"REJE"}
    not_accepted = map_interchange(text.replace("BGM+785+CONS2612-001+9'", "BGM+785+CONS2612-001+27'").encode())
    assert {e["shipmentEventTypeCode"] for e in shipments(not_accepted)} == {"REJE"}  # UNCL 1225 27


def test_a_qualifier_outside_the_directory_is_reported_and_the_consignment_still_mapped():
    data = CONSOLIDATION.read_text().replace("LOC+88+CNSHA:139:6'\nRFF", "LOC+ZZ9+CNSHA:139:6'\nRFF").encode()
    result = map_interchange(data)
    assert len(shipments(result)) == 2
    (issue,) = [i for i in result.issues if i.code == "14"]
    assert issue.position.tag == "LOC" and "ZZ9" in issue.message


def test_the_eancom_summary_maps_its_five_consignments():
    sample = SHARED / "ifcsum_d01b_xeredi_ifcsum1.itc"
    if not sample.is_file():
        pytest.skip("../shared is absent (the sample's repository has no licence: not copied into fixtures)")
    result = map_interchange(sample)
    assert problems_of(result.events) == []
    assert [sorted(refs(e))[1] for e in shipments(result)] == [("TRD", n) for n in ("221", "281", "140", "204", "266")]
    assert {e["eventDateTime"] for e in result.events} == {"2002-03-01T00:00:00+00:00"}  # DTM 137, format 102


def test_a_consignment_placed_in_the_headers_containers_lists_them():
    data = (
        "UNB+UNOC:3+FWD+LOGIHUB+261201:0930+2'UNH+1+IFCSUM:D:16B:UN'BGM+788+C2+9'DTM+137:202612010930:203'"
        "EQD+CN+MSKU1234565+45G1:102:5+++5'EQD+CN+OOLU8293047+42G1:102:5+++4'"
        "CNI+1+H1'SGP+MSKU1234565'CNI+2+H2'SGP+MSKU1234565'SGP+OOLU8293047'UNT+10+1'UNZ+1+2'"
    )
    result = map_interchange(data.encode())
    assert problems_of(result.events) == []
    first, second = shipments(result)
    assert (first["equipmentReference"], first["ISOEquipmentCode"]) == ("MSKU1234565", "45G1")
    assert second["equipmentReferences"] == ["MSKU1234565", "OOLU8293047"]
