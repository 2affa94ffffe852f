"""``/ws/track/``: subscribe to containers, shipments or a watchlist; a snapshot, then every new event.

Client messages::

    {"action": "subscribe", "containers": ["MSKU1234565"], "shipments": ["BL1"], "watchlist": false}
    {"action": "unsubscribe", "containers": [...], "shipments": [...]}

Server messages: ``{"type": "subscribed", "containers": [...], "shipments": [...], "refused": {...}}``,
``{"type": "snapshot", "events": [...]}`` once per subscription, then ``{"type": "event", "event": {...}}``,
and ``{"type": "withdrawn", "eventID", "equipmentReference", "documentReferences"}`` for an event a
partner's replacement or cancellation withdrew (``tracking.withdrawals``).
Authentication: the portal session, or ``Authorization: Api-Key <key>`` on the handshake.
The visibility rules of the API apply (:mod:`tracking.visibility`): an item the caller may not
see is refused (as an unknown one would be) and the snapshot holds only visible events;
anonymous clients and gate readers are refused at the handshake (the public uses ``/track/``).
The watchlist is every container and shipment the caller's party may see. A socket may send at most
``MAX_REQUESTS`` messages a minute, each list at most ``MAX_SUBSCRIPTIONS`` long (every item is checked
against the visibility rules in the database); more gets an error, and the socket stays open.
"""

from __future__ import annotations

import time
from collections import deque

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed

from tracking.authentication import principal_from_header
from tracking.choices import AccessKind
from tracking.models import Access, Event, Shipment
from tracking.push import container_group, shipment_group
from tracking.queries import normalise_container
from tracking.visibility import Viewer, can_see_container, can_see_shipment, viewer_of, visible_events

MAX_SUBSCRIPTIONS = 500
SNAPSHOT_LIMIT = 200
MAX_REQUESTS = 30  # messages per socket per REQUEST_WINDOW_SECONDS
REQUEST_WINDOW_SECONDS = 60


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
def _viewer(user) -> Viewer:
    return viewer_of(user)


def _watchlist(viewer: Viewer) -> tuple[list[str], list[str]]:
    grants = Access.objects.filter(party_id__in=viewer.party_ids).values_list("kind", "reference")
    containers = sorted({ref for kind, ref in grants if kind == AccessKind.EQUIPMENT})
    shipments = sorted({ref for kind, ref in grants if kind != AccessKind.EQUIPMENT})
    return containers[:MAX_SUBSCRIPTIONS], shipments[:MAX_SUBSCRIPTIONS]


def _problem(content: dict) -> tuple[str, str] | None:
    """What is wrong with a (un)subscribe request's lists, as an error code and message; None if nothing."""
    lists = [content.get(name) for name in ("containers", "shipments")]
    if any(value is not None and not isinstance(value, list) for value in lists):
        return "bad_request", _("containers and shipments are lists of references")
    if any(value is not None and len(value) > MAX_SUBSCRIPTIONS for value in lists):
        return "too_many", _("at most %(n)d subscriptions") % {"n": MAX_SUBSCRIPTIONS}
    if any(isinstance(item, str) and "\x00" in item for value in lists for item in value or []):
        # PostgreSQL text cannot hold NUL: the lookup would fail, so the request does
        return "invalid", _("A container or shipment reference contains a NUL character.")
    return None


@database_sync_to_async
def _resolve(viewer: Viewer, content: dict) -> dict:
    """The visible items of a (un)subscribe request, their groups and the refused ones."""
    containers = [normalise_container(c) for c in content.get("containers") or [] if isinstance(c, str)]
    shipments = [s.strip()[:35] for s in content.get("shipments") or [] if isinstance(s, str)]
    if content.get("watchlist") is True and not viewer.everything:
        more_containers, more_shipments = _watchlist(viewer)
        containers, shipments = containers + more_containers, shipments + more_shipments
    containers = list(dict.fromkeys(c for c in containers if c))[:MAX_SUBSCRIPTIONS]
    shipments = list(dict.fromkeys(s for s in shipments if s))[:MAX_SUBSCRIPTIONS]
    ok_containers = [c for c in containers if can_see_container(viewer, c)]
    groups = [container_group(c) for c in ok_containers]
    ok_shipments = []
    for reference in shipments:
        kinds = Shipment.objects.filter(reference=reference).values_list("kind", flat=True)
        visible = [kind for kind in kinds if can_see_shipment(viewer, kind, reference)]
        if visible:
            ok_shipments.append(reference)
            groups += [shipment_group(kind, reference) for kind in visible]
    return {
        "containers": ok_containers,
        "shipments": ok_shipments,
        "refused": {
            "containers": [c for c in containers if c not in ok_containers],
            "shipments": [s for s in shipments if s not in ok_shipments],
        },
        "groups": groups,
    }


@database_sync_to_async
def _snapshot(viewer: Viewer, containers: list[str], shipments: list[str]) -> list[dict]:
    """The latest visible events of these containers and shipments, oldest first."""
    query = Q(equipment_reference__in=containers) | Q(carrier_booking_reference__in=shipments)
    query |= Q(transport_document_reference__in=shipments)
    rows = visible_events(viewer, Event.objects.filter(query)).order_by("-event_datetime", "-event_id")
    return list(reversed(rows.values_list("payload", flat=True)[:SNAPSHOT_LIMIT]))


def _error(code: str, message: str) -> dict:
    return {"type": "error", "error": {"code": code, "message": message, "position": None}}


class TrackConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        principal = user if user is not None and user.is_authenticated else None
        if principal is None:
            principal = await _principal_from_headers(self.scope.get("headers", []))
        if principal is None:
            await self.close(code=4401)
            return
        self.viewer = await _viewer(principal)
        if self.viewer.is_public and getattr(principal, "reader", None) is not None:
            await self.close(code=4403)
            return
        self.groups_joined: set[str] = set()
        self.in_snapshot: set[str] = set()
        self.recent: deque[float] = deque()  # when this socket's latest messages came
        await self.accept()

    def _over_rate(self) -> bool:
        """Whether this message is one too many for the window (it is counted when it is not)."""
        now = time.monotonic()
        while self.recent and now - self.recent[0] > REQUEST_WINDOW_SECONDS:
            self.recent.popleft()
        if len(self.recent) >= MAX_REQUESTS:
            return True
        self.recent.append(now)
        return False

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", ()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        if self._over_rate():
            message = _("at most %(n)d messages a minute") % {"n": MAX_REQUESTS}
            await self.send_json(_error("rate_limited", message))
            return
        if not isinstance(content, dict) or content.get("action") not in ("subscribe", "unsubscribe"):
            await self.send_json(_error("bad_request", _("unknown action; use subscribe or unsubscribe")))
            return
        problem = _problem(content)
        if problem is not None:
            await self.send_json(_error(*problem))
            return
        resolved = await _resolve(self.viewer, content)
        if content["action"] == "unsubscribe":
            for group in resolved["groups"]:
                await self.channel_layer.group_discard(group, self.channel_name)
                self.groups_joined.discard(group)
            return
        new = [g for g in resolved["groups"] if g not in self.groups_joined]
        if len(self.groups_joined) + len(new) > MAX_SUBSCRIPTIONS:
            await self.send_json(_error("too_many", _("at most %(n)d subscriptions") % {"n": MAX_SUBSCRIPTIONS}))
            return
        for group in new:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.add(group)
        # The snapshot is read after the groups are joined, so an event committed meanwhile is in it,
        # or pushed, or both; one pushed that the snapshot already held is not sent twice.
        events = await _snapshot(self.viewer, resolved["containers"], resolved["shipments"])
        self.in_snapshot = {event.get("eventID") for event in events}
        await self.send_json(
            {
                "type": "subscribed",
                "containers": resolved["containers"],
                "shipments": resolved["shipments"],
                "refused": resolved["refused"],
            }
        )
        await self.send_json({"type": "snapshot", "events": events})

    async def track_withdrawn(self, message: dict) -> None:
        """An event a replacement or cancellation withdrew: its ID and the references it was filed under."""
        await self.send_json({"type": "withdrawn", **message["event"]})

    async def track_event(self, message: dict) -> None:
        if message["event"].get("eventID") in self.in_snapshot:
            return
        await self.send_json({"type": "event", "event": message["event"]})
