"""record_events(): validate, store idempotently, link, grant, project, and push after commit.

    >>> result = record_events([event])      # a batch, usually one message's events
    >>> result.stored, result.duplicates, result.flags

One transaction per batch: the events are checked against the canonical schema first (an
invalid batch raises :class:`tracking.exceptions.InvalidEvent` and stores nothing), then
inserted with ``INSERT ... ON CONFLICT (event_id) DO NOTHING RETURNING event_id`` so that of
two workers recording the same eventID exactly one reports it stored. Only the events this
call stored update statuses, grant access, start webhook deliveries and are pushed live.
Each event names the report it came from (``document_key``): an event whose report was already
replaced or cancelled is stored withdrawn (:mod:`tracking.withdrawals`) and neither folded nor
pushed; an event already stored from another report is recorded as restated by this one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tracking import access, statuses, webhooks, withdrawals
from tracking.bulk import insert
from tracking.events import columns, complete
from tracking.models import Event
from tracking.push import push_on_commit
from tracking.references import Flag, call_key, link
from tracking.validation import check_events


@dataclass
class RecordResult:
    """What a batch did: eventIDs newly stored, eventIDs already there, numbers stored flagged."""

    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def _insert_new(rows: list[Event]) -> set[str]:
    """Insert the rows whose eventID is absent; return the eventIDs this call inserted."""
    names = [f.name for f in Event._meta.concrete_fields]
    attributes = [f.attname for f in Event._meta.concrete_fields]
    values = [tuple(getattr(row, a) for a in attributes) for row in rows]
    inserted = insert(Event, names, values, unique=["event_id"], returning=["event_id"])
    return {str(uuid.UUID(str(value))) for (value,) in inserted}


def _row(event: dict, links, parties, recorded_at) -> Event:
    call = event.get("transportCall") or {}
    sender = parties.get((event.get("source") or {}).get("party") or "")
    return Event(
        **columns(event),
        transport_call_id=links.transport_calls.get(call_key(call)) if call.get("UNLocationCode") else None,
        source_party=sender,
        recorded_at=recorded_at,
        document_key=withdrawals.key_of(event),
    )


def record_events(events: list[dict], *, checked: bool = False) -> RecordResult:
    """Store the events that are new by eventID; report the others as duplicates.

    ``checked``: the caller has already checked every event against the schema (``problems_of``).
    """
    if not checked:
        check_events(events)
    result = RecordResult()
    by_id: dict[str, dict] = {}
    for event in events:
        key = str(uuid.UUID(event["eventID"]))
        if key in by_id:
            result.duplicates.append(key)
        else:
            by_id[key] = complete({**event, "eventID": key})
    if not by_id:
        return result
    with transaction.atomic():
        batch = list(by_id.values())
        links = link(batch)
        parties = access.parties_by_edi_id(batch)
        now = timezone.now()
        rows = [_row(event, links, parties, now) for event in batch]
        inserted = _insert_new(sorted(rows, key=lambda row: str(row.event_id)))  # one lock order for all workers
        new_rows = [row for row in rows if str(row.event_id) in inserted]
        revived = withdrawals.restated([event for event in batch if event["eventID"] not in inserted])
        keys = {row.document_key for row in rows if row.document_key}
        withdrawals.settle_after_commit(withdrawals.try_lock(keys, shared=True))  # a withdrawal under way
        # a report replaced or cancelled before this copy of it arrived, or a withdrawn event stated again
        late: set[str] = set()
        if revived or withdrawals.any_withdrawn(keys):
            late = set(withdrawals.settle(keys).withdrawn)
            new_rows = [row for row in new_rows if str(row.event_id) not in late]
        new_events = [row.payload for row in new_rows]
        # a fact stored before, told again by another report: the parties and documents this copy names
        # are linked and granted as the first copy's were (a consolidator's bill on a carrier's load)
        again = [event for event in batch if event["eventID"] not in inserted and event["eventID"] not in late]
        access.grant_from_events(new_events + again, parties)
        access.prove_pending(links.pairs)
        statuses.update(new_rows, links.equipment, links.shipments)
        webhooks.fan_out(new_rows)
        push_on_commit(new_events)
    result.stored = [eid for eid in by_id if eid in inserted]
    result.duplicates.extend(eid for eid in by_id if eid not in inserted)
    result.flags = links.flags
    return result
