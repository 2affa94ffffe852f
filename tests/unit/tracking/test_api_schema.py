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
