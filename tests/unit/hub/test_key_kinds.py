"""Every endpoint refuses the wrong kind of caller: no key, a gate reader's key, a party's key, a non-operator login."""

import uuid

import pytest

pytestmark = pytest.mark.django_db

SOME_ID = str(uuid.uuid4())
PARTY_ENDPOINTS = [
    ("get", "/api/v1/events"),
    ("get", "/api/v1/containers/MSKU1234565"),
    ("get", "/api/v1/shipments/BL1"),
    ("get", "/api/v1/subscriptions"),
    ("post", "/api/v1/subscriptions"),
    ("delete", f"/api/v1/subscriptions/{SOME_ID}"),
    ("post", "/api/v1/claims"),
    ("post", "/api/v1/edi/inbound"),
    ("get", f"/api/v1/edi/messages/{SOME_ID}"),
    ("get", f"/api/v1/edi/messages/{SOME_ID}/ack"),
    ("post", "/api/v1/customs/declarations"),
    ("get", f"/api/v1/customs/declarations/{SOME_ID}"),
    ("get", f"/api/v1/customs/declarations/{SOME_ID}/audit"),
    ("post", "/api/v1/customs/responses"),
    ("get", "/api/v1/rfid/bindings"),
    ("post", "/api/v1/rfid/bindings"),
    ("get", f"/api/v1/rfid/transactions/{SOME_ID}"),
    ("post", f"/api/v1/rfid/transactions/{SOME_ID}/override"),
    ("get", "/api/v1/epcis/events"),
]
READER_ENDPOINTS = [
    ("post", "/api/v1/rfid/reads"),
    ("post", "/api/v1/rfid/heartbeat"),
    ("post", "/api/v1/epcis/capture"),
]


@pytest.fixture
def keys():
    from rfid.models import Reader
    from tracking.apikeys import issue_key
    from tracking.models import Party

    reader = Reader.objects.create(reader_id="GATE9-OUT-L1", gate="GATE9", direction="out")
    forwarder = Party.objects.create(name="Forwarder", edi_id="FWDKIND", role="forwarder")
    return {"reader": issue_key(reader=reader)[1], "forwarder": issue_key(party=forwarder)[1]}


def call(api_client, method: str, path: str, key: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    return getattr(api_client, method)(path, {}, format="json", **headers)


@pytest.mark.parametrize(("method", "path"), PARTY_ENDPOINTS + READER_ENDPOINTS)
def test_no_key_is_401(api_client, method, path):
    response = call(api_client, method, path, None)
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "path"), PARTY_ENDPOINTS)
def test_a_gate_readers_key_reaches_no_partys_endpoint(api_client, keys, method, path):
    response = call(api_client, method, path, keys["reader"])
    assert response.status_code in (403, 404), response.content  # 404: the same answer as for an unknown id
    assert "error" in response.json()


@pytest.mark.parametrize(("method", "path"), READER_ENDPOINTS)
def test_a_partys_key_posts_no_gate_reads(api_client, keys, method, path):
    response = call(api_client, method, path, keys["forwarder"])
    assert response.status_code == 403 and "error" in response.json()


def test_a_forgotten_or_forged_key_is_401_and_never_echoed(api_client, keys):
    forged = keys["forwarder"][:-4] + "AAAA"
    response = call(api_client, "get", "/api/v1/events", forged)
    assert response.status_code == 401 and forged not in response.content.decode()
    assert keys["forwarder"][10:] not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/portal/ops/", "/portal/ops/messages/", "/portal/ops/gates/", "/portal/ops/customs/", "/admin/tracking/apikey/"],
)
def test_a_forwarders_login_reaches_no_operators_page(client, django_user_model, path):
    client.force_login(django_user_model.objects.create_user("fwd", password="pw-forwarder-1"))
    response = client.get(path)
    assert response.status_code == 302 and "login" in response["Location"]
