"""``/ws/track/``: refused without a login, snapshot on subscribe, then events pushed after commit."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from hub.asgi import application
from tracking.events import event_id
from tracking.push import send_event_now

EVENT = {
    "eventID": event_id("test", 1),
    "eventType": "EQUIPMENT",
    "eventClassifierCode": "ACT",
    "equipmentEventTypeCode": "GTIN",
    "eventDateTime": "2026-11-25T08:00:00+08:00",
    "eventCreatedDateTime": "2026-11-25T08:00:05+08:00",
    "equipmentReference": "MSKU1234565",
}


async def connect(user=None) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/track/", headers=[(b"origin", b"http://127.0.0.1")])
    if user is not None:
        communicator.scope["user"] = user
    return communicator


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_anonymous_clients_are_refused():
    communicator = await connect()
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4401


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_logged_in_non_operator_is_refused_until_visibility_rules_exist(django_user_model):
    user = await sync_to_async(django_user_model.objects.create_user)("fwd", password="x-123456789")
    communicator = await connect(user)
    connected, code = await communicator.connect()
    assert not connected and code == 4403


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_operator_gets_a_snapshot_then_every_new_event(django_user_model):
    from tracking.store import record_events

    user = await sync_to_async(django_user_model.objects.create_user)("op", password="x-123456789", is_staff=True)
    await sync_to_async(record_events)([EVENT])
    communicator = await connect(user)
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"action": "subscribe", "containers": ["msku1234565"]})
    snapshot = await communicator.receive_json_from(timeout=2)
    assert snapshot["type"] == "snapshot"
    assert [e["eventID"] for e in snapshot["events"]] == [EVENT["eventID"]]
    newer = {**EVENT, "eventID": event_id("test", 2), "equipmentEventTypeCode": "LOAD"}
    await sync_to_async(send_event_now)(newer)
    pushed = await communicator.receive_json_from(timeout=2)
    assert pushed == {"type": "event", "event": newer}
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_unknown_action_gets_an_error_not_a_disconnect(django_user_model):
    user = await sync_to_async(django_user_model.objects.create_user)("op2", password="x-123456789", is_staff=True)
    communicator = await connect(user)
    await communicator.connect()
    await communicator.send_json_to({"action": "explode"})
    answer = await communicator.receive_json_from(timeout=2)
    assert answer["type"] == "error"
    await communicator.disconnect()
