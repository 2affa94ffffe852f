"""GS1 EPCIS 2.0: capture of ObjectEvents from gate systems, and the gate's observations out, paged.

The GS1 EPCIS JSON Schema has no open-source licence, so it is not shipped; these tests validate
our output against it (and feed the standard's examples to capture) when the standards folder is
present, and skip those checks otherwise.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from rfid.models import Observation
from tests.unit.rfid.conftest import TRUCK_TAG, UNKNOWN_TAG, container, container_tag, reads

pytestmark = pytest.mark.django_db
EPCIS = Path("/work/shared/standards/epcis")
SCHEMA = EPCIS / "schema" / "EPCIS-JSON-Schema.json"
CAPTURE = "/api/v1/epcis/capture"
EVENTS = "/api/v1/epcis/events"
BOX = container("BOLU", "123456")


def document(*events: dict) -> dict:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(),
        "epcisBody": {"eventList": list(events)},
    }


def object_event(*epcs: str, **extra) -> dict:
    return {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": "departing",
        "eventTime": timezone.now().isoformat(),
        "eventTimeZoneOffset": "+00:00",
        "epcList": list(epcs),
        "readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1234"},
        "bizLocation": {"id": "urn:epc:id:sgln:0614141.07346.0"},
        **extra,
    }


def schema_validator():
    if not SCHEMA.is_file():
        pytest.skip("the GS1 EPCIS JSON Schema is not present here")
    from jsonschema import Draft7Validator, FormatChecker

    return Draft7Validator(json.loads(SCHEMA.read_text()), format_checker=FormatChecker())


def test_capture_of_a_container_leaving_released_opens(out_reader, post, bind, set_customs):
    set_customs(BOX, "RLSD")
    bind(TRUCK_TAG, "truck", "沪A12345")
    doc = document(object_event("urn:epc:id:sgtin:0614141.812345.6789", f"urn:epc:id:bic:{BOX}"))
    if SCHEMA.is_file():
        assert [e.message for e in schema_validator().iter_errors(doc)] == []  # what we send is standard EPCIS
    response = post(CAPTURE, doc, out_reader[1], content_type="application/ld+json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["captured"], body["decision"]) == (1, "OPEN")
    assert body["equipment"] == [{"equipmentReference": BOX, "customsState": "RLSD"}]


def test_the_gs1_object_event_example_is_captured(out_reader, post):
    path = EPCIS / "examples" / "gs1" / "Example_9.6.1-ObjectEvent.jsonld"
    if not path.is_file():
        pytest.skip("standards folder not present")
    response = post(CAPTURE, path.read_bytes(), out_reader[1], content_type="application/ld+json")
    assert response.status_code == 202 and response.json()["captured"] == 2
    assert Observation.objects.count() == 2  # two SGTINs, one of them in both events


@pytest.mark.parametrize(
    ("name", "position"),
    [
        ("EPCISDocument_without_context.json", "$['@context']"),
        ("ObjectEvent_with_invalid_action.json", "$.epcisBody.eventList[0].action"),
        ("ObjectEvent_with_invalid_eventTime_format.json", "$.epcisBody.eventList[0].eventTime"),
        ("ObjectEvent_with_non_standard_bizStep.json", "$.epcisBody.eventList[0].bizStep"),
    ],
)
def test_openepcis_invalid_documents_are_refused_with_their_position(out_reader, post, name, position):
    path = EPCIS / "examples" / "openepcis" / "invalid" / name
    if not path.is_file():
        pytest.skip("standards folder not present")
    response = post(CAPTURE, path.read_bytes(), out_reader[1])
    assert response.status_code == 400 and response.json()["error"]["position"] == position


def test_capture_refuses_other_event_types_and_bad_epcs(out_reader, post):
    key = out_reader[1]
    aggregation = {**object_event("urn:epc:id:sscc:0614141.1234567890"), "type": "AggregationEvent"}
    assert post(CAPTURE, document(aggregation), key).json()["error"]["position"] == "$.epcisBody.eventList[0].type"
    bad = document(object_event("urn:epc:id:bic:CSQU3054384"))
    assert post(CAPTURE, bad, key).json()["error"]["position"] == "$.epcisBody.eventList[0].epcList[0]"
    assert post(CAPTURE, document(), key).status_code == 400


def test_capture_takes_an_empty_epc_list_and_a_sensor_report_at_a_read_point(out_reader, post, bind):
    bind(TRUCK_TAG, "truck", "沪A12345")
    sensor = object_event()  # the schema's first way: an epcList, empty
    del sensor["epcList"]
    sensor["sensorElementList"] = [{"sensorReport": [{"type": "Temperature", "value": 12.5, "uom": "CEL"}]}]
    doc = document(object_event(), sensor, object_event("urn:epc:id:sgtin:0614141.812345.6789"))
    if SCHEMA.is_file():
        assert [e.message for e in schema_validator().iter_errors(doc)] == []
    response = post(CAPTURE, doc, out_reader[1], content_type="application/ld+json")
    assert response.status_code == 202, response.content
    assert response.json()["captured"] == 3 and Observation.objects.count() == 1
    del sensor["readPoint"]  # a sensor report names where it was taken
    refused = post(CAPTURE, document(sensor), out_reader[1]).json()["error"]
    assert refused["position"] == "$.epcisBody.eventList[0].epcList"


@pytest.mark.parametrize(
    ("step", "taken"),
    [
        ("departing", True),
        ("https://example.com/steps/weighing", True),
        ("urn:epcglobal:cbv:bizstep:departing", False),  # a CBV term is written bare in EPCIS 2.0 JSON
        ("urn:epcglobal:cbv:bizstep:flying", False),
        ("http://ns.gs1.org/cbv/BizStep-departing", False),
    ],
)
def test_capture_takes_a_cbv_business_step_bare_and_only_other_vocabularies_as_uris(out_reader, post, step, taken):
    doc = document(object_event(f"urn:epc:id:bic:{BOX}", bizStep=step))
    if SCHEMA.is_file():
        assert (not list(schema_validator().iter_errors(doc))) == taken
    response = post(CAPTURE, doc, out_reader[1], content_type="application/ld+json")
    assert response.status_code == (202 if taken else 400), response.content


def test_an_event_declared_in_error_is_not_a_read(out_reader, post):
    declared = {"declarationTime": timezone.now().isoformat(), "reason": "incorrect_data"}
    doc = document(object_event(f"urn:epc:id:bic:{BOX}", errorDeclaration=declared))
    if SCHEMA.is_file():
        assert [e.message for e in schema_validator().iter_errors(doc)] == []
    response = post(CAPTURE, doc, out_reader[1], content_type="application/ld+json")
    assert response.status_code == 202, response.content
    assert response.json()["equipment"] == [] and Observation.objects.count() == 0
    bad = document(object_event(f"urn:epc:id:bic:{BOX}", errorDeclaration={"reason": "incorrect_data"}))
    refused = post(CAPTURE, bad, out_reader[1]).json()["error"]
    assert refused["position"] == "$.epcisBody.eventList[0].errorDeclaration.declarationTime"


def test_capture_needs_a_reader_key(post, party_key):
    assert post(CAPTURE, document(object_event(f"urn:epc:id:bic:{BOX}")), party_key).status_code == 403
    assert post(CAPTURE, document(object_event(f"urn:epc:id:bic:{BOX}")), None).status_code == 401


@pytest.fixture
def observed(out_reader, make_reader, post, bind):
    """Three observations: truck and container out at GATE1, an unknown tag in at GATE2."""
    bind(TRUCK_TAG, "truck", "沪A12345")
    start = timezone.now() - timedelta(seconds=100)
    post("/api/v1/rfid/reads", reads(TRUCK_TAG, container_tag(BOX), at=start), out_reader[1])
    _r, in_key = make_reader("GATE2-IN", gate="GATE2", direction="in", bonded=False, lane="")
    post("/api/v1/rfid/reads", reads(UNKNOWN_TAG, at=start + timedelta(seconds=50), reader="GATE2-IN"), in_key)
    return start


@pytest.fixture
def customs_client(api_client, db):
    from tracking.apikeys import issue_key
    from tracking.models import Party

    _key, clear = issue_key(party=Party.objects.create(name="Customs", edi_id="CNCUSTOMS", role="customs"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {clear}")
    return api_client


def events_of(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


def test_events_out_are_object_events_valid_against_the_epcis_schema(observed, customs_client):
    response = customs_client.get(EVENTS)
    events = events_of(response)
    assert len(events) == 3
    assert {e["bizStep"] for e in events} == {"departing", "arriving"}
    assert f"urn:epc:raw:96.x{UNKNOWN_TAG}" in {e["epcList"][0] for e in events}
    errors = [e.message for e in schema_validator().iter_errors(response.json())]
    assert errors == []


def test_events_filters(observed, customs_client):
    assert len(events_of(customs_client.get(EVENTS, {"EQ_bizStep": "arriving"}))) == 1
    assert len(events_of(customs_client.get(EVENTS, {"EQ_bizStep": "urn:epcglobal:cbv:bizstep:departing"}))) == 2
    assert len(events_of(customs_client.get(EVENTS, {"EQ_readPoint": "urn:logihub:rfid:reader:GATE2-IN"}))) == 1
    assert len(events_of(customs_client.get(EVENTS, {"MATCH_epc": f"urn:epc:id:bic:{BOX}"}))) == 1
    assert len(events_of(customs_client.get(EVENTS, {"MATCH_epc": "urn:epc:idpat:sgtin:0614141.*.*"}))) == 1
    assert len(events_of(customs_client.get(EVENTS, {"MATCH_epc": f"urn:epc:raw:96.x{UNKNOWN_TAG}"}))) == 1
    assert events_of(customs_client.get(EVENTS, {"eventType": "AggregationEvent"})) == []
    late = (observed + timedelta(seconds=10)).isoformat()
    assert len(events_of(customs_client.get(EVENTS, {"GE_eventTime": late}))) == 1
    assert len(events_of(customs_client.get(EVENTS, {"LT_eventTime": late}))) == 2


def test_events_refuse_unknown_parameters_and_bad_times(observed, customs_client):
    assert customs_client.get(EVENTS, {"EQ_colour": "red"}).status_code == 400
    assert customs_client.get(EVENTS, {"GE_eventTime": "yesterday"}).status_code == 400
    assert customs_client.get(EVENTS, {"perPage": "0"}).status_code == 400
    assert customs_client.get(EVENTS, {"nextPageToken": "forged"}).status_code == 400


def test_events_page_with_per_page_and_next_page_token(observed, customs_client):
    seen = []
    response = customs_client.get(EVENTS, {"perPage": "2"})
    seen += events_of(response)
    link = response["Link"]
    assert 'rel="next"' in link and "nextPageToken=" in link
    token = link.split("nextPageToken=")[1].split(">")[0]
    from urllib.parse import unquote

    last = customs_client.get(EVENTS, {"perPage": "2", "nextPageToken": unquote(token)})
    seen += events_of(last)
    assert "Link" not in last and len({e["eventID"] for e in seen}) == 3


def test_events_are_not_for_readers_or_forwarders(observed, api_client, out_reader):
    from tracking.apikeys import issue_key
    from tracking.models import Party

    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {out_reader[1]}")
    assert api_client.get(EVENTS).status_code == 403
    _key, clear = issue_key(party=Party.objects.create(name="Fwd", edi_id="FWD1", role="forwarder"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {clear}")
    assert api_client.get(EVENTS).status_code == 403


def test_capture_of_more_epcs_than_allowed_is_413(out_reader, post, settings):
    settings.RFID_MAX_READS_PER_POST = 2
    doc = document(object_event(*[f"urn:epc:id:sscc:0614141.123456789{n}" for n in range(3)]))
    assert post(CAPTURE, doc, out_reader[1]).status_code == 413


def test_capture_of_non_json_is_415(out_reader, post):
    assert post(CAPTURE, b"<epcis/>", out_reader[1], content_type="application/xml").status_code == 415


def test_events_page_takes_a_fixed_number_of_queries(observed, customs_client, out_reader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    with CaptureQueriesContext(connection) as few:
        assert len(events_of(customs_client.get(EVENTS))) == 3
    later = timezone.now() - timedelta(seconds=30)
    body = json.dumps(reads(*[f"30{n:022X}" for n in range(10)], at=later))
    reader_client = APIClient()  # the customs client's credentials would take over the shared one
    response = reader_client.post(
        "/api/v1/rfid/reads", body, content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {out_reader[1]}"
    )
    assert response.status_code == 200, response.content
    with CaptureQueriesContext(connection) as many:
        assert len(events_of(customs_client.get(EVENTS))) == 13
    assert len(many) == len(few) <= 4
