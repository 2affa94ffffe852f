"""Status rows written set-based: one batch gives the rows event-by-event recording gives, in a fixed
number of statements however many containers, shipments and events the batch holds."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.tracking.builders import build_event, container
from tests.unit.tracking.test_projections import HISTORY, snapshot
from tracking import statuses
from tracking.models import ContainerStatus, Event, ShipmentStatus
from tracking.store import record_events

pytestmark = pytest.mark.django_db

BOXES = [container("TGHU", f"{n:06d}") for n in range(12)]
# a history over several containers and shipments: milestones, a late older event, estimates, customs
WIDE = [
    build_event(code, box=box, at=f"2026-11-{day:02d}T08:00:00+08:00", bill=f"BL{n % 3}", booking=f"BK{n % 2}")
    for n, box in enumerate(BOXES)
    for code, day in (("GTIN", 1 + n % 5), ("LOAD", 3 + n % 5), ("GTOT", 2))  # GTOT: older than LOAD for most
] + [
    build_event("HOLD", kind="CUSTOMS", box=BOXES[0], at="2026-11-09T10:00:00Z", authority="CIQ", bill="BL0"),
    build_event("RLSD", kind="CUSTOMS", box=BOXES[0], at="2026-11-08T10:00:00Z", authority="CIQ", bill="BL0"),
    build_event("ARRI", kind="TRANSPORT", classifier="EST", box=BOXES[1], at="2026-12-01T08:00:00Z"),
]


def _reset() -> None:
    ContainerStatus.objects.all().delete()
    ShipmentStatus.objects.all().delete()
    Event.objects.all().delete()


def test_one_batch_gives_the_rows_that_recording_each_event_alone_gives():
    for event in WIDE:
        record_events([event])
    one_by_one = snapshot()
    _reset()
    record_events(WIDE)
    assert snapshot() == one_by_one
    assert one_by_one["EQ " + BOXES[0]]["holds"] == [
        {"authority": "CIQ", "code": "HOLD", "since": "2026-11-09T10:00:00.000000+00:00"}
    ]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(HISTORY + WIDE), size=st.integers(1, len(HISTORY + WIDE)))
def test_batches_of_any_size_in_any_order_give_the_per_event_rows(order, size):
    _reset()
    for event in HISTORY + WIDE:
        record_events([event])
    per_event = snapshot()
    _reset()
    for start in range(0, len(order), size):
        record_events(list(order[start : start + size]))
    assert snapshot() == per_event
    call_command("tracking", "rebuild", stdout=StringIO())
    assert snapshot() == per_event


def _status_statements(events: list[dict]) -> int:
    """Statements ``statuses.update`` issues for a batch (after the events are stored)."""
    original = statuses.update
    counted = {}

    def counting(*args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            original(*args, **kwargs)
        counted["n"] = len(queries.captured_queries)

    statuses.update = counting
    try:
        record_events(events)
    finally:
        statuses.update = original
    return counted["n"]


def test_the_status_statements_do_not_grow_with_the_batch():
    def batch(day: int) -> list[dict]:
        return [
            build_event(c, box=box, bill=f"BL{n}", booking=f"BK{n}", at=f"2026-11-{day:02d}T08:00:00+08:00")
            for n, box in enumerate(BOXES)
            for c in ("GTIN", "LOAD")
        ]

    one = _status_statements([build_event("GTIN", box=BOXES[0], bill="BLA", booking="BKA")])
    _reset()
    many = _status_statements(batch(1))
    assert one == many == 2  # per table: the new rows inserted, their events folded in already
    later = _status_statements(batch(5))
    assert later == 6  # per table: the insert finds the rows there, locks them, writes the changed ones


def test_an_older_event_that_changes_nothing_writes_no_row():
    record_events([build_event("LOAD", at="2026-11-03T08:00:00+08:00")])
    before = ContainerStatus.objects.get().updated_at
    assert _status_statements([build_event("GTIN", at="2026-11-01T08:00:00+08:00")]) == 2  # insert, lock
    row = ContainerStatus.objects.get()
    assert (row.milestone, row.updated_at) == ("LOAD", before)
