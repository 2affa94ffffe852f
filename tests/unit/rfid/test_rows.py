"""``rfid.rows``: the hot path's plain SQL gives what the ORM would, and a failed post leaves nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rfid import rows
from rfid.models import GateTransaction, Observation
from rfid.services import add_reader

pytestmark = pytest.mark.django_db(transaction=True)
AT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def observation(reader, tag: str) -> Observation:
    return Observation(
        reader=reader, gate=reader.gate, lane=reader.lane, direction=reader.direction, tag=tag, epc_hex="AB",
        scheme="raw", first_seen=AT, last_seen=AT, count=3, best_rssi=-40.5, antennas=[1, 2],
    )  # fmt: skip


def test_inserted_rows_read_back_as_the_orm_stores_them():
    reader, _key = add_reader("R1", gate="G1", direction="out", lane="L1")
    with rows.pipelined():
        rows.insert(Observation, [observation(reader, "urn:a"), observation(reader, "urn:b")])
        later = rows.select_later(Observation, "tag IN (%s, %s)", ["urn:a", "urn:b"], "ORDER BY tag")
        found = later.fetch()
    assert [(o.tag, o.first_seen, o.count, o.best_rssi, o.antennas) for o in found] == [
        ("urn:a", AT, 3, -40.5, [1, 2]),
        ("urn:b", AT, 3, -40.5, [1, 2]),
    ]
    assert list(Observation.objects.order_by("tag").values_list("tag", "antennas")) == [
        ("urn:a", [1, 2]),
        ("urn:b", [1, 2]),
    ]


def test_a_failure_inside_the_transaction_rolls_every_statement_back():
    reader, _key = add_reader("R1", gate="G1", direction="out", lane="L1")
    with pytest.raises(RuntimeError), rows.atomic_pipelined():
        rows.insert(Observation, [observation(reader, "urn:a")])
        raise RuntimeError("the decision failed")
    assert not Observation.objects.exists()
    with rows.atomic_pipelined():
        rows.insert(Observation, [observation(reader, "urn:b")])
    assert list(Observation.objects.values_list("tag", flat=True)) == ["urn:b"]


def test_an_update_writes_only_the_named_fields():
    reader, _key = add_reader("R1", gate="G1", direction="out", lane="L1")
    tx = GateTransaction(
        id="0b7e4a52-9d8c-5f3e-8a61-4c2f7d9e1a31", reader=reader, gate="G1", lane="L1", direction="out",
        started_at=AT, last_read_at=AT, tags=["urn:a"],
    )  # fmt: skip
    rows.insert(GateTransaction, [tx])
    tx.tags, tx.decision = ["urn:a", "urn:b"], "OPEN"
    rows.update(GateTransaction, [tx], ["tags"])
    stored = GateTransaction.objects.get()
    assert (stored.tags, stored.decision) == (["urn:a", "urn:b"], "")
