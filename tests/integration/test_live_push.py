"""A live Daphne server over the Redis channel layer: websocket push from another process, and /healthz."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import urllib.error
import urllib.request
import uuid

import pytest
from websockets.exceptions import InvalidStatus

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CONTAINER = "MSCU1234565"


def session_cookie(user) -> str:
    """Log the user in through Django's session engine (the test database) and return the Cookie header."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def make_user(staff: bool):
    from django.contrib.auth import get_user_model

    name = f"{'operator' if staff else 'visitor'}-{uuid.uuid4().hex[:8]}"
    return get_user_model().objects.create_user(username=name, password=uuid.uuid4().hex, is_staff=staff)


def connect(server, cookie: str | None = None, origin: str | None = None):
    from websockets.asyncio.client import connect as ws_connect

    headers = {"Cookie": cookie} if cookie else {}
    return ws_connect(
        f"{server.ws}/ws/track/",
        additional_headers=headers,
        origin=origin or server.http,
        open_timeout=10,
        close_timeout=5,
        proxy=None,
    )


def handshake_status(server, cookie: str | None = None, origin: str | None = None) -> int:
    """The HTTP status that refused the handshake (101 when it was accepted)."""

    async def attempt() -> int:
        try:
            async with connect(server, cookie, origin):
                return 101
        except InvalidStatus as exc:
            return exc.response.status_code

    return asyncio.run(attempt())


def test_healthz_of_the_live_daphne_reports_postgresql_rabbitmq_and_redis_ok(live_daphne):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{live_daphne.http}/healthz", timeout=15) as response:
            status, body = response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        pytest.fail(f"/healthz answered {exc.code}: {exc.read()[:2000]!r}\ndaphne log:\n{live_daphne.process.log()}")
    assert status == 200, body
    checks = body["checks"]
    assert body["status"] == "ok"
    assert all(checks[name]["ok"] for name in ("database", "broker", "channel_layer")), checks
    assert checks["database"]["vendor"] == "postgresql"
    assert checks["broker"]["kind"] == "amqp"
    assert checks["channel_layer"]["kind"] == "RedisChannelLayer"


def an_event(container: str = CONTAINER) -> dict:
    return {
        "eventID": str(uuid.uuid4()),
        "eventType": "EQUIPMENT",
        "eventClassifierCode": "ACT",
        "equipmentEventTypeCode": "GTIN",
        "equipmentReference": container,
        "eventDateTime": "2026-11-25T08:00:00+08:00",
        "eventCreatedDateTime": "2026-11-25T08:00:01+08:00",
    }


async def receive(websocket, kind: str, timeout: float = 10) -> tuple[dict, list[dict]]:
    """The next message of type ``kind``, and the messages before it."""
    before = []
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await websocket.recv())
            if message.get("type") == kind:
                return message, before
            before.append(message)


async def nothing_within(websocket, seconds: float) -> list[dict]:
    received = []
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            while True:
                received.append(json.loads(await websocket.recv()))
    return received


@pytest.mark.django_db(transaction=True)
def test_a_staff_websocket_gets_its_snapshot_then_an_event_sent_on_the_redis_channel_layer(live_daphne):
    from tracking.push import send_event_now

    cookie = session_cookie(make_user(staff=True))
    event = an_event()

    async def session():
        async with connect(live_daphne, cookie) as websocket:
            await websocket.send(json.dumps({"action": "subscribe", "containers": [CONTAINER]}))
            snapshot, before = await receive(websocket, "snapshot")
            sent = time.perf_counter()
            # this test process -> Redis -> daphne -> websocket (async_to_sync needs a thread without a loop)
            await asyncio.to_thread(send_event_now, event)
            pushed, _ = await receive(websocket, "event")
            return snapshot, before, pushed, time.perf_counter() - sent

    snapshot, before, pushed, seconds = asyncio.run(session())
    assert isinstance(snapshot["events"], list)
    subscribed = [m for m in before if m.get("type") == "subscribed"]
    assert not subscribed or subscribed[0]["containers"] == [CONTAINER], before
    assert pushed == {"type": "event", "event": event}
    assert seconds < 5


@pytest.mark.django_db(transaction=True)
def test_a_portal_user_without_a_grant_is_refused_the_container_and_gets_none_of_its_events(live_daphne):
    from tracking.push import send_event_now

    cookie = session_cookie(make_user(staff=False))

    async def session():
        async with connect(live_daphne, cookie) as websocket:
            await websocket.send(json.dumps({"action": "subscribe", "containers": [CONTAINER]}))
            snapshot, before = await receive(websocket, "snapshot")
            await asyncio.to_thread(send_event_now, an_event())
            return snapshot, before, await nothing_within(websocket, 1.5)

    try:
        snapshot, before, after = asyncio.run(session())
    except InvalidStatus as exc:  # refusing such a user at the handshake is as good
        assert exc.response.status_code == 403
        return
    assert snapshot["events"] == []
    assert after == [], "an event of a container the user may not see reached them"
    subscribed = [m for m in before if m.get("type") == "subscribed"]
    assert subscribed and subscribed[0]["containers"] == [] and subscribed[0]["refused"]["containers"] == [CONTAINER]


def test_an_anonymous_websocket_is_refused(live_daphne):
    assert handshake_status(live_daphne) == 403


@pytest.mark.django_db(transaction=True)
def test_a_websocket_from_a_foreign_origin_is_refused_even_with_a_staff_session(live_daphne):
    cookie = session_cookie(make_user(staff=True))
    assert handshake_status(live_daphne, cookie, origin="http://evil.example") == 403
    assert handshake_status(live_daphne, cookie) == 101
