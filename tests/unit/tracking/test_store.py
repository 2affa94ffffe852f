"""record_events(): append-only, unique by eventID; a replayed fact changes nothing."""

import pytest

from tracking.events import event_id
from tracking.models import Event
from tracking.store import record_events

pytestmark = pytest.mark.django_db


def make(n: int) -> dict:
    return {
        "eventID": event_id("EQUIPMENT", "GTIN", n),
        "eventType": "EQUIPMENT",
        "eventClassifierCode": "ACT",
        "equipmentEventTypeCode": "GTIN",
        "eventDateTime": f"2026-11-25T08:{n:02d}:00+08:00",
        "eventCreatedDateTime": "2026-11-25T09:00:00+08:00",
        "equipmentReference": "MSKU1234565",
        "documentReferences": [{"documentReferenceType": "BKG", "documentReferenceValue": "BK1"}],
        "transportCall": {"UNLocationCode": "CNSHA"},
    }


def test_event_ids_are_deterministic_per_fact():
    assert event_id("a", 1) == event_id("a", 1) != event_id("a", 2)


def test_a_replayed_batch_stores_nothing_twice():
    first = record_events([make(1), make(2)])
    again = record_events([make(2), make(1), make(3)])
    assert len(first.stored) == 2
    assert sorted(again.duplicates) == sorted([make(1)["eventID"], make(2)["eventID"]])
    assert again.stored == [make(3)["eventID"]]
    assert Event.objects.count() == 3


def test_a_duplicate_inside_one_batch_is_reported_once():
    result = record_events([make(1), make(1)])
    assert result.stored == [make(1)["eventID"]] and result.duplicates == [make(1)["eventID"]]


def test_indexed_columns_come_from_the_canonical_fields():
    record_events([make(4)])
    row = Event.objects.get()
    assert (row.type_code, row.carrier_booking_reference, row.un_location_code) == ("GTIN", "BK1", "CNSHA")


def test_events_cannot_be_changed_once_stored():
    record_events([make(5)])
    row = Event.objects.get()
    with pytest.raises(ValueError, match="append-only"):
        row.save()


def test_an_event_time_without_offset_is_refused():
    bad = make(6) | {"eventDateTime": "2026-11-25T08:00:00"}
    with pytest.raises(ValueError, match="UTC offset"):
        record_events([bad])
