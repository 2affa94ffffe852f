"""RFID posts on PostgreSQL: concurrent posts of one lane, retries at once, a failed post, gate events.

Part of the integration suite: SQLite serialises writers, so only PostgreSQL shows the races
the lane lock and the pipelined transaction are there for.
"""

from __future__ import annotations

import json
import random
import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from rfid import ingest, services
from rfid.decision import decide
from rfid.models import GateTransaction, Observation
from rfid.parse import parse_payload
from rfid.simulator import truck_tag
from tests.unit.rfid.conftest import TRUCK_TAG, container, container_tag
from tracking.models import ContainerStatus, Equipment, Event

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
BOX = container("BOLU", "123456")


@pytest.fixture
def lane(db):
    reader, _key = services.add_reader("PG-OUT-L1", gate="PG", direction="out", bonded=True, lane="L1")
    services.bind_tag(
        TRUCK_TAG, kind="truck", reference="沪A12345", by="test", valid_from=timezone.now() - timedelta(days=1)
    )
    equipment = Equipment.objects.create(reference=BOX)
    ContainerStatus.objects.create(equipment=equipment, customs_state="RLSD", holds=[])
    return reader


def payload(at, *tags: str):
    body = {
        "reader": "PG-OUT-L1",
        "reads": [{"epc": t, "antenna": 1, "rssi": -50, "time": at.isoformat()} for t in tags],
    }
    return parse_payload(json.dumps(body).encode(), limit=1000)


def at_once(reader, *payloads, digest: str = "") -> list[dict]:
    barrier, answers, errors = threading.Barrier(len(payloads)), [None] * len(payloads), []

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            answers[index] = services.process_reads(reader, payloads[index], digest=digest)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(payloads))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return answers


@pytest.fixture
def slow_first_merge(monkeypatch):
    """The first post to merge takes a while, inside its transaction: the other arrives meanwhile."""
    merge, calls = ingest.merge, []

    def slow(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.5)
        return merge(*args, **kwargs)

    monkeypatch.setattr(ingest, "merge", slow)


def test_two_posts_of_one_lane_at_once_are_one_transaction(lane, slow_first_merge):
    start = timezone.now() - timedelta(seconds=10)
    first, second = at_once(lane, payload(start, TRUCK_TAG), payload(start + timedelta(seconds=1), TRUCK_TAG))
    assert first["transaction"] == second["transaction"]
    assert GateTransaction.objects.count() == 1
    (obs,) = Observation.objects.all()
    assert (obs.count, obs.first_seen, obs.last_seen) == (2, start, start + timedelta(seconds=1))


def test_a_post_retried_at_once_is_one_transaction_and_one_gate_event(lane, slow_first_merge):
    doc = payload(timezone.now() - timedelta(seconds=5), TRUCK_TAG, container_tag(BOX))
    first, second = at_once(lane, doc, doc)
    assert first["transaction"] == second["transaction"] and first["decision"] == second["decision"] == "OPEN"
    services.record_pending_events()
    services.record_pending_events()
    assert Event.objects.filter(type_code="GTOT", equipment_reference=BOX).count() == 1
    assert not GateTransaction.objects.filter(events_pending=True).exists()


def test_a_post_that_fails_midway_leaves_nothing_and_the_next_post_is_answered(lane, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("decision failed")

    monkeypatch.setattr(services, "decide", broken)
    at = timezone.now() - timedelta(seconds=5)
    with pytest.raises(RuntimeError):
        services.process_reads(lane, payload(at, TRUCK_TAG, container_tag(BOX)))
    assert not GateTransaction.objects.exists() and not Observation.objects.exists()
    monkeypatch.undo()
    answer = services.process_reads(lane, payload(at, TRUCK_TAG, container_tag(BOX)))
    assert answer["decision"] == "OPEN" and GateTransaction.objects.count() == 1


def test_lanes_do_not_wait_for_each_other(lane, slow_first_merge):
    other, _key = services.add_reader("PG-OUT-L2", gate="PG", direction="out", bonded=True, lane="L2")
    at = timezone.now() - timedelta(seconds=5)
    body = {"reader": "PG-OUT-L2", "reads": [{"epc": TRUCK_TAG, "antenna": 1, "time": at.isoformat()}]}
    started = time.perf_counter()
    threads = [
        threading.Thread(
            target=lambda: (services.process_reads(lane, payload(at, TRUCK_TAG)), connections.close_all())
        ),
        threading.Thread(
            target=lambda: (
                time.sleep(0.1),
                services.process_reads(other, parse_payload(json.dumps(body).encode(), limit=10)),
                connections.close_all(),
            )
        ),
    ]
    for thread in threads:
        thread.start()
    threads[1].join(timeout=30)
    second_done = time.perf_counter() - started
    threads[0].join(timeout=30)
    assert second_done < 0.45, "a post of lane L2 waited for lane L1"
    assert GateTransaction.objects.count() == 2


def decided_afresh(answer: dict) -> dict:
    """The decision the stored transaction gets from the lookup asked on its own (the SQLite path)."""
    tx = GateTransaction.objects.get(pk=answer["transaction"])
    verdict = decide(tx, at=tx.last_read_at)
    return {"decision": verdict.decision, "reasons": verdict.reasons, "equipment": verdict.equipment}


def test_a_post_of_the_truck_alone_is_decided_with_the_containers_its_pass_read_before(lane):
    at = timezone.now() - timedelta(seconds=20)
    first = services.process_reads(lane, payload(at, container_tag(BOX)))
    assert first["decision"] == "HOLD"  # a container on no known truck, so far
    second = services.process_reads(lane, payload(at + timedelta(seconds=1), TRUCK_TAG))
    assert second["transaction"] == first["transaction"]
    assert second["decision"] == "OPEN", second["reasons"]
    assert second["equipment"] == [{"equipmentReference": BOX, "customsState": "RLSD"}]
    assert {k: second[k] for k in ("decision", "reasons", "equipment")} == decided_afresh(second)


def test_a_late_post_is_decided_with_the_bindings_valid_at_the_pass_s_last_read(lane):
    at = timezone.now() - timedelta(seconds=30)
    other = truck_tag(random.Random(3))
    services.bind_tag(other, kind="truck", reference="沪B54321", by="test", valid_from=at + timedelta(seconds=5))
    services.process_reads(lane, payload(at + timedelta(seconds=10), container_tag(BOX)))
    late = services.process_reads(lane, payload(at + timedelta(seconds=1), other))  # read before its binding began
    assert late["decision"] == "OPEN", late["reasons"]
    assert {k: late[k] for k in ("decision", "reasons", "equipment")} == decided_afresh(late)


def test_a_post_sent_twice_at_once_counts_its_reads_once(lane, slow_first_merge):
    doc = payload(timezone.now() - timedelta(seconds=5), TRUCK_TAG, TRUCK_TAG, container_tag(BOX))
    first, second = at_once(lane, doc, doc, digest=services.post_digest(lane, services.read_facts(doc.reads)))
    assert first["transaction"] == second["transaction"] and first["decision"] == second["decision"] == "OPEN"
    assert sorted(Observation.objects.values_list("count", flat=True)) == [1, 2]
