"""``/ws/track/``: the API's visibility rules, a snapshot on subscribe, then events pushed after commit."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from hub.asgi import application
from tests.unit.tracking.builders import BOX, OTHER_BOX, build_event
from tracking.push import send_event_now
from tracking.store import record_events

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("sync_thread_connections_closed"),
]


async def connect(user=None, headers=()) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application, "/ws/track/", headers=[(b"origin", b"http://127.0.0.1"), *headers]
    )
    if user is not None:
        communicator.scope["user"] = user
    return communicator


@sync_to_async
def make_world():
    from tracking.apikeys import issue_key
    from tracking.models import Party

    Party.objects.create(name="Carrier", edi_id="CARRIER", role="carrier")
    forwarder = Party.objects.create(name="Alpha", edi_id="FWDA", role="forwarder")
    record_events(
        [
            build_event("GTIN", source="CARRIER", parties=("FWDA",), bill="BL1"),
            build_event("GTIN", box=OTHER_BOX, source="CARRIER", bill="BL2"),
        ]
    )
    _key, clear = issue_key(party=forwarder)
    return [(b"authorization", f"Api-Key {clear}".encode())]


async def subscribe(communicator, **request) -> tuple[dict, dict]:
    await communicator.send_json_to({"action": "subscribe", **request})
    return await communicator.receive_json_from(timeout=2), await communicator.receive_json_from(timeout=2)


async def test_anonymous_clients_are_refused():
    communicator = await connect()
    connected, code = await communicator.connect()
    assert not connected and code == 4401


async def test_a_gate_readers_key_is_refused():
    from rfid.services import add_reader

    _reader, clear = await sync_to_async(add_reader)("GATE7-IN", gate="GATE7", direction="in")
    communicator = await connect(headers=[(b"authorization", f"Api-Key {clear}".encode())])
    connected, code = await communicator.connect()
    assert not connected and code == 4403


async def test_an_operator_gets_a_snapshot_then_every_new_event(django_user_model):
    user = await sync_to_async(django_user_model.objects.create_user)("op", password="x-123456789", is_staff=True)
    first = build_event("GTIN")
    await sync_to_async(record_events)([first])
    communicator = await connect(user)
    assert (await communicator.connect())[0]
    subscribed, snapshot = await subscribe(communicator, containers=[BOX.lower()])
    assert subscribed["containers"] == [BOX]
    assert [e["eventID"] for e in snapshot["events"]] == [first["eventID"]]
    newer = build_event("LOAD")
    await sync_to_async(send_event_now)(newer)
    assert await communicator.receive_json_from(timeout=2) == {"type": "event", "event": newer}
    await communicator.disconnect()


async def test_a_partner_is_refused_per_item_it_may_not_see_and_its_snapshot_is_filtered():
    headers = await make_world()
    communicator = await connect(headers=headers)
    assert (await communicator.connect())[0]
    subscribed, snapshot = await subscribe(communicator, containers=[BOX, OTHER_BOX], shipments=["BL1", "BL2"])
    assert (subscribed["containers"], subscribed["shipments"]) == ([BOX], ["BL1"])
    assert subscribed["refused"] == {"containers": [OTHER_BOX], "shipments": ["BL2"]}
    assert {e["equipmentReference"] for e in snapshot["events"]} == {BOX}
    await sync_to_async(send_event_now)(build_event("LOAD", box=OTHER_BOX, bill="BL2"))
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_the_watchlist_subscribes_everything_the_party_may_see():
    headers = await make_world()
    communicator = await connect(headers=headers)
    await communicator.connect()
    subscribed, snapshot = await subscribe(communicator, watchlist=True)
    assert (subscribed["containers"], subscribed["shipments"]) == ([BOX], ["BL1"])
    assert len(snapshot["events"]) == 1
    await communicator.disconnect()


async def test_recorded_events_are_pushed_only_after_their_transaction_commits():
    headers = await make_world()
    communicator = await connect(headers=headers)
    await communicator.connect()
    await subscribe(communicator, containers=[BOX])
    event = build_event("LOAD", bill="BL1")

    def record_then_roll_back():
        with transaction.atomic():
            record_events([event])
            transaction.set_rollback(True)

    await sync_to_async(record_then_roll_back)()
    assert await communicator.receive_nothing(timeout=0.3)
    await sync_to_async(record_events)([event])
    pushed = await communicator.receive_json_from(timeout=2)
    assert pushed["event"]["eventID"] == event["eventID"]
    await communicator.disconnect()


async def test_an_unknown_action_gets_an_error_not_a_disconnect(django_user_model):
    user = await sync_to_async(django_user_model.objects.create_user)("op2", password="x-123456789", is_staff=True)
    communicator = await connect(user)
    await communicator.connect()
    await communicator.send_json_to({"action": "explode"})
    answer = await communicator.receive_json_from(timeout=2)
    assert answer["type"] == "error" and answer["error"]["code"] == "bad_request"
    await communicator.disconnect()


async def test_an_event_committed_while_subscribing_arrives_once_in_the_snapshot_not_lost_or_doubled(
    django_user_model, monkeypatch
):
    from tracking import consumers

    user = await sync_to_async(django_user_model.objects.create_user)("op2", password="x-123456789", is_staff=True)
    racing = build_event("DISC")
    original = consumers._snapshot

    async def snapshot_after_a_racing_commit(*args):
        await sync_to_async(record_events)([racing])  # joined already: its push reaches this client too
        await sync_to_async(send_event_now)(racing)
        return await original(*args)

    monkeypatch.setattr(consumers, "_snapshot", snapshot_after_a_racing_commit)
    communicator = await connect(user)
    assert (await communicator.connect())[0]
    _subscribed, snapshot = await subscribe(communicator, containers=[BOX])
    assert [e["eventID"] for e in snapshot["events"]] == [racing["eventID"]]
    assert await communicator.receive_nothing(timeout=0.5)
    later = build_event("GTOT")
    await sync_to_async(send_event_now)(later)
    assert (await communicator.receive_json_from(timeout=2))["event"]["eventID"] == later["eventID"]
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("request_body", "code"),
    [
        ({"containers": ["MSKU\x001234565"]}, "invalid"),
        ({"shipments": ["BL\x001"]}, "invalid"),
        ({"containers": 5}, "bad_request"),
        ({"shipments": "BL1"}, "bad_request"),
    ],
)
async def test_a_malformed_or_nul_reference_gets_an_error_and_the_socket_stays_open(
    django_user_model, request_body, code
):
    user = await sync_to_async(django_user_model.objects.create_user)("op3", password="x-123456789", is_staff=True)
    await sync_to_async(record_events)([build_event("GTIN")])
    communicator = await connect(user)
    await communicator.connect()
    await communicator.send_json_to({"action": "subscribe", **request_body})
    answer = await communicator.receive_json_from(timeout=2)
    assert answer["type"] == "error" and answer["error"]["code"] == code
    subscribed, snapshot = await subscribe(communicator, containers=[BOX])  # the next request still works
    assert subscribed["containers"] == [BOX] and len(snapshot["events"]) == 1
    await communicator.disconnect()


async def test_a_socket_flooding_requests_is_told_to_slow_down_and_stays_open(monkeypatch):
    from tracking import consumers

    monkeypatch.setattr(consumers, "MAX_REQUESTS", 3)
    communicator = await connect(headers=await make_world())
    assert (await communicator.connect())[0]
    for _ in range(3):
        subscribed, _snapshot = await subscribe(communicator, containers=[BOX])
        assert subscribed["type"] == "subscribed"
    await communicator.send_json_to({"action": "subscribe", "containers": [BOX]})
    refused = await communicator.receive_json_from(timeout=2)
    assert refused["type"] == "error" and refused["error"]["code"] == "rate_limited"
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_a_list_longer_than_the_subscription_limit_is_refused_before_any_lookup(django_user_model):
    from tracking import consumers

    operator = await sync_to_async(django_user_model.objects.create_user)("ops", is_staff=True)
    communicator = await connect(user=operator)
    assert (await communicator.connect())[0]
    too_many = [f"MSKU{n:07d}" for n in range(consumers.MAX_SUBSCRIPTIONS + 1)]
    await communicator.send_json_to({"action": "subscribe", "containers": too_many})
    refused = await communicator.receive_json_from(timeout=2)
    assert refused["error"]["code"] == "too_many"
    await communicator.disconnect()


async def test_a_withdrawn_event_is_announced_and_leaves_the_next_snapshot(django_user_model):
    from datetime import datetime

    from tracking.withdrawals import document_key, withdraw

    user = await sync_to_async(django_user_model.objects.create_user)("op", password="x-123456789", is_staff=True)
    wrong = build_event("LOAD", bill="BL1")
    wrong["source"]["document"] = {"type": "IFTSTA", "number": "ST-1", "function": "9"}
    await sync_to_async(record_events)([wrong])
    communicator = await connect(user)
    assert (await communicator.connect())[0]
    _subscribed, snapshot = await subscribe(communicator, containers=[BOX])
    assert [e["eventID"] for e in snapshot["events"]] == [wrong["eventID"]]

    def cancel() -> None:
        with transaction.atomic():  # told once the withdrawal commits
            key = document_key("TESTCARRIER", "IFTSTA", "ST-1")
            withdraw(key, function="1", created=datetime.fromisoformat("2026-11-30T00:00:00+00:00"), kept=[])

    await sync_to_async(cancel)()
    assert await communicator.receive_json_from(timeout=2) == {
        "type": "withdrawn",
        "eventID": wrong["eventID"],
        "equipmentReference": BOX,
        "documentReferences": [{"documentReferenceType": "TRD", "documentReferenceValue": "BL1"}],
    }
    _subscribed, snapshot = await subscribe(communicator, containers=[BOX])
    assert snapshot["events"] == []
    await communicator.disconnect()
