"""The OpenAPI document at /api/v1/schema/ describes the tracking endpoints."""

import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_the_tracking_endpoints_and_their_filters(client):
    document = yaml.safe_load(client.get("/api/v1/schema/").content)
    paths = document["paths"]
    for path in (
        "/api/v1/events",
        "/api/v1/containers/{number}",
        "/api/v1/shipments/{reference}",
        "/api/v1/claims",
        "/api/v1/public/track/{reference}",
    ):
        assert path in paths
    names = {p["name"] for p in paths["/api/v1/events"]["get"]["parameters"]}
    assert {"equipmentReference", "eventCreatedDateTime:gte", "customsEventTypeCode", "cursor", "limit"} <= names
    assert paths["/api/v1/containers/{number}"]["get"]["responses"]["404"]
    assert "ApiKeyAuth" in document["components"]["securitySchemes"]


def test_the_events_list_documents_dcsas_filters_and_its_page_and_version_headers(client):
    operation = yaml.safe_load(client.get("/api/v1/schema/").content)["paths"]["/api/v1/events"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {
        "vesselIMONumber",
        "transportCallID",
        "exportVoyageNumber",
        "carrierServiceCode",
        "documentTypeCode",
    } <= names
    assert {"API-Version", "Current-Page", "Next-Page", "Prev-Page"} <= set(operation["responses"]["200"]["headers"])


def test_the_events_served_are_what_the_openapi_document_says_an_event_is(client, api_client, operator):
    import jsonschema

    from tests.unit.tracking.builders import build_event
    from tracking.store import record_events

    by_call_sign = build_event("DISC", voyage="031W")
    by_call_sign["transportCall"]["vessel"] = {"vesselCallSignNumber": "3ERX3", "vesselName": "COSCO AFRICA"}
    placeless = build_event("ARRI", kind="TRANSPORT", box=None, location=None)
    placeless["transportCall"] = {"modeOfTransport": "TRUCK", "truckLicensePlate": "SH-A12345"}
    record_events(
        [by_call_sign, placeless, build_event("CONF", kind="SHIPMENT", box=None, location=None, booking="B1")]
    )
    components = yaml.safe_load(client.get("/api/v1/schema/").content)["components"]
    event = jsonschema.Draft202012Validator({"$ref": "#/components/schemas/Event", "components": components})
    api_client.force_authenticate(operator)
    served = api_client.get("/api/v1/events").json()
    assert len(served) == 3
    assert [f"{list(e.absolute_path)}: {e.message}" for body in served for e in event.iter_errors(body)] == []
    schemas = components["schemas"]
    assert {"transportCallID", "truckLicensePlate"} <= set(schemas["TransportCall"]["properties"])
    assert {"documentID", "documentTypeCode", "parties"} <= set(schemas["Event"]["properties"])
