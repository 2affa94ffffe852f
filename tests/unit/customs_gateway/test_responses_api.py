"""POST /api/v1/customs/responses: authorities push answers (UK CDS sends unsigned DMS notifications over TLS)."""

import pytest

from customs_gateway.outbound import submit
from tests.unit.customs_gateway.conftest import fixture

URL = "/api/v1/customs/responses"
LRN = "3.1_P1_TT_1311RM41"  # the LRN of HMRC's 01_DMSACC example


@pytest.fixture
def declared(broker, sim):
    from customs_gateway.outbound import dispatch

    declaration = submit(broker, fixture("WCO_DEC_import.xml").replace(b"LRN26BROKER0001", LRN.encode()), actor="t")
    sim.rules.drop_next = 10
    dispatch(declaration.pk)
    return declaration


def _client(api_client, edi_id: str, role: str):
    from tracking.apikeys import issue_key
    from tracking.models import Party

    party = Party.objects.create(name=edi_id, edi_id=edi_id, role=role)
    _key, clear = issue_key(party=party, name="t")
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {clear}")
    return api_client


def test_uk_cds_pushes_an_unsigned_acceptance_over_its_authenticated_channel(api_client, declared):
    client = _client(api_client, "GBCDS", "customs")
    response = client.generic("POST", URL, fixture("01_DMSACC.xml"), content_type="application/xml")
    assert response.status_code == 202 and response.json()["status"] == "applied"
    declared.refresh_from_db()
    assert declared.state == "accepted" and declared.registration_number == "19GBCKKCQSXV2FGVA8"
    assert declared.messages.get(role="response").signature == "none"


def test_the_same_notification_twice_is_a_duplicate(api_client, declared):
    client = _client(api_client, "GBCDS", "customs")
    client.generic("POST", URL, fixture("01_DMSACC.xml"), content_type="application/xml")
    response = client.generic("POST", URL, fixture("01_DMSACC.xml"), content_type="application/xml")
    assert response.json()["status"] == "duplicate"


def test_unsigned_answers_are_quarantined_when_the_channel_is_not_trusted_to_vouch(api_client, declared, settings):
    settings.CUSTOMS_ACCEPT_UNSIGNED_FROM_AUTHENTICATED = False
    client = _client(api_client, "GBCDS", "customs")
    response = client.generic("POST", URL, fixture("01_DMSACC.xml"), content_type="application/xml")
    assert response.json()["status"] == "quarantined"


def test_a_forwarder_may_not_post_authority_answers(api_client, declared):
    client = _client(api_client, "SOMEFWD", "forwarder")
    response = client.generic("POST", URL, fixture("01_DMSACC.xml"), content_type="application/xml")
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_an_authority"


def test_a_message_is_downloadable_with_its_exact_bytes(api_client, declared):
    from tracking.apikeys import issue_key

    _key, clear = issue_key(party=declared.party, name="t")
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {clear}")
    message = declared.messages.get(role="outbound")
    response = api_client.get(f"/api/v1/customs/declarations/{declared.pk}/messages/{message.pk}")
    assert response.status_code == 200 and response.content == bytes(message.body)
    assert response["Digest"] == f"sha-256={message.sha256}"


def test_a_notification_resent_with_other_whitespace_is_still_a_duplicate(api_client, declared):
    client = _client(api_client, "GBCDS", "customs")
    first = fixture("01_DMSACC.xml")
    client.generic("POST", URL, first, content_type="application/xml")
    again = first.replace(b"\t", b"  ")
    response = client.generic("POST", URL, again, content_type="application/xml")
    assert response.json()["status"] == "duplicate"
