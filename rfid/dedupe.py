"""Collapse a post's reads into one aggregate per tag: the hot path, pure Python, no database.

    >>> aggs = collapse(reads, received_at=now, max_skew=300)
    >>> aggs["urn:epc:id:grai:..."].count

Reads arrive in any order and from any antenna; an aggregate keeps the first and last read time,
the read count (Zebra's seen counts add up), the best RSSI and the set of antennas. A read time
further than ``max_skew`` seconds from the server clock (a reader whose clock is off, or a read
without time) takes the receive time instead, so a wrong clock cannot open an old transaction
or one in the future. Each distinct EPC is decoded once (and cached across posts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rfid.epc import Tag, decode
from rfid.parse import Read


@dataclass(slots=True)
class Aggregate:
    """The reads of one tag in one post."""

    tag: Tag
    first: datetime
    last: datetime
    count: int
    best_rssi: float | None
    antennas: set[int] = field(default_factory=set)

    def merge(self, other: Aggregate) -> None:
        self.first = min(self.first, other.first)
        self.last = max(self.last, other.last)
        self.count += other.count
        if other.best_rssi is not None and (self.best_rssi is None or other.best_rssi > self.best_rssi):
            self.best_rssi = other.best_rssi
        self.antennas |= other.antennas


@dataclass
class Collapsed:
    """The aggregates of a post by tag key, and how many read times were replaced for skew."""

    by_tag: dict[str, Aggregate]
    skewed: int = 0

    @property
    def first(self) -> datetime:
        return min(a.first for a in self.by_tag.values())

    @property
    def last(self) -> datetime:
        return max(a.last for a in self.by_tag.values())


def passes(reads: list[Read], *, received_at: datetime, max_skew: float, gap: float) -> list[list[Read]]:
    """The reads of a post in time order, split wherever no read was taken for more than ``gap`` seconds: a
    reader's buffered batch may hold several trucks, each its own pass. Read times as :func:`collapse` takes them."""
    low = received_at - timedelta(seconds=max_skew)
    high = received_at + timedelta(seconds=max_skew)
    timed = sorted(
        ((r.time if r.time is not None and low <= r.time <= high else received_at), index, r)
        for index, r in enumerate(reads)
    )
    split: list[list[Read]] = []
    previous = None
    for at, _index, read in timed:
        if previous is None or (at - previous).total_seconds() > gap:
            split.append([])
        split[-1].append(read)
        previous = at
    return split


def collapse(reads: list[Read], *, received_at: datetime, max_skew: float) -> Collapsed:
    """One aggregate per tag key for the reads of one post."""
    low = received_at - timedelta(seconds=max_skew)
    high = received_at + timedelta(seconds=max_skew)
    by_epc: dict[str, Aggregate] = {}
    skewed = 0
    for read in reads:
        at = read.time
        if at is None or not low <= at <= high:
            skewed += at is not None
            at = received_at
        agg = by_epc.get(read.epc)
        if agg is None:
            by_epc[read.epc] = Aggregate(None, at, at, read.count, read.rssi, {read.antenna})  # type: ignore[arg-type]
            continue
        if at < agg.first:
            agg.first = at
        elif at > agg.last:
            agg.last = at
        agg.count += read.count
        if read.rssi is not None and (agg.best_rssi is None or read.rssi > agg.best_rssi):
            agg.best_rssi = read.rssi
        agg.antennas.add(read.antenna)
    by_tag: dict[str, Aggregate] = {}
    for epc, agg in by_epc.items():
        agg.tag = decode(epc)
        known = by_tag.get(agg.tag.key)
        if known is None:
            by_tag[agg.tag.key] = agg
        else:  # two encodings of one identity (rare): one observation
            known.merge(agg)
    return Collapsed(by_tag=by_tag, skewed=skewed)
