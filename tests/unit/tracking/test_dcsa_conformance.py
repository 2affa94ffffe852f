"""The events API answers as DCSA Track & Trace 2.2's OpenAPI document describes events.

The document is DCSA's ``tnt_v2.2.0-resolved.yaml``, copied with DCSA's example response into
``tests/fixtures/dcsa/`` (Apache-2.0, see its SOURCES.md) so this runs without ``../shared``.
The container timeline serves the same events and is checked too. One erratum of the resolved
file is corrected here: its ``documentReferenceType`` enum lists ``"BKG (Booking)"`` and
``"TRD (Transport Document)"`` (descriptions pasted into the values) where DCSA's own examples and
the event domain use ``BKG`` and ``TRD``. CUSTOMS events and the DEC/MAN/CTR references are our
extension and are not DCSA events.
"""

from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.unit.tracking.builders import BOX, build_event
from tracking.events import complete
from tracking.store import record_events

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dcsa"
DCSA = FIXTURES / "tnt_v2.2.0-resolved.yaml"


def _fix_erratum(node):
    if isinstance(node, dict):
        if node.get("enum") == ["BKG (Booking)", "TRD (Transport Document)"]:
            node["enum"] = ["BKG", "TRD"]
        for value in node.values():
            _fix_erratum(value)
    elif isinstance(node, list):
        for value in node:
            _fix_erratum(value)
    return node


@pytest.fixture(scope="module")
def dcsa_events_schema():
    document = _fix_erratum(yaml.safe_load(DCSA.read_text()))
    response = document["paths"]["/v2/events"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return jsonschema.Draft4Validator({**response, "components": document["components"]})


def problems(validator, body) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]


@pytest.mark.django_db
def test_equipment_transport_and_shipment_events_served_by_the_api_are_dcsa_events(
    api_client, operator, dcsa_events_schema
):
    record_events(
        [
            build_event("GTIN", facility="YSPIV", booking="BK1", bill="BL1"),
            build_event("LOAD", vessel=("9839131", "DEMO HARMONY"), voyage="001E", bill="BL1"),
            build_event("ARRI", kind="TRANSPORT", box=None, vessel=("9839131", "DEMO HARMONY"), voyage="001E"),
            build_event("ARRI", kind="TRANSPORT", box=None, classifier="EST", location="NLRTM"),
            build_event("CONF", kind="SHIPMENT", box=None, location=None, booking="BK1"),
            build_event("ISSU", kind="SHIPMENT", box=None, location=None, bill="BL1"),
        ]
    )
    api_client.force_authenticate(operator)
    body = api_client.get("/api/v1/events", {"eventType": "EQUIPMENT,TRANSPORT,SHIPMENT"}).json()
    assert len(body) == 6
    assert problems(dcsa_events_schema, body) == []
    timeline = api_client.get(f"/api/v1/containers/{BOX}").json()["timeline"]
    assert len(timeline) == 2
    assert problems(dcsa_events_schema, timeline) == []


def test_dcsas_own_example_response_passes_the_corrected_schema(dcsa_events_schema):
    import json

    example = FIXTURES / "tnt-220-response.json"
    assert problems(dcsa_events_schema, json.loads(example.read_text())) == []


def test_a_shipment_event_gets_its_document_id_from_its_references():
    event = complete(build_event("CONF", kind="SHIPMENT", box=None, location=None, booking="BK9"))
    assert (event["documentID"], event["documentTypeCode"]) == ("BK9", "BKG")


def _reported_in(event: dict, message_type: str, number: str) -> dict:
    event["source"]["document"] = {"type": message_type, "number": number, "function": "9"}
    return event


def test_a_shipping_instruction_received_is_a_shipment_event_of_the_instruction(dcsa_events_schema):
    # an IFTMIN naming only its own number (kept as CTR) had no documentID: not a DCSA shipment event
    alone = build_event("RECE", kind="SHIPMENT", box=None, location=None)
    alone["documentReferences"] = [{"documentReferenceType": "CTR", "documentReferenceValue": "SI-1"}]
    served = complete(_reported_in(alone, "IFTMIN", "SI-1"))
    assert (served["documentTypeCode"], served["documentID"]) == ("SHI", "SI-1")
    assert problems(dcsa_events_schema, [served]) == []
    # with the booking it is for, it is still the instruction that was received, not the booking
    booked = complete(
        _reported_in(build_event("RECE", kind="SHIPMENT", box=None, location=None, booking="BK3"), "IFTMIN", "SI-2")
    )
    assert (booked["documentTypeCode"], booked["documentID"]) == ("SHI", "SI-2")


def test_a_bill_of_lading_issued_is_a_shipment_event_of_the_bill_not_of_its_booking(dcsa_events_schema):
    # IFTMCS BGM+705+BL1 naming its booking (RFF+BN:BK5), as INTTRA's bill of lading does: the bill was issued
    issued = build_event("ISSU", kind="SHIPMENT", box=None, location=None, booking="BK5", bill="BL1")
    served = complete(_reported_in(issued, "IFTMCS", "BL1"))
    assert (served["documentTypeCode"], served["documentID"]) == ("TRD", "BL1")
    assert problems(dcsa_events_schema, [served]) == []


def test_a_booking_request_without_a_booking_number_is_a_carrier_booking_request_event(dcsa_events_schema):
    request = complete(_reported_in(build_event("RECE", kind="SHIPMENT", box=None, location=None), "IFTMBF", "REQ-7"))
    assert (request["documentTypeCode"], request["documentID"]) == ("CBR", "REQ-7")
    assert problems(dcsa_events_schema, [request]) == []
    amended = complete(
        _reported_in(build_event("RECE", kind="SHIPMENT", box=None, location=None, booking="BK4"), "IFTMBF", "REQ-8")
    )
    assert (amended["documentTypeCode"], amended["documentID"]) == ("BKG", "BK4")
