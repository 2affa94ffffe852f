"""POST/GET /api/v1/customs/declarations: submissions, their state and history, and bad input's clear errors."""

import pytest

from tests.unit.customs_gateway.conftest import fixture, manifest

URL = "/api/v1/customs/declarations"


@pytest.fixture
def client(api_client, party_key, sim):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {party_key}")
    return api_client


def post(client, body: bytes, content_type: str = "application/xml"):
    return client.generic("POST", URL, body, content_type=content_type)


def test_a_manifest_is_accepted_for_sending_and_followed_to_release(client, sim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, manifest())
    assert response.status_code == 202, response.content
    assert set(response.json()) == {"id", "state"} and response.json()["state"] == "draft"
    sim.deliver()
    detail = client.get(f"{URL}/{response.json()['id']}").json()
    assert detail["state"] == "released" and detail["registrationNumber"] == ""
    assert {m["role"] for m in detail["messages"]} >= {"submission", "outbound", "transport_ack", "response"}
    assert [t["toState"] for t in detail["transitions"] if t["action"] == "transition"][:3] == [
        "signed",
        "submitted",
        "transport_acknowledged",
    ]
    assert detail["holds"] == [] and len(detail["containers"]) == 3


def test_holds_are_listed_per_container(client, sim, django_capture_on_commit_callbacks):
    sim.plan("MT1101-UN9321483-047E", ["accept", "hold"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, manifest())
    sim.deliver()
    detail = client.get(f"{URL}/{response.json()['id']}").json()
    assert detail["state"] == "held"
    assert {h["equipmentReference"] for h in detail["holds"]} == {"MSKU1234565", "CSQU3054383", "TGHU7654320"}


def test_another_partys_declaration_is_not_found(client, sim, broker):
    from customs_gateway.outbound import submit

    other = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    response = client.get(f"{URL}/{other.pk}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_audit_trail_exports_as_csv(client, sim):
    response = post(client, manifest())
    audit = client.get(f"{URL}/{response.json()['id']}/audit", {"export": "csv"})
    assert audit.status_code == 200 and audit["Content-Type"] == "text/csv"
    assert audit.content.decode().splitlines()[0].startswith("at,action,actor,reason")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"<Manifest><Head>", 400, "xml_syntax"),
        (b"", 400, "not_a_message"),
        (
            b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><m>&b;</m>',
            400,
            "xml_dtd",
        ),
        (b"<a>" * 200 + b"</a>" * 200, 400, "xml_too_deep"),
        (b"<Other xmlns='urn:x'/>", 400, "unknown_message_type"),
    ],
)
def test_malformed_and_hostile_xml_gets_a_clear_error(client, body, status, code):
    response = post(client, body)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code


def test_a_schema_error_names_the_element_and_its_line(client):
    response = post(client, manifest(**{"<JourneyID>047E</JourneyID>": ""}))
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "schema"
    assert error["position"]["line"] > 1 and "JourneyID" in error["message"] + str(error["position"])


def test_a_function_code_missing_what_it_requires_is_refused(client):
    response = post(client, manifest(**{"<Carrier><ID>LGHB</ID></Carrier>": ""}))
    assert response.status_code == 400 and response.json()["error"]["code"] == "required"
    assert response.json()["error"]["position"]["path"] == "/Manifest/Declaration/Carrier/ID"


def test_a_duplicate_message_id_is_refused(client):
    assert post(client, manifest()).status_code == 202
    response = post(client, manifest())
    assert response.status_code == 409 and response.json()["error"]["code"] == "duplicate"


def test_resubmitting_an_original_over_an_accepted_declaration_is_an_illegal_transition(client, sim):
    from customs_gateway.models import Declaration
    from customs_gateway.outbound import dispatch

    response = post(client, manifest())
    dispatch(response.json()["id"])
    sim.deliver()
    assert Declaration.objects.get().state == "released"
    again = post(client, manifest(**{"20261125080000001</MessageID>": "20261125080000002</MessageID>"}))
    assert again.status_code == 409 and again.json()["error"]["code"] == "illegal_transition"


def test_a_message_from_another_sender_is_refused(client):
    response = post(client, manifest(**{"TESTCARRIER_SWS": "SOMEONEELSE_SWS"}))
    assert response.status_code == 403 and response.json()["error"]["code"] == "wrong_sender"


def test_oversized_and_non_xml_bodies_are_refused(client, settings):
    settings.CUSTOMS_MAX_MESSAGE_BYTES = 100
    assert post(client, manifest()).status_code == 413
    assert post(client, manifest(), content_type="application/json").status_code == 415


def test_without_a_key_nothing_is_accepted(api_client, db):
    assert api_client.generic("POST", URL, manifest(), content_type="application/xml").status_code in (401, 403)


def test_the_endpoints_are_in_the_openapi_document(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/customs/declarations" in paths and "/api/v1/customs/declarations/{id}" in paths


def test_the_detail_costs_a_fixed_number_of_queries(client, sim, django_assert_max_num_queries):
    from customs_gateway.outbound import dispatch

    declaration_id = post(client, manifest()).json()["id"]
    dispatch(declaration_id)
    sim.deliver()
    with django_assert_max_num_queries(12):
        response = client.get(f"{URL}/{declaration_id}")
    assert response.status_code == 200 and len(response.json()["transitions"]) > 5


def test_numbers_too_large_to_keep_are_not_a_server_error(client):
    body = manifest(
        **{"<QuantityQuantity>800</QuantityQuantity>": "<QuantityQuantity>" + "9" * 40 + "</QuantityQuantity>"}
    )
    body = body.replace(b"<TotalGrossMassMeasure>18250.5<", b"<TotalGrossMassMeasure>" + b"9" * 30 + b".12345<")
    response = post(client, body)
    assert response.status_code == 202, response.content


def test_a_reason_that_looks_like_a_formula_is_exported_as_text(client, sim):
    from customs_gateway.models import AuditEntry, Declaration

    response = post(client, manifest())
    declaration = Declaration.objects.get(pk=response.json()["id"])
    AuditEntry.objects.create(
        declaration=declaration, action="refused", actor="authority", reason='=HYPERLINK("http://x")'
    )
    audit = client.get(f"{URL}/{declaration.pk}/audit", {"export": "csv"}).content.decode()
    assert "'=HYPERLINK" in audit and ',"=HYPERLINK' not in audit
