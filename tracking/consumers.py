"""``/ws/track/``: subscribe to containers or shipments, receive a snapshot, then every new event.

Client messages: ``{"action": "subscribe", "containers": [...], "shipments": [...]}`` and
``{"action": "unsubscribe", ...}``. Server messages: ``{"type": "snapshot", "events": [...]}``
once per subscription, then ``{"type": "event", "event": {...}}``.
Authentication: the portal session, or ``Authorization: Api-Key <key>`` on the handshake.
Until per-party visibility lands (tracking store issue), only operators (staff) may subscribe;
everyone else is refused at the handshake rather than shown others' containers.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from rest_framework.exceptions import AuthenticationFailed

from tracking.authentication import principal_from_header
from tracking.models import Event
from tracking.push import container_group, shipment_group

MAX_SUBSCRIPTIONS = 500
SNAPSHOT_LIMIT = 200


@database_sync_to_async
def _principal_from_headers(headers: list[tuple[bytes, bytes]]):
    for name, value in headers:
        if name.lower() == b"authorization":
            try:
                return principal_from_header(value.decode("latin-1"))
            except AuthenticationFailed:
                return None
    return None


@database_sync_to_async
def _snapshot(containers: list[str], shipments: list[str]) -> list[dict]:
    from django.db.models import Q

    query = Q(equipment_reference__in=containers) | Q(carrier_booking_reference__in=shipments)
    query |= Q(transport_document_reference__in=shipments)
    rows = Event.objects.filter(query).order_by("event_datetime")[:SNAPSHOT_LIMIT]
    return [row.payload for row in rows]


class TrackConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        self.principal = user if user is not None and user.is_authenticated else None
        if self.principal is None:
            self.principal = await _principal_from_headers(self.scope.get("headers", []))
        if self.principal is None:
            await self.close(code=4401)
            return
        if not self.principal.is_staff:
            await self.close(code=4403)
            return
        self.groups_joined: set[str] = set()
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", ()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        if not isinstance(content, dict) or content.get("action") not in ("subscribe", "unsubscribe"):
            await self.send_json({"type": "error", "error": {"code": "bad_request", "message": "unknown action"}})
            return
        containers = [str(c).upper() for c in content.get("containers") or [] if isinstance(c, str)][:MAX_SUBSCRIPTIONS]
        shipments = [str(s) for s in content.get("shipments") or [] if isinstance(s, str)][:MAX_SUBSCRIPTIONS]
        groups = [container_group(c) for c in containers] + [shipment_group(s) for s in shipments]
        if content["action"] == "unsubscribe":
            for group in groups:
                await self.channel_layer.group_discard(group, self.channel_name)
                self.groups_joined.discard(group)
            return
        if len(self.groups_joined) + len(groups) > MAX_SUBSCRIPTIONS:
            await self.send_json({"type": "error", "error": {"code": "too_many", "message": "subscription limit"}})
            return
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.add(group)
        await self.send_json({"type": "snapshot", "events": await _snapshot(containers, shipments)})

    async def track_event(self, message: dict) -> None:
        await self.send_json({"type": "event", "event": message["event"]})
