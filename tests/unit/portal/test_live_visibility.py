"""The dashboard's websocket subscription: a forwarder never receives another forwarder's container."""

from io import StringIO

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.management import call_command

from hub.asgi import application
from tests.unit.portal.conftest import DEMO, OTHER, event
from tracking.access import claim
from tracking.models import Party
from tracking.push import send_event_now
from tracking.store import record_events

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("sync_thread_connections_closed"),
]


@sync_to_async
def world(django_user_model):
    call_command("seed_demo", stdout=StringIO())
    other = Party.objects.create(name="Other Forwarding Ltd", edi_id="OTHERFWD", role="forwarder")
    record_events(
        [event(OTHER, documentReferences=[{"documentReferenceType": "TRD", "documentReferenceValue": "OTHERBL1"}])]
    )
    claim(other, OTHER, "OTHERBL1")
    return django_user_model.objects.get(username="forwarder")


async def test_the_dashboards_subscription_refuses_another_forwarders_container(django_user_model):
    user = await world(django_user_model)
    communicator = WebsocketCommunicator(application, "/ws/track/", headers=[(b"origin", b"http://127.0.0.1")])
    communicator.scope["user"] = user
    assert (await communicator.connect())[0]
    await communicator.send_json_to({"action": "subscribe", "containers": [DEMO, OTHER], "shipments": ["OTHERBL1"]})
    subscribed = await communicator.receive_json_from(timeout=3)
    snapshot = await communicator.receive_json_from(timeout=3)
    assert subscribed["containers"] == [DEMO]
    assert subscribed["refused"] == {"containers": [OTHER], "shipments": ["OTHERBL1"]}
    assert {e["equipmentReference"] for e in snapshot["events"]} == {DEMO}
    await sync_to_async(send_event_now)(event(OTHER, "LOAD"))
    mine = event(DEMO, "GTOT", place="NLRTM")
    await sync_to_async(send_event_now)(mine)
    assert await communicator.receive_json_from(timeout=3) == {"type": "event", "event": mine}
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()
