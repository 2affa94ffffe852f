"""A post's aggregates into the database: observations merged within the dedupe window, one transaction.

Per post, whatever its size, sent in one round trip on PostgreSQL (``rows.pipelined``): a lock on
the lane, the lane's transaction overlapping the post (locked too), and the open observations of
the post's tags. Written back afterwards: the transaction (inserted or updated once, decision
included), the merged observations (one statement executed many times) and the new ones.

Two posts of one lane at once take turns on the lane lock (PostgreSQL: a transaction-scoped
advisory lock on gate, lane and direction; SQLite has one writer anyway), so the second sees the
transaction the first created and joins it: one pass is one transaction, and no observation is
counted twice. A transaction is found by overlap, not by "latest": a retried or late post whose
reads fall within an existing transaction's span (plus the window) joins it, so the eventIDs
derived from it do not change.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection

from rfid import rows
from rfid.dedupe import Collapsed
from rfid.models import GateTransaction, Observation, Reader
from tracking import bulk

TRANSACTION_NAMESPACE = uuid.UUID("0b7e4a52-9d8c-5f3e-8a61-4c2f7d9e1a30")
OBSERVATION_FIELDS = ["first_seen", "last_seen", "count", "best_rssi", "antennas"]


def transaction_id(reader: Reader, started_at: datetime) -> uuid.UUID:
    """Deterministic: the lane, the direction and the first read time of the pass."""
    return uuid.uuid5(TRANSACTION_NAMESPACE, f"{reader.gate}|{reader.lane}|{reader.direction}|{started_at.isoformat()}")


def lane_key(reader: Reader) -> int:
    """A signed 64-bit number naming the reader's gate, lane and direction (the advisory lock's key)."""
    digest = hashlib.blake2b(f"{reader.gate}|{reader.lane}|{reader.direction}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_lane_later(reader: Reader) -> rows.Later | None:
    """Until the end of the database transaction, other posts of this lane wait (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None  # SQLite: transactions begin IMMEDIATE, one writer at a time
    return rows.query_later("SELECT pg_advisory_xact_lock(%s)", [lane_key(reader)])


def overlapping(reader: Reader, first: datetime, last: datetime) -> tuple[str, list]:
    """(SQL, parameters) selecting from the transactions the lane's latest one overlapping [first, last]
    within the window: ``WHERE ... ORDER BY ... LIMIT 1``."""
    span = timedelta(seconds=settings.RFID_TRANSACTION_WINDOW_SECONDS)
    return (
        "gate = %s AND lane = %s AND direction = %s AND last_read_at >= %s AND started_at <= %s "
        "ORDER BY last_read_at DESC LIMIT 1",
        [
            reader.gate,
            reader.lane,
            reader.direction,
            rows.prep(GateTransaction, "last_read_at", first - span),
            rows.prep(GateTransaction, "started_at", last + span),
        ],
    )


def transaction_later(reader: Reader, first: datetime, last: datetime) -> rows.Later:
    """The lane's latest transaction overlapping [first, last] within the window, locked."""
    where, params = overlapping(reader, first, last)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return rows.select_later(GateTransaction, where, params, lock)


def observations_later(reader: Reader, collapsed: Collapsed) -> rows.Later:
    """The lane's observations of the post's tags that may still be open, newest first."""
    window = timedelta(seconds=settings.RFID_DEDUPE_WINDOW_SECONDS)
    tags, keys = rows.any_of("tag", list(collapsed.by_tag))
    return rows.select_later(
        Observation,
        f"gate = %s AND lane = %s AND direction = %s AND {tags} AND last_seen >= %s",
        [
            reader.gate,
            reader.lane,
            reader.direction,
            *keys,
            rows.prep(Observation, "last_seen", collapsed.first - window),
        ],
        "ORDER BY last_seen DESC",
    )


def new_transaction(reader: Reader, first: datetime, last: datetime, bonded: bool) -> GateTransaction:
    """A transaction for a pass no transaction covers yet (not saved: :func:`write` inserts it)."""
    return GateTransaction(
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


def merge(
    reader: Reader, collapsed: Collapsed, tx: GateTransaction, found: list[Observation]
) -> tuple[list[Observation], list[Observation]]:
    """Merge the post's aggregates into the open observations ``found``; (to update, to create).

    ``tx`` takes the post's time span and its new tags.
    """
    window = timedelta(seconds=settings.RFID_DEDUPE_WINDOW_SECONDS)
    latest: dict[str, Observation] = {}
    for row in found:
        latest.setdefault(row.tag, row)
    to_update: list[Observation] = []
    to_create: list[Observation] = []
    for key, agg in collapsed.by_tag.items():
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
    tx.started_at = min(tx.started_at, collapsed.first)
    tx.last_read_at = max(tx.last_read_at, collapsed.last)
    known = set(tx.tags)
    tx.tags = list(tx.tags) + [key for key in collapsed.by_tag if key not in known]
    return to_update, to_create


def write(
    tx: GateTransaction, *, new: bool, fields: list[str], to_update: list[Observation], to_create: list[Observation]
) -> None:
    """The transaction (inserted when ``new``, else its ``fields`` updated), then its observations.

    On PostgreSQL one statement: the transaction and the merged observations as ``WITH`` parts of the
    new observations' insert, each over all its rows (one JSON parameter): a post's writes go out in
    one message, not one per row.
    """
    if rows.server_side():
        rows.write_together(
            [
                rows.row_statement(GateTransaction, tx, new=new, names=fields),
                bulk.update_statement(Observation, to_update, OBSERVATION_FIELDS),
                rows.insert_statement(Observation, to_create),
            ]
        )
        return
    if new:
        rows.insert(GateTransaction, [tx])
    else:
        rows.update(GateTransaction, [tx], fields)
    rows.update(Observation, to_update, OBSERVATION_FIELDS)
    rows.insert(Observation, to_create)
