"""Gate events of opened passes: one task per transaction that opens, nothing missed, nothing doubled."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from rfid import services, tasks
from rfid.models import GateTransaction
from tests.unit.rfid.conftest import TRUCK_TAG, container, container_tag, reads
from tracking.models import Event

pytestmark = pytest.mark.django_db
URL = "/api/v1/rfid/reads"
BOXES = [container("BOLU", "123456"), container("BOLU", "654321")]


@pytest.fixture
def released_truck(bind, set_customs):
    bind(TRUCK_TAG, "truck", "沪A12345")
    for box in BOXES:
        set_customs(box, "RLSD")


@pytest.fixture
def queued(monkeypatch):
    """Count the gate event tasks queued, and run each as a worker would."""
    calls = []
    run = tasks.record_pending_gate_events.apply_async

    def count(*args, **kwargs):
        calls.append(kwargs)
        return run(*args, **kwargs)

    monkeypatch.setattr(tasks.record_pending_gate_events, "apply_async", count)
    return calls


def test_one_task_is_queued_when_a_pass_opens_not_one_per_post(out_reader, post, released_truck, queued):
    _reader, key = out_reader
    start = timezone.now() - timedelta(seconds=5)
    for second in range(4):
        doc = reads(TRUCK_TAG, container_tag(BOXES[0]), at=start + timedelta(seconds=second))
        assert post(URL, doc, key).json()["decision"] == "OPEN"
    assert len(queued) == 1 and GateTransaction.objects.count() == 1
    assert Event.objects.filter(type_code="GTOT", equipment_reference=BOXES[0]).count() == 1


def test_a_container_read_in_a_later_post_of_an_opened_pass_gets_its_event_too(
    out_reader, post, released_truck, queued
):
    _reader, key = out_reader
    now = timezone.now()
    first = post(URL, reads(TRUCK_TAG, container_tag(BOXES[0]), at=now), key).json()
    second = post(URL, reads(container_tag(BOXES[1]), at=now), key).json()
    assert first["transaction"] == second["transaction"] and second["decision"] == "OPEN"
    assert len(queued) == 2
    assert set(Event.objects.filter(type_code="GTOT").values_list("equipment_reference", flat=True)) == set(BOXES)
    assert not GateTransaction.objects.get().events_pending


def test_a_container_added_while_a_batch_records_stays_marked_and_another_batch_is_queued(
    out_reader, post, released_truck, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.RFID_EVENT_BATCH_MS = 60_000
    services._last_batch = time.monotonic()  # a batch was just queued: the post's commit queues none
    _reader, key = out_reader
    post(URL, reads(TRUCK_TAG, container_tag(BOXES[0]), at=timezone.now()), key)
    tx = GateTransaction.objects.get()
    assert tx.events_pending and tx.events == {}
    record = services._record

    def meanwhile(opened, now):  # a post of the same pass commits a second container while the store works
        answer = record(opened, now)
        equipment = [*tx.equipment, {"equipmentReference": BOXES[1], "customsState": "RLSD"}]
        GateTransaction.objects.filter(pk=tx.pk).update(equipment=equipment)
        return answer

    monkeypatch.setattr(services, "_record", meanwhile)
    services._last_batch = -1e9
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.record_pending_events() == 1
    tx.refresh_from_db()
    assert list(tx.events) == [BOXES[0]] and tx.events_pending
    assert [c for c in callbacks if c.__qualname__.startswith("record_soon")], "another batch is queued"
    monkeypatch.setattr(services, "_record", record)
    assert services.record_pending_events() == 1
    tx.refresh_from_db()
    assert set(tx.events) == set(BOXES) and not tx.events_pending


def test_a_held_pass_queues_nothing_and_records_nothing(out_reader, post, bind, set_customs, queued):
    _reader, key = out_reader
    bind(TRUCK_TAG, "truck", "沪A12345")
    set_customs(BOXES[0], "ACPT")
    assert post(URL, reads(TRUCK_TAG, container_tag(BOXES[0])), key).json()["decision"] == "HOLD"
    assert queued == [] and not Event.objects.filter(type_code="GTOT").exists()
