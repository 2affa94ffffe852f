"""record_events(): store canonical events idempotently; a replayed fact changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from tracking.events import columns
from tracking.models import Event


@dataclass
class RecordResult:
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def record_events(events: list[dict]) -> RecordResult:
    """Insert the events that are new by eventID; report the others as duplicates."""
    result = RecordResult()
    if not events:
        return result
    by_id: dict[str, dict] = {}
    for event in events:
        if event["eventID"] in by_id:
            result.duplicates.append(event["eventID"])
        else:
            by_id[event["eventID"]] = event
    with transaction.atomic():
        existing = {str(pk) for pk in Event.objects.filter(event_id__in=list(by_id)).values_list("event_id", flat=True)}
        rows = [Event(**columns(event)) for eid, event in by_id.items() if eid not in existing]
        Event.objects.bulk_create(rows, ignore_conflicts=True)
    result.stored.extend(str(row.event_id) for row in rows)
    result.duplicates.extend(existing)
    return result
