"""Customs XML through ``POST /api/v1/edi/inbound``: cargo facts to the store, answers to the customs gateway.

An authority's answer is never recorded as a fact straight away: the gateway's state machine
decides (a release waits for every agency check) and writes the CUSTOMS events itself.
"""

import pytest

from customs_gateway.models import Declaration, Message
from customs_gateway.outbound import submit
from edi.models import MessageState, RawMessage
from tests.unit.customs_gateway.conftest import demo_signers, fixture
from tracking.apikeys import issue_key
from tracking.models import Event, Party

pytestmark = pytest.mark.django_db
LRN = "3.1_P1_TT_1311RM41"  # the LRN HMRC's 01_DMSACC answers


def _key(edi_id: str, role: str) -> str:
    party = Party.objects.create(name=edi_id, edi_id=edi_id, role=role)
    return issue_key(party=party, name="t")[1]


def post(api_client, body: bytes, key: str):
    return api_client.post(
        "/api/v1/edi/inbound", data=body, content_type="application/xml", HTTP_AUTHORIZATION=f"Api-Key {key}"
    )


@pytest.fixture
def declared():
    from customs_gateway import transport
    from customs_gateway.outbound import dispatch
    from customs_gateway.simulator import Simulator

    customs, agency = demo_signers()
    sim = Simulator(customs=customs, agency=agency)
    sim.trust()
    transport.override(sim)
    broker = Party.objects.create(name="Test Broker", edi_id="TESTBROKER", role="forwarder")

    declaration = submit(broker, fixture("WCO_DEC_import.xml").replace(b"LRN26BROKER0001", LRN.encode()), actor="t")
    sim.rules.drop_next = 10
    dispatch(declaration.pk)
    yield declaration
    transport.override(None)


def test_a_dms_acceptance_posted_as_xml_moves_the_declaration_through_the_gateway(
    api_client, declared, django_capture_on_commit_callbacks
):
    before = Event.objects.filter(event_type="CUSTOMS", payload__customsEventTypeCode="ACPT").count()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api_client, fixture("01_DMSACC.xml"), _key("GBCDS", "customs"))
    assert response.status_code == 202, response.content
    raw = RawMessage.objects.get(pk=response.json()["id"])
    assert raw.state == MessageState.PROCESSED, raw.outcome
    declaration = Declaration.objects.get(pk=declared.pk)
    assert declaration.state == "accepted"
    assert declaration.registration_number == "19GBCKKCQSXV2FGVA8"
    answer = Message.objects.get(sender="GBCDS", message_type="WCO-RES")
    assert answer.outcome == "applied"
    assert raw.outcome["customsGateway"][0]["status"] == "applied"  # what the gateway made of it
    written = Event.objects.filter(event_type="CUSTOMS", payload__customsEventTypeCode="ACPT").count()
    assert written > before  # by the gateway's transition, not by the translation layer
    assert not Event.objects.filter(payload__source__rawMessage=str(raw.pk)).exists()


def test_an_answer_for_no_known_declaration_is_quarantined_not_stored(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(api_client, fixture("09_DMSCLE.xml"), _key("GBCDS", "customs"))
    assert not Event.objects.filter(event_type="CUSTOMS").exists()
    assert Message.objects.get(sender="GBCDS").outcome == "quarantined"
    assert RawMessage.objects.get().outcome["customsGateway"][0]["status"] == "quarantined"


def test_a_manifests_bills_are_stored_as_cargo_facts(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api_client, fixture("MT4101_loading.xml"), _key("TESTCARRIER_SWS0000000001", "carrier"))
    assert response.status_code == 202, response.content
    raw = RawMessage.objects.get(pk=response.json()["id"])
    assert raw.state == MessageState.PROCESSED, raw.outcome
    stored = Event.objects.get(equipment_reference="OOLU1002005")
    assert stored.type_code == "LOAD" and stored.un_location_code == "CNSHA"


def test_a_schema_error_is_answered_with_a_receipt_naming_the_element(api_client, django_capture_on_commit_callbacks):
    key = _key("TESTCARRIER_SWS0000000001", "carrier")
    body = fixture("MT4101_loading.xml").replace(b"<JourneyID>048W</JourneyID>", b"")
    with django_capture_on_commit_callbacks(execute=True):
        message_id = post(api_client, body, key).json()["id"]
    assert RawMessage.objects.get(pk=message_id).state == MessageState.REJECTED
    ack = api_client.get(f"/api/v1/edi/messages/{message_id}/ack", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert ack.status_code == 200 and ack["Content-Type"].startswith("application/xml")
    text = ack.content.decode()
    assert "<Status>rejected</Status>" in text and "/Manifest/Declaration/BorderTransportMeans" in text
    assert not Event.objects.exists()


def test_an_air_manifests_waybills_are_stored_with_the_flight(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api_client, fixture("china-manifest/MT1201_air_original.xml"), _key("LOGIHUBAIR", "carrier"))
    raw = RawMessage.objects.get(pk=response.json()["id"])
    assert raw.state == MessageState.PROCESSED, raw.outcome
    stored = Event.objects.get(transport_document_reference="999-12345686")
    assert stored.type_code == "DECL" and stored.un_location_code == "CNPVG"
    assert stored.payload["transportCall"]["modeOfTransport"] == "AIR"


def test_the_answer_to_a_transfer_check_is_processed_and_stores_nothing(api_client, django_capture_on_commit_callbacks):
    body = fixture("china-manifest/MT8105_transfer_check_response.xml")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api_client, body, _key("2248", "customs"))
    raw = RawMessage.objects.get(pk=response.json()["id"])
    assert raw.state == MessageState.PROCESSED, raw.outcome
    assert not Event.objects.exists() and not Message.objects.exists()
