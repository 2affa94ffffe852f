"""IFTMCS contract status maps to one SHIPMENT event of the transport document: issued, draft or void."""

import pytest

from edi.map import map_interchange
from edi.translate import translate_bytes
from tests.unit.edi.container_fixtures import FIXTURES, position, refs, truncated, valid_and_mapped

ISSUED = "iftmcs_d95b_logihub_issued.edi"
DRAFT = "iftmcs_d16a_logihub_draft.edi"


def test_an_original_bill_of_lading_is_issued_with_its_references_and_containers():
    result = valid_and_mapped(ISSUED)
    document, departure, arrival = result.events
    assert (document["eventType"], document["shipmentEventTypeCode"], document["eventClassifierCode"]) == (
        "SHIPMENT",
        "ISSU",
        "ACT",
    )
    assert document["eventDateTime"] == "2026-11-27T10:00:00+08:00"  # DTM 137 at the place of issue (LOC 91)
    assert document["transportCall"]["UNLocationCode"] == "CNSHA"
    assert refs(document) == [("TRD", "MEDUBL0001"), ("BKG", "BKG990011"), ("CTR", "SC2026-001")]
    assert document["equipmentReferences"] == ["MSCU1234566", "MSKU1234565"]
    assert position(document) == (3, "BGM")
    assert [(e["transportEventTypeCode"], e["eventClassifierCode"]) for e in (departure, arrival)] == [
        ("DEPA", "EST"),
        ("ARRI", "EST"),
    ]
    assert result.issues == []


def test_an_issued_bill_is_dated_by_its_issue_date_not_by_the_message_that_sends_it():
    # a carrier's bill of lading message (INTTRA's IFTMCS D99B) sent the day after the bill was issued
    data = (
        (FIXTURES / ISSUED)
        .read_bytes()
        .replace(b"DTM+137:202611271000:203'", b"DTM+137:202611280900:203'DTM+182:202611271000:203'")
        .replace(b"UNT+16+1'", b"UNT+17+1'")
    )
    document = map_interchange(data).events[0]
    assert document["shipmentEventTypeCode"] == "ISSU"
    assert document["eventDateTime"] == "2026-11-27T10:00:00+08:00"  # DTM 182
    assert document["eventCreatedDateTime"] == "2026-11-28T09:00:00+08:00"  # DTM 137


def test_a_provisional_sea_waybill_is_a_draft():
    (document, departure) = valid_and_mapped(DRAFT).events
    assert (document["shipmentEventTypeCode"], document["eventClassifierCode"]) == ("DRFT", "ACT")
    assert document["eventDateTime"] == "2026-11-26T15:00:00+08:00"  # format 303 with its offset
    assert refs(document) == [("TRD", "MEDUWB0002"), ("BKG", "BKG990012")]
    assert document["equipmentReference"] == "MSCU1234566"


def test_a_cancelled_contract_voids_the_document():
    text = (FIXTURES / ISSUED).read_text().replace("MEDUBL0001+9", "MEDUBL0001+1")
    document = map_interchange(text.encode()).events[0]
    assert (document["shipmentEventTypeCode"], refs(document)[0]) == ("VOID", ("TRD", "MEDUBL0001"))


@pytest.mark.parametrize("code", ["770", "999"])
def test_a_document_that_is_no_transport_document_is_an_error_not_a_guess(code):
    text = (FIXTURES / ISSUED).read_text().replace("BGM+705+", f"BGM+{code}+")
    result = map_interchange(text.encode())
    assert [e["eventType"] for e in result.events] == ["TRANSPORT", "TRANSPORT"]
    assert [(i.code, i.severity, i.position.tag) for i in result.issues] == [("14", "error", "BGM")]


def test_truncated_contract_status_gives_positioned_errors_and_no_crash():
    document = translate_bytes(truncated(ISSUED, 330))
    assert document["errors"] and all(e["position"].get("segment") for e in document["errors"])
