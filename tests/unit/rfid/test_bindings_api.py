"""``/api/v1/rfid/bindings``: which tag is on which truck, trailer or container, with validity periods."""

from __future__ import annotations

import pytest

from rfid.models import TagBinding
from tests.unit.rfid.conftest import TRUCK_TAG

pytestmark = pytest.mark.django_db
URL = "/api/v1/rfid/bindings"


@pytest.fixture
def operator_client(api_client):
    from tracking.apikeys import issue_key
    from tracking.models import Party

    _key, clear = issue_key(party=Party.objects.create(name="Gate Ops", edi_id="GATEOPS", role="reader-operator"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {clear}")
    return api_client


def test_binding_a_tag_by_hex_stores_its_epc_uri_and_who_bound_it(operator_client):
    response = operator_client.post(
        URL, {"tag": TRUCK_TAG.lower(), "kind": "truck", "reference": "沪A12345"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["tag"], body["createdBy"], body["validTo"]) == (
        "urn:epc:id:sgtin:0614141.812345.6789",
        "party:GATEOPS",
        None,
    )


def test_rebinding_a_tag_ends_its_open_binding(operator_client):
    operator_client.post(
        URL, {"tag": TRUCK_TAG, "kind": "truck", "reference": "A1", "validFrom": "2026-01-01T00:00:00Z"}, format="json"
    )
    operator_client.post(
        URL,
        {"tag": TRUCK_TAG, "kind": "trailer", "reference": "T9", "validFrom": "2026-06-01T00:00:00Z"},
        format="json",
    )
    old, new = TagBinding.objects.order_by("valid_from")
    assert old.valid_to == new.valid_from and new.valid_to is None
    current = operator_client.get(URL, {"at": "2026-07-01T00:00:00Z"}).json()
    assert [b["reference"] for b in current] == ["T9"]


def test_a_binding_of_what_is_not_a_tag_is_400_with_position(operator_client):
    response = operator_client.post(URL, {"tag": "not-a-tag", "kind": "truck", "reference": "A1"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["position"] == "$.tag"
    response = operator_client.post(URL, {"tag": TRUCK_TAG, "kind": "bicycle", "reference": "A1"}, format="json")
    assert response.status_code == 400


def test_deleting_a_binding_ends_it_and_keeps_the_history(operator_client):
    made = operator_client.post(URL, {"tag": TRUCK_TAG, "kind": "truck", "reference": "A1"}, format="json").json()
    response = operator_client.delete(f"{URL}/{made['id']}")
    assert response.status_code == 200 and response.json()["validTo"] is not None
    assert TagBinding.objects.count() == 1


def test_readers_and_forwarders_may_not_bind(api_client, out_reader, party_key):
    for key in (out_reader[1], party_key):
        api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        assert (
            api_client.post(URL, {"tag": TRUCK_TAG, "kind": "truck", "reference": "A1"}, format="json").status_code
            == 403
        )


def test_a_container_is_bound_by_a_valid_iso_6346_number(operator_client):
    bad = operator_client.post(URL, {"tag": TRUCK_TAG, "kind": "container", "reference": "BOLU1234565"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["position"] == "$.reference"
    good = operator_client.post(URL, {"tag": TRUCK_TAG, "kind": "container", "reference": "bolu1234564"}, format="json")
    assert good.status_code == 201 and good.json()["reference"] == "BOLU1234564"
