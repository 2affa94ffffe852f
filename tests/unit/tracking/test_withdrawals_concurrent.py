"""An original and its replacement committed side by side by two workers on PostgreSQL: neither sees
the other's uncommitted work, and the document's advisory lock makes whoever came second settle it
again after both committed. (SQLite runs one writer at a time: this runs in the PostgreSQL pass of
the unit suite, ``tests/integration/run.py --database-only``, and in ``make test``.)"""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest
from django.db import connection, connections, transaction

from tests.unit.tracking.builders import BOX, OTHER_BOX, build_event, container
from tests.unit.tracking.test_withdrawals import KEY, reported
from tracking.models import ContainerStatus, Event, Withdrawal
from tracking.store import record_events
from tracking.withdrawals import withdraw

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once: SQLite serialises them (this runs in the PostgreSQL pass)")


def _until(check, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _in_thread(work, failures: list) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as exc:  # reported by the test, not lost in the thread
            failures.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


# The report named the wrong container; its replacement names the right one. No row the two stores write is
# shared (different containers, no bill): nothing but the document's lock orders the two transactions.
LOAD_WRONG = build_event("LOAD", box=BOX, at="2026-11-21T08:00:00+08:00")
LOAD_RIGHT = build_event("LOAD", box=OTHER_BOX, at="2026-11-21T08:00:00+08:00")


@pytest.fixture(autouse=True)
def _known_place():
    """The port and its call exist already (a fresh row both stores insert would order them by itself)."""
    record_events([build_event("GTIN", box=container("TGHU", "000017"), at="2026-11-01T08:00:00+08:00")])


def _store_original() -> None:
    record_events([reported(LOAD_WRONG, "2026-11-21T09:00:00Z")])


def _store_replacement() -> None:
    created = "2026-11-22T09:00:00Z"
    record_events([reported(LOAD_RIGHT, created, function="5")])
    withdraw(KEY, function="5", created=datetime.fromisoformat(created), kept=[LOAD_RIGHT["eventID"]])


def _settled() -> None:
    current = Event.objects.filter(equipment_reference__in=[BOX, OTHER_BOX]).values_list("event_id", flat=True)
    assert {str(pk) for pk in current} == {LOAD_RIGHT["eventID"]}
    assert Event.every.get(pk=LOAD_WRONG["eventID"]).withdrawn_by is not None
    assert not ContainerStatus.objects.filter(equipment__reference=BOX).exists()
    assert ContainerStatus.objects.get(equipment__reference=OTHER_BOX).milestone_event_id == LOAD_RIGHT["eventID"]


def test_an_original_committed_after_its_replacement_was_committed_beside_it_is_withdrawn():
    """The original's worker stored its events first (its snapshot never sees the replacement)."""
    failures: list = []

    def original() -> None:
        with transaction.atomic():
            _store_original()
            _until(lambda: Withdrawal.objects.exists(), "the replacement's commit")  # committed meanwhile

    first = _in_thread(original, failures)
    _until(lambda: _uncommitted_events_exist(), "the original's insert")
    second = _in_thread(lambda: transaction.atomic()(_store_replacement)(), failures)
    for thread in (first, second):
        thread.join(timeout=60)
    assert failures == []
    _settled()


def test_a_replacement_committed_after_an_original_was_stored_beside_it_withdraws_it():
    """The replacement's worker holds the document while the original's worker stores and commits."""
    failures: list = []
    started = threading.Event()

    def replacement() -> None:
        with transaction.atomic():
            _store_replacement()
            started.set()
            _until(lambda: Event.objects.filter(pk=LOAD_WRONG["eventID"]).exists(), "the original's commit")

    first = _in_thread(replacement, failures)
    assert started.wait(timeout=20)
    second = _in_thread(lambda: transaction.atomic()(_store_original)(), failures)
    for thread in (first, second):
        thread.join(timeout=60)
    assert failures == []
    _settled()


def _uncommitted_events_exist() -> bool:
    """Whether another transaction has inserted into the events table (its row locks, seen in pg_locks)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'tracking_event' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0
