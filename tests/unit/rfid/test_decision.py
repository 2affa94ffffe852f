"""The gate decision: customs release and holds when leaving a bonded zone, unknown tags, overrides, speed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rfid.models import GateOverride, GateTransaction
from tests.unit.rfid.conftest import TRUCK_TAG, UNKNOWN_TAG, container, container_tag, reads

pytestmark = pytest.mark.django_db
URL = "/api/v1/rfid/reads"
BOX = container("BOLU", "123456")


@pytest.fixture
def truck(bind):
    bind(TRUCK_TAG, "truck", "沪A12345")


def answer(post, key, *tags, reader="GATE1-OUT-L1"):
    response = post(URL, reads(*tags, at=timezone.now(), reader=reader), key)
    assert response.status_code == 200, response.content
    return response.json()


def codes(body) -> list[str]:
    return [r["code"] for r in body["reasons"]]


def test_leaving_the_bonded_zone_released_opens(out_reader, post, truck, set_customs):
    set_customs(BOX, "RLSD")
    body = answer(post, out_reader[1], TRUCK_TAG, container_tag(BOX))
    assert (body["decision"], body["reasons"]) == ("OPEN", [])


def test_leaving_the_bonded_zone_not_released_holds(out_reader, post, truck, set_customs):
    set_customs(BOX, "ACPT")
    body = answer(post, out_reader[1], TRUCK_TAG, container_tag(BOX))
    assert body["decision"] == "HOLD" and codes(body) == ["NOT_RELEASED"]
    assert body["equipment"] == [{"equipmentReference": BOX, "customsState": "ACPT"}]


def test_an_open_inspection_hold_holds_even_when_released(out_reader, post, truck, set_customs):
    set_customs(BOX, "RLSD", holds=[{"authority": "CIQ", "code": "INSP"}])
    body = answer(post, out_reader[1], TRUCK_TAG, container_tag(BOX))
    assert body["decision"] == "HOLD" and codes(body) == ["ON_HOLD"]


def test_a_container_customs_never_heard_of_holds(out_reader, post, truck):
    body = answer(post, out_reader[1], TRUCK_TAG, container_tag(BOX))
    assert codes(body) == ["NO_CUSTOMS_RECORD"] and body["equipment"][0]["customsState"] is None


def test_an_unknown_tag_holds_with_the_tag_named(out_reader, post, truck):
    body = answer(post, out_reader[1], TRUCK_TAG, UNKNOWN_TAG)
    assert body["decision"] == "HOLD" and body["reasons"][0]["tag"] == UNKNOWN_TAG


def test_an_unbound_gs1_tag_holds(out_reader, post):
    body = answer(post, out_reader[1], "3314257BF40C0E4000000190")
    assert codes(body) == ["UNKNOWN_TAG"]


def test_a_container_bound_by_its_tag_counts_as_that_container(out_reader, post, truck, bind, set_customs):
    set_customs(BOX, "RLSD")
    bind("3414257BF400000000BC6038", "container", BOX.lower())
    body = answer(post, out_reader[1], TRUCK_TAG, "3414257BF400000000BC6038")
    assert body["decision"] == "OPEN" and body["equipment"][0]["equipmentReference"] == BOX


def test_an_expired_binding_is_unknown(out_reader, post, bind):
    from rfid.services import end_binding

    end_binding(bind(TRUCK_TAG, "truck", "沪A12345"))
    assert codes(answer(post, out_reader[1], TRUCK_TAG)) == ["UNKNOWN_TAG"]


def test_entering_needs_no_release(make_reader, post, truck):
    _reader, key = make_reader("GATE1-IN-L2", direction="in", lane="L2")
    body = answer(post, key, TRUCK_TAG, container_tag(BOX), reader="GATE1-IN-L2")
    assert body["decision"] == "OPEN" and body["equipment"] == [{"equipmentReference": BOX, "customsState": None}]
    from tracking.models import Event

    assert Event.objects.get(equipment_reference=BOX).type_code == "GTIN"


def test_an_operator_override_opens_is_audited_and_records_the_gate_event(
    out_reader, post, truck, set_customs, api_client, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    from tracking.models import Event

    set_customs(BOX, "ACPT")
    held = answer(post, out_reader[1], TRUCK_TAG, container_tag(BOX))
    assert held["decision"] == "HOLD" and not Event.objects.exists()
    staff = get_user_model().objects.create_user("op", password="x", is_staff=True)
    api_client.force_authenticate(staff)
    url = f"/api/v1/rfid/transactions/{held['transaction']}/override"
    assert api_client.post(url, {"decision": "OPEN", "reason": ""}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(url, {"decision": "OPEN", "reason": "released on paper, system late"}, format="json")
    assert response.status_code == 200 and response.json()["decision"] == "OPEN"
    assert codes(response.json())[0] == "OVERRIDE"
    entry = GateOverride.objects.get()
    assert (entry.decided_by, entry.decision) == ("user:op", "OPEN")
    assert Event.objects.get(equipment_reference=BOX).type_code == "GTOT"
    api_client.force_authenticate(None)
    again = answer(post, out_reader[1], TRUCK_TAG)  # later reads of the same pass keep the override
    assert again["decision"] == "OPEN" and again["transaction"] == held["transaction"]


def test_a_reader_key_may_not_override(out_reader, post, truck):
    held = answer(post, out_reader[1], UNKNOWN_TAG)
    response = post(
        f"/api/v1/rfid/transactions/{held['transaction']}/override", {"decision": "OPEN", "reason": "x"}, out_reader[1]
    )
    assert response.status_code == 403


def test_overriding_an_unknown_transaction_is_404(api_client, db):
    from django.contrib.auth import get_user_model

    api_client.force_authenticate(get_user_model().objects.create_user("op2", is_staff=True))
    url = "/api/v1/rfid/transactions/00000000-0000-0000-0000-000000000000/override"
    assert api_client.post(url, {"decision": "OPEN", "reason": "x"}, format="json").status_code == 404


def test_a_post_of_a_known_pass_takes_eight_statements_savepoint_included(out_reader, post, truck, set_customs):
    set_customs(BOX, "RLSD")
    answer(post, out_reader[1], TRUCK_TAG, container_tag(BOX))  # first pass: creates rows, records the event
    with CaptureQueriesContext(connection) as queries:
        body = answer(post, out_reader[1], TRUCK_TAG, container_tag(BOX))
    assert body["decision"] == "OPEN"
    # lane's transaction, its observations, bindings, clearance, two updates (speed: bench/rfid.py)
    assert len(queries) <= 8, [q["sql"][:80] for q in queries]
    assert body["decidedIn_ms"] > 0
    assert GateTransaction.objects.get().decided_in_ms == body["decidedIn_ms"]


def test_containers_without_a_known_truck_hold(out_reader, post, set_customs):
    set_customs(BOX, "RLSD")
    body = answer(post, out_reader[1], container_tag(BOX))
    assert body["decision"] == "HOLD" and codes(body) == ["NO_VEHICLE"]


def test_a_store_refusal_does_not_cost_the_reader_its_answer(out_reader, post, truck, set_customs, monkeypatch):
    from rfid import services
    from tracking.exceptions import InvalidEvent

    def refuse(events):
        raise InvalidEvent([{"index": 0, "eventID": None, "path": "[0]", "message": "no"}])

    set_customs(BOX, "RLSD")
    monkeypatch.setattr(services, "record_events", refuse)
    body = answer(post, out_reader[1], TRUCK_TAG, container_tag(BOX))
    tx = GateTransaction.objects.get()
    assert body["decision"] == "OPEN" and tx.events == {} and not tx.events_pending


def test_gate_events_of_several_passes_are_recorded_in_one_batch(make_reader, post, bind, set_customs, settings):
    from rfid.services import record_pending_events
    from tracking.models import Event

    settings.RFID_EVENT_BATCH_MS = 60_000
    boxes = [container("BOLU", f"12345{n}") for n in range(3)]
    for n, box in enumerate(boxes):
        set_customs(box, "RLSD")
        bind(f"33140000000000000000000{n}", "truck", f"T{n}")
    for n, box in enumerate(boxes):  # three lanes, three passes: the first opens a batch, the others wait
        _reader, key = make_reader(f"OUT-{n}", lane=f"L{n}")
        assert (
            answer(post, key, f"33140000000000000000000{n}", container_tag(box), reader=f"OUT-{n}")["decision"]
            == "OPEN"
        )
    assert Event.objects.count() == 1 and GateTransaction.objects.filter(events_pending=True).count() == 2
    assert record_pending_events() == 2
    assert Event.objects.count() == 3 and not GateTransaction.objects.filter(events_pending=True).exists()
    assert record_pending_events() == 0


def test_a_reader_operator_sees_and_overrides_only_the_passes_of_its_own_readers(out_reader, post, truck, api_client):
    from tracking.apikeys import issue_key
    from tracking.models import Party

    held = answer(post, out_reader[1], UNKNOWN_TAG)
    url = f"/api/v1/rfid/transactions/{held['transaction']}"
    mine = Party.objects.create(name="Gate contractor A", edi_id="GATEOPA", role="reader-operator")
    theirs = Party.objects.create(name="Gate contractor B", edi_id="GATEOPB", role="reader-operator")
    out_reader[0].operator = mine
    out_reader[0].save()
    for party, status in ((theirs, 404), (mine, 200)):
        headers = {"HTTP_AUTHORIZATION": f"Api-Key {issue_key(party=party)[1]}"}
        assert api_client.get(url, **headers).status_code == status
        override = api_client.post(f"{url}/override", {"decision": "OPEN", "reason": "x"}, format="json", **headers)
        assert override.status_code == status
    assert [o.decided_by for o in GateOverride.objects.all()] == ["party:GATEOPA"]
