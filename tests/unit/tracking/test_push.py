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
