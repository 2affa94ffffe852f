"""POST/GET /api/v1/customs/declarations for more of the manifest family: air manifest, application, packing list."""

import pytest

from tests.unit.customs_gateway.test_manifest_lodgements import family, sender_of

URL = "/api/v1/customs/declarations"
#: fixture -> (business reference, the state the authority's default answers lead to)
CASES = {
    "MT1201_air_original.xml": ("MT1201-CA1234", "released"),
    "MT6101_distribution.xml": ("MT6101-UN9321483-047E-LGHB2611001", "accepted"),
    "MT7101_packing_list.xml": ("MT7101-UN9321483-048W-OOLU1002005", "accepted"),
}


def key_for(edi_id: str, role: str = "carrier") -> str:
    from tracking.apikeys import issue_key
    from tracking.models import Party

    party = Party.objects.get_or_create(edi_id=edi_id, defaults={"name": edi_id, "role": role})[0]
    return issue_key(party=party, name="test")[1]


def post(api_client, body: bytes, key: str, content_type: str = "application/xml"):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return api_client.generic("POST", URL, body, content_type=content_type)


@pytest.fixture(params=sorted(CASES))
def case(request, db, sim):
    body = family(request.param)
    return body, key_for(sender_of(body)), *CASES[request.param]


def test_a_lodgement_is_taken_sent_answered_and_its_history_shown(
    api_client, case, sim, django_capture_on_commit_callbacks
):
    body, key, reference, final = case
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api_client, body, key)
    assert response.status_code == 202, response.content
    assert response.json()["state"] == "draft"
    sim.deliver()
    detail = api_client.get(f"{URL}/{response.json()['id']}").json()
    assert (detail["businessReference"], detail["state"], detail["kind"]) == (reference, final, "manifest")
    assert {m["role"] for m in detail["messages"]} >= {"submission", "outbound", "transport_ack", "response"}
    assert {m["messageType"] for m in detail["messages"] if m["role"] == "response"} == {"MT9999"}
    moves = [t["toState"] for t in detail["transitions"] if t["action"] == "transition"]
    assert moves[:4] == ["signed", "submitted", "transport_acknowledged", "accepted"]
    assert {b["state"] for b in detail["bills"]} == {final} and detail["bills"]


def test_a_lodgement_from_another_sender_is_refused(api_client, case):
    body, _key, _reference, _final = case
    response = post(api_client, body, key_for("SOMEONEELSE"))
    assert response.status_code == 403 and response.json()["error"]["code"] == "wrong_sender"


def test_an_authoritys_key_lodges_nothing(api_client, case):
    body, _key, _reference, _final = case
    response = post(api_client, body, key_for("CNCUSTOMS", role="customs"))
    assert response.status_code == 403 and response.json()["error"]["code"] == "wrong_role"


def test_a_schema_error_names_the_element(api_client, case):
    body, key, _reference, _final = case
    broken = body.replace(b"<JourneyID>", b"<Journey>", 1).replace(b"</JourneyID>", b"</Journey>", 1)
    response = post(api_client, broken, key)
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "schema"
    assert "Journey" in error["message"] and error["position"]["line"] > 1


def test_the_same_message_twice_is_a_duplicate(api_client, case):
    body, key, _reference, _final = case
    assert post(api_client, body, key).status_code == 202
    response = post(api_client, body, key)
    assert response.status_code == 409 and response.json()["error"]["code"] == "duplicate"


def test_an_oversized_lodgement_is_refused(api_client, case, settings):
    body, key, _reference, _final = case
    settings.CUSTOMS_MAX_MESSAGE_BYTES = len(body) - 1
    response = post(api_client, body, key)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_a_rejected_packing_list_shows_the_reasons_and_its_correction_is_accepted(
    api_client, db, sim, django_capture_on_commit_callbacks
):
    body = family("MT7101_packing_list.xml")
    key = key_for(sender_of(body))
    sim.rules.reject_first.add("MT7101-UN9321483-048W-OOLU1002005")
    with django_capture_on_commit_callbacks(execute=True):
        first = post(api_client, body, key)
    sim.deliver()
    detail = api_client.get(f"{URL}/{first.json()['id']}").json()
    assert detail["state"] == "rejected" and detail["bills"][0]["responseCode"] == "12001"
    corrected = body.replace(b"080000000</MessageID>", b"080000001</MessageID>")
    with django_capture_on_commit_callbacks(execute=True):
        again = post(api_client, corrected, key)
    sim.deliver()
    assert again.status_code == 202 and again.json()["id"] == first.json()["id"]
    detail = api_client.get(f"{URL}/{first.json()['id']}").json()
    assert (detail["state"], detail["version"]) == ("accepted", 2)
