"""A post's aggregates into the database: observations merged within the dedupe window, one transaction.

Per post, whatever its size: one query for the lane's open transaction (or one insert), one for
the open observations of the post's tags, one bulk update and one bulk insert. The transaction row
is locked (PostgreSQL; SQLite has one writer anyway), so two posts of one lane at once take turns
instead of counting the same observation twice. A transaction is
found by overlap, not by "latest": a retried or late post whose reads fall within an existing
transaction's span (plus the window) joins it, so the eventIDs derived from it do not change.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from rfid import rows
from rfid.dedupe import Collapsed
from rfid.models import GateTransaction, Observation, Reader

TRANSACTION_NAMESPACE = uuid.UUID("0b7e4a52-9d8c-5f3e-8a61-4c2f7d9e1a30")
OBSERVATION_FIELDS = ["first_seen", "last_seen", "count", "best_rssi", "antennas"]


def transaction_id(reader: Reader, started_at: datetime) -> uuid.UUID:
    """Deterministic: the lane, the direction and the first read time of the pass."""
    return uuid.uuid5(TRANSACTION_NAMESPACE, f"{reader.gate}|{reader.lane}|{reader.direction}|{started_at.isoformat()}")


def find_transaction(reader: Reader, first: datetime, last: datetime, bonded: bool) -> GateTransaction:
    """The lane's transaction overlapping [first, last] within the window, or a new one."""
    span = timedelta(seconds=settings.RFID_TRANSACTION_WINDOW_SECONDS)
    found = rows.select(
        GateTransaction,
        "gate = %s AND lane = %s AND direction = %s AND last_read_at >= %s AND started_at <= %s",
        [
            reader.gate,
            reader.lane,
            reader.direction,
            rows.prep(GateTransaction, "last_read_at", first - span),
            rows.prep(GateTransaction, "started_at", last + span),
        ],
        "ORDER BY last_read_at DESC LIMIT 1" + (" FOR UPDATE" if connection.features.has_select_for_update else ""),
    )
    tx = found[0] if found else None
    if tx is not None:
        return tx
    new = GateTransaction(
        id=transaction_id(reader, first),
        reader=reader,
        gate=reader.gate,
        lane=reader.lane,
        direction=reader.direction,
        bonded=bonded,
        started_at=first,
        last_read_at=last,
        tags=[],
    )
    try:
        with transaction.atomic():
            new.save(force_insert=True)
    except IntegrityError:  # a concurrent retry of the same first post created it
        return GateTransaction.objects.get(pk=new.id)
    return new


def observe(reader: Reader, collapsed: Collapsed, tx: GateTransaction) -> None:
    """Merge the post's aggregates into the lane's observations and attach new ones to ``tx``."""
    window = timedelta(seconds=settings.RFID_DEDUPE_WINDOW_SECONDS)
    by_tag = collapsed.by_tag
    keys = list(by_tag)
    found = rows.select(
        Observation,
        f"gate = %s AND lane = %s AND direction = %s AND tag IN ({rows.placeholders(len(keys))}) AND last_seen >= %s",
        [
            reader.gate,
            reader.lane,
            reader.direction,
            *keys,
            rows.prep(Observation, "last_seen", collapsed.first - window),
        ],
        "ORDER BY last_seen DESC",
    )
    latest: dict[str, Observation] = {}
    for row in found:
        latest.setdefault(row.tag, row)
    to_update: list[Observation] = []
    to_create: list[Observation] = []
    for key, agg in by_tag.items():
        row = latest.get(key)
        if row is not None and row.last_seen >= agg.first - window and row.first_seen <= agg.last + window:
            row.first_seen = min(row.first_seen, agg.first)
            row.last_seen = max(row.last_seen, agg.last)
            row.count += agg.count
            if agg.best_rssi is not None and (row.best_rssi is None or agg.best_rssi > row.best_rssi):
                row.best_rssi = agg.best_rssi
            row.antennas = sorted(set(row.antennas) | agg.antennas)
            to_update.append(row)
        else:
            to_create.append(
                Observation(
                    reader=reader,
                    gate=reader.gate,
                    lane=reader.lane,
                    direction=reader.direction,
                    tag=key,
                    epc_hex=agg.tag.hex,
                    scheme=agg.tag.scheme,
                    first_seen=agg.first,
                    last_seen=agg.last,
                    count=agg.count,
                    best_rssi=agg.best_rssi,
                    antennas=sorted(agg.antennas),
                    transaction=tx,
                )
            )
    rows.update(Observation, to_update, OBSERVATION_FIELDS)
    if to_create:
        Observation.objects.bulk_create(to_create)
    tx.started_at = min(tx.started_at, collapsed.first)
    tx.last_read_at = max(tx.last_read_at, collapsed.last)
    known = set(tx.tags)
    tx.tags = list(tx.tags) + [key for key in by_tag if key not in known]
