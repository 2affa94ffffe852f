"""Two workers recording at once on PostgreSQL: one eventID is stored once, statuses stay exact.

Part of the integration suite: it needs PostgreSQL's concurrent writers (SQLite serialises them).
"""

import threading

import pytest
from django.db import connections

from tests.unit.tracking.builders import build_event, container
from tracking.models import ContainerStatus, Event
from tracking.projections import FIELDS
from tracking.statuses import rebuild
from tracking.store import record_events

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def in_threads(*batches: list[dict]) -> list:
    barrier, results, errors = threading.Barrier(len(batches)), [None] * len(batches), []

    def work(index: int, batch: list[dict]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = record_events(batch)
        except Exception as exc:  # noqa: BLE001 (reported to the test below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, b)) for i, b in enumerate(batches)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_two_workers_recording_the_same_events_never_both_report_one_stored():
    boxes = [container("CONU", f"{n:06d}") for n in range(20)]
    events = [build_event(code, box=box, bill="BLC") for box in boxes for code in ("GTIN", "LOAD")]
    for _round in range(5):
        Event.objects.all().delete()
        first, second = in_threads(events, list(reversed(events)))
        assert not set(first.stored) & set(second.stored)
        assert sorted(first.stored + second.stored) == sorted(e["eventID"] for e in events)
        assert Event.objects.count() == len(events)


def test_workers_recording_different_events_of_one_container_leave_the_exact_status():
    codes = ["GTIN", "LOAD", "DISC", "GTOT", "PICK", "DROP"]
    batches = [[build_event(code, at=f"2026-11-{day + 1:02d}T08:00:00Z")] for day, code in enumerate(codes)]
    in_threads(*batches)
    incremental = {name: getattr(ContainerStatus.objects.get(), name) for name in FIELDS}
    rebuild()
    assert {name: getattr(ContainerStatus.objects.get(), name) for name in FIELDS} == incremental
    assert incremental["milestone"] == "DROP"


def test_workers_folding_many_shared_containers_at_once_leave_the_statuses_a_rebuild_gives():
    """The set-based path: each batch locks and upserts every container and shipment it names at once."""
    import random

    boxes = [container("CONU", f"{n:06d}") for n in range(30)]
    codes = ["GTIN", "LOAD", "DISC", "GTOT"]
    events = [
        build_event(code, box=box, at=f"2026-11-{day + 1:02d}T0{n % 10}:00:00Z", bill=f"BL{n % 4}")
        for n, box in enumerate(boxes)
        for day, code in enumerate(codes)
    ]
    random.Random(6).shuffle(events)
    in_threads(*(events[start::4] for start in range(4)))
    incremental = {row.pk: {name: getattr(row, name) for name in FIELDS} for row in ContainerStatus.objects.all()}
    rebuild()
    assert {row.pk: {name: getattr(row, name) for name in FIELDS} for row in ContainerStatus.objects.all()} == (
        incremental
    )
    assert {status["milestone"] for status in incremental.values()} == {"GTOT"}
    assert len(incremental) == len(boxes)
