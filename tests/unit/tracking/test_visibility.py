"""Who sees what: operators all; a party what it is named on or proved; the public milestones only."""

import json

import pytest

from tests.unit.tracking.builders import BOX, OTHER_BOX, build_event
from tracking.store import record_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_party):
    """A carrier ships BOX on BL1 for forwarder FWDA, and OTHER_BOX on BL2 for forwarder FWDB."""
    parties = {
        "carrier": make_party("CARRIER", "carrier", name="Blue Ocean Lines"),
        "a": make_party("FWDA", name="Alpha Forwarding"),
        "b": make_party("FWDB", name="Bravo Logistics"),
        "stranger": make_party("FWDC", name="Charlie Cargo"),
    }
    record_events(
        [
            build_event("GTIN", source="CARRIER", parties=("FWDA",), bill="BL1", booking="BK1"),
            build_event("LOAD", source="CARRIER", at="2026-11-26T08:00:00+08:00", bill="BL1"),
            build_event("GTIN", box=OTHER_BOX, source="CARRIER", parties=("FWDB",), bill="BL2"),
            build_event(
                "HOLD", kind="CUSTOMS", authority="CNSHA CUSTOMS", declaration="DECL-778899", at="2026-11-26T09:00:00Z"
            ),
        ]
    )
    return parties


def urls(box: str = BOX, bill: str = "BL1") -> list[str]:
    return [f"/api/v1/containers/{box}", f"/api/v1/shipments/{bill}"]


def test_operators_see_every_container_and_shipment(api_client, operator, world):
    api_client.force_authenticate(operator)
    for url in urls() + urls(OTHER_BOX, "BL2"):
        assert api_client.get(url).status_code == 200


def test_the_sending_carrier_sees_what_it_reported(api_client, world, key_for):
    headers = key_for(world["carrier"])
    for url in urls() + urls(OTHER_BOX, "BL2"):
        assert api_client.get(url, **headers).status_code == 200


def test_a_named_forwarder_sees_its_shipment_in_full_detail(api_client, world, key_for):
    body = api_client.get(f"/api/v1/containers/{BOX}", **key_for(world["a"])).json()
    assert body["customs"]["state"] == "HOLD"
    assert any(e.get("customsEventTypeCode") == "HOLD" for e in body["timeline"])
    assert api_client.get("/api/v1/shipments/BK1", **key_for(world["a"])).status_code == 200


def test_a_forwarder_guessing_anothers_numbers_gets_the_same_404_as_for_unknown_ones(api_client, world, key_for):
    headers = key_for(world["a"])
    for url in urls(OTHER_BOX, "BL2"):
        guessed = api_client.get(url, **headers)
        unknown = api_client.get(url.replace("BL2", "BL404").replace(OTHER_BOX, "ZZZU0000000"), **headers)
        assert guessed.status_code == unknown.status_code == 404
        assert guessed.json()["error"]["code"] == unknown.json()["error"]["code"] == "not_found"
    listed = api_client.get("/api/v1/events", {"equipmentReference": OTHER_BOX}, **headers)
    assert listed.json() == []


def test_a_stranger_sees_nothing_until_it_proves_container_and_bill_of_lading(api_client, world, key_for):
    headers = key_for(world["stranger"])
    assert all(api_client.get(url, **headers).status_code == 404 for url in urls())
    wrong = api_client.post(
        "/api/v1/claims",
        {"equipmentReference": OTHER_BOX, "transportDocumentReference": "BL1"},
        format="json",
        **headers,
    )
    assert wrong.status_code == 202 and wrong.json()["state"] == "pending"
    assert all(api_client.get(url, **headers).status_code == 404 for url in urls())
    right = api_client.post(
        "/api/v1/claims",
        {"equipmentReference": BOX.lower(), "transportDocumentReference": "BL1"},
        format="json",
        **headers,
    )
    assert right.json()["state"] == "proven"
    assert all(api_client.get(url, **headers).status_code == 200 for url in urls())
    assert api_client.get(f"/api/v1/containers/{OTHER_BOX}", **headers).status_code == 404


def test_a_portal_user_sees_what_their_party_sees(api_client, world, django_user_model):
    user = django_user_model.objects.create_user("alice", password="pw-alice-123")
    world["a"].users.add(user)
    api_client.force_login(user)
    assert api_client.get(f"/api/v1/containers/{BOX}").status_code == 200
    assert api_client.get(f"/api/v1/containers/{OTHER_BOX}").status_code == 404


def test_a_portal_user_without_a_party_sees_nothing(api_client, world, django_user_model):
    api_client.force_login(django_user_model.objects.create_user("nobody", password="pw-nobody-123"))
    assert api_client.get(f"/api/v1/containers/{BOX}").status_code == 404
    assert api_client.get("/api/v1/events").json() == []


def test_anonymous_callers_need_credentials_for_detail(api_client, world):
    for url in [*urls(), "/api/v1/events"]:
        response = api_client.get(url)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


def test_the_public_view_shows_milestones_without_parties_customs_or_declarations(api_client, world):
    response = api_client.get(f"/api/v1/public/track/{BOX.lower()}")
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "container"
    assert [m["code"] for m in body["milestones"]] == ["GTIN", "LOAD"]
    text = json.dumps(body)
    for secret in ("CARRIER", "FWDA", "Alpha", "Blue Ocean", "CNSHA CUSTOMS", "DECL-778899", "HOLD", "source"):
        assert secret not in text


def test_the_public_view_finds_a_bill_of_lading_and_answers_404_for_unknown(api_client, world):
    assert api_client.get("/api/v1/public/track/BL1").json()["kind"] == "shipment"
    response = api_client.get("/api/v1/public/track/NOTHING1")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_public_queries_are_rate_limited(api_client, world, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public": "3/minute"})
    answers = [api_client.get(f"/api/v1/public/track/{BOX}").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert api_client.get(f"/api/v1/public/track/{BOX}").json()["error"]["code"] == "throttled"


def test_too_many_unproven_claims_answer_429(api_client, world, key_for):
    from tracking.access import MAX_PENDING_CLAIMS

    headers = key_for(world["stranger"])
    for n in range(MAX_PENDING_CLAIMS):
        body = {"equipmentReference": BOX, "transportDocumentReference": f"G{n}"}
        assert api_client.post("/api/v1/claims", body, format="json", **headers).status_code == 202
    body = {"equipmentReference": BOX, "transportDocumentReference": "BL1"}
    response = api_client.post("/api/v1/claims", body, format="json", **headers)
    assert response.status_code == 429 and response.json()["error"]["code"] == "too_many_claims"


def test_partner_queries_are_rate_limited_per_key(api_client, world, key_for, monkeypatch):
    from tracking.api.throttling import PartnerRateThrottle

    monkeypatch.setattr(PartnerRateThrottle, "THROTTLE_RATES", {"partner": "2/minute"})
    first, second = key_for(world["a"]), key_for(world["b"])
    answers = [api_client.get("/api/v1/events", **first).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert api_client.get("/api/v1/events", **second).status_code == 200  # another key, its own budget


def test_a_throttled_partner_may_call_again_once_its_rate_allows(api_client, world, key_for, monkeypatch):
    from tracking.api.throttling import PartnerRateThrottle

    monkeypatch.setattr(PartnerRateThrottle, "THROTTLE_RATES", {"partner": "2/minute"})
    clock = [1000.0]
    monkeypatch.setattr(PartnerRateThrottle, "timer", lambda self: clock[0])
    headers = key_for(world["a"])
    assert [api_client.get("/api/v1/events", **headers).status_code for _ in range(3)] == [200, 200, 429]
    refused = api_client.get("/api/v1/events", **headers)
    assert refused.status_code == 429 and int(refused["Retry-After"]) == 30
    clock[0] += 30
    assert [api_client.get("/api/v1/events", **headers).status_code for _ in range(2)] == [200, 429]
