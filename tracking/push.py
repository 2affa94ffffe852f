"""Live push: the channel-layer groups of containers and shipments, and sending after commit.

A container's group is ``track.container.<number>``; a shipment's is
``track.shipment.<BKG|TRD>.<sha1 of the reference>`` (group names allow only ASCII letters,
digits, hyphens, underscores and periods). Events are sent only once their transaction has
committed, so no client ever sees an event that was rolled back.
"""

from __future__ import annotations

import hashlib

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from tracking.choices import ShipmentKind


def container_group(number: str) -> str:
    return f"track.container.{number.upper()}"


def shipment_group(kind: str, reference: str) -> str:
    return f"track.shipment.{kind}." + hashlib.sha1(reference.encode("utf-8")).hexdigest()


def groups_of(event: dict) -> list[str]:
    groups = []
    if event.get("equipmentReference"):
        groups.append(container_group(event["equipmentReference"]))
    for ref in event.get("documentReferences") or ():
        if ref.get("documentReferenceType") in ShipmentKind.values:
            groups.append(shipment_group(ref["documentReferenceType"], ref["documentReferenceValue"]))
    return groups


async def _send(layer, events: list[dict]) -> None:
    for event in events:
        for group in groups_of(event):
            await layer.group_send(group, {"type": "track.event", "event": event})


def send_events_now(events: list[dict]) -> None:
    """Send events to their groups, in order, in one trip into an event loop.

    Each ``async_to_sync`` call from a plain thread starts a thread with a new event loop, and the
    Redis layer opens its connections per loop: one call per group cost a worker ~90 ms per interchange.
    """
    if events:
        async_to_sync(_send)(get_channel_layer(), events)


def send_event_now(event: dict) -> None:
    send_events_now([event])


def push_on_commit(events: list[dict]) -> None:
    """Push each event to its groups once the surrounding transaction has committed."""
    if not events:
        return
    transaction.on_commit(lambda: send_events_now(events))
