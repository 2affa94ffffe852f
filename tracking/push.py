"""Live push: the channel-layer groups of containers and shipments, and sending after commit.

A container's group is ``track.container.<number>``; a shipment's is
``track.shipment.<BKG|TRD>.<sha1 of the reference>`` (group names allow only ASCII letters,
digits, hyphens, underscores and periods). Events are sent only once their transaction has
committed, so no client ever sees an event that was rolled back; after the commit, the sending
happens on the process's sending loop while the caller goes on (a worker starts its next message),
batches in the order they were committed. Live push is best effort, as before: a process that dies
with a batch unsent loses that push, and a client's subscription snapshot has the event.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
from collections import deque
from concurrent.futures import Future, wait

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.db import transaction

from tracking.choices import SHIPMENT_KINDS

log = logging.getLogger(__name__)

SEND_TIMEOUT_S = 30
MAX_PENDING_SENDS = 8  # batches handed to the sending loop and not yet sent; beyond, the caller waits
# groups sent to at once: each send holds a Redis connection, and the pool refuses past 100 (a worker's batch
# of a few hundred events names several hundred groups)
SEND_CONCURRENCY = 16
_loop_lock = threading.Lock()
_loop: tuple[int, asyncio.AbstractEventLoop] | None = None
_pending: deque[Future] = deque()
_tail: asyncio.Task | None = None  # the last batch's send, touched only on the sending loop


def container_group(number: str) -> str:
    return f"track.container.{number.upper()}"


def shipment_group(kind: str, reference: str) -> str:
    return f"track.shipment.{kind}." + hashlib.sha1(reference.encode("utf-8")).hexdigest()


def groups_of(event: dict) -> list[str]:
    groups = []
    if event.get("equipmentReference"):
        groups.append(container_group(event["equipmentReference"]))
    for ref in event.get("documentReferences") or ():
        if ref.get("documentReferenceType") in SHIPMENT_KINDS:
            groups.append(shipment_group(ref["documentReferenceType"], ref["documentReferenceValue"]))
    return groups


# which of the keys exist, in one command (a pipeline of EXISTS costs a command object a key in redis-py)
EXISTING = "local found = {} for i, key in ipairs(KEYS) do found[i] = redis.call('EXISTS', key) end return found"


async def _listened(layer, groups: list[str]) -> list[str]:
    """The groups someone is in: on Redis, one ``EXISTS`` script per shard instead of a ``group_send`` (two
    round trips) to each group, most of which no one watches. Other layers: every group."""
    if not isinstance(layer, RedisChannelLayer):
        return groups
    shards: dict[int, list[str]] = {}
    for group in groups:
        shards.setdefault(layer.consistent_hash(group), []).append(group)
    listened = set()
    for index, names in shards.items():
        keys = [layer._group_key(group) for group in names]  # channels_redis' keys of the groups' member sets
        found = await layer.connection(index).eval(EXISTING, len(keys), *keys)
        listened.update(group for group, there in zip(names, found, strict=True) if there)
    return [group for group in groups if group in listened]


async def _send(layer, events: list[dict], kind: str = "track.event") -> None:
    """Each group someone is in gets its events in order; up to ``SEND_CONCURRENCY`` groups are sent to side by
    side (Redis round trips overlap). ``kind``: ``track.event``, or ``track.withdrawn`` for notices of
    withdrawn events (``{"eventID", "equipmentReference", "documentReferences"}``)."""
    by_group: dict[str, list[dict]] = {}
    for event in events:
        for group in groups_of(event):
            by_group.setdefault(group, []).append(event)
    turns = asyncio.Semaphore(SEND_CONCURRENCY)

    async def send_all(group: str, batch: list[dict]) -> None:
        async with turns:
            for event in batch:
                await layer.group_send(group, {"type": kind, "event": event})

    listened = await _listened(layer, list(by_group))
    await asyncio.gather(*(send_all(group, by_group[group]) for group in listened))


def _sending_loop() -> asyncio.AbstractEventLoop:
    """This process's one event loop for sending, running in a daemon thread (made again after a fork)."""
    global _loop
    with _loop_lock:
        if _loop is None or _loop[0] != os.getpid():
            global _tail
            _tail = None
            _pending.clear()  # a parent's sends, never to finish in this (forked) process
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="logihub-push", daemon=True).start()
            _loop = (os.getpid(), loop)
        return _loop[1]


def send_events_now(events: list[dict]) -> None:
    """Send events to their groups, in order, and wait until the channel layer has taken them.

    The Redis layer keeps its connections per event loop: an ``async_to_sync`` call from a plain
    thread runs on a new loop each time and so connects anew (a worker spent ~14 ms per interchange
    on it). Every send of a process therefore goes through one long-lived loop, whose connections
    stay open. The in-memory layer (embedded mode, one process) keeps its queues on the loop of
    the server that reads them, so it is sent to from there, as before.
    """
    if not events:
        return
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        async_to_sync(_send)(layer, events)
        return
    asyncio.run_coroutine_threadsafe(_send(layer, events), _sending_loop()).result(timeout=SEND_TIMEOUT_S)


def send_event_now(event: dict) -> None:
    send_events_now([event])


async def _send_in_turn(layer, events: list[dict], kind: str) -> None:
    """Send a batch once the batch handed over before it is sent (or failed): groups keep their order."""
    global _tail
    previous, _tail = _tail, asyncio.current_task()
    if previous is not None and not previous.done():
        await asyncio.wait([previous])
    await _send(layer, events, kind)


def _report(future: Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("live push failed: %r", future.exception())


def send_events_soon(events: list[dict], kind: str = "track.event") -> None:
    """Hand events to the sending loop and return; wait only while ``MAX_PENDING_SENDS`` batches are unsent."""
    if not events:
        return
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        async_to_sync(_send)(layer, events, kind)
        return
    future = asyncio.run_coroutine_threadsafe(_send_in_turn(layer, events, kind), _sending_loop())
    future.add_done_callback(_report)
    with _loop_lock:
        _pending.append(future)
        while _pending and _pending[0].done():
            _pending.popleft()
        oldest = _pending.popleft() if len(_pending) > MAX_PENDING_SENDS else None
    if oldest is not None:
        wait([oldest], timeout=SEND_TIMEOUT_S)  # a failure is _report's to log


def push_on_commit(events: list[dict]) -> None:
    """Push each event to its groups once the surrounding transaction has committed."""
    if not events:
        return
    transaction.on_commit(lambda: send_events_soon(events))


def push_withdrawn_on_commit(notices: list[dict]) -> None:
    """Tell each withdrawn event's groups, once committed: ``{"eventID", "equipmentReference", "documentReferences"}``."""
    if not notices:
        return
    transaction.on_commit(lambda: send_events_soon(notices, "track.withdrawn"))
