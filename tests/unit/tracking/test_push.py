"""Live push after commit: batches handed to the sending loop go out in order, group by group."""

import asyncio
import random
from concurrent.futures import wait

from tests.unit.tracking.builders import BOX, OTHER_BOX, build_event
from tracking import push


class SlowLayer:
    """A channel layer whose sends take a random while, recording what each group got."""

    def __init__(self):
        self.sent: dict[str, list[str]] = {}

    async def group_send(self, group: str, message: dict) -> None:
        await asyncio.sleep(random.Random(group + message["event"]["eventID"]).random() / 500)
        self.sent.setdefault(group, []).append(message["event"]["eventID"])


def test_batches_sent_soon_reach_each_group_in_the_order_they_were_handed_over(monkeypatch):
    layer = SlowLayer()
    monkeypatch.setattr(push, "get_channel_layer", lambda: layer)
    batches = [
        [build_event("GTIN", box=box, at=f"2026-11-{day:02d}T08:00:00Z", bill="BL1") for box in (BOX, OTHER_BOX)]
        for day in range(1, 21)
    ]
    for batch in batches:
        push.send_events_soon(batch)
    wait(list(push._pending), timeout=30)
    expected = {}
    for batch in batches:
        for event in batch:
            for group in push.groups_of(event):
                expected.setdefault(group, []).append(event["eventID"])
    assert layer.sent == expected
    assert len(expected[push.shipment_group("TRD", "BL1")]) == 40


class CountingLayer:
    """A channel layer that counts the sends under way at once, as a connection pool would."""

    def __init__(self):
        self.now = self.most = 0

    async def group_send(self, group: str, message: dict) -> None:
        self.now += 1
        self.most = max(self.most, self.now)
        await asyncio.sleep(0.001)
        self.now -= 1


def test_a_batch_naming_hundreds_of_groups_never_holds_more_than_a_few_sends_at_once(monkeypatch):
    layer = CountingLayer()
    events = [build_event("GTIN", box=f"MSKU{n:06d}0", at="2026-11-01T08:00:00Z") for n in range(300)]
    assert len({g for e in events for g in push.groups_of(e)}) >= 300
    asyncio.run(push._send(layer, events))
    assert layer.most == push.SEND_CONCURRENCY


class WatchedRedisLayer(push.RedisChannelLayer):
    """channels_redis' layer with Redis replaced: groups with members, and what was sent to which group."""

    def __init__(self, watched: list[str]):
        super().__init__(hosts=["redis://127.0.0.1:1"])
        self.members = {self._group_key(group): ["specific.one"] for group in watched}
        self.sent: dict[str, list[str]] = {}

    def connection(self, index):
        layer = self

        class Connection:
            async def eval(self, script, count, *keys):
                assert script == push.EXISTING and count == len(keys)
                return [int(bool(layer.members.get(key))) for key in keys]

        return Connection()

    async def group_send(self, group: str, message: dict) -> None:
        self.sent.setdefault(group, []).append(message["event"]["eventID"])


def test_on_redis_only_the_groups_someone_is_in_are_sent_to():
    events = [build_event("GTIN", box=BOX, bill="BL1"), build_event("LOAD", box=OTHER_BOX, bill="BL2")]
    watched = push.container_group(OTHER_BOX)
    layer = WatchedRedisLayer([watched])
    asyncio.run(push._send(layer, events))
    assert layer.sent == {watched: [events[1]["eventID"]]}
