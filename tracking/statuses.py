"""Keeping the status rows: incrementally inside ``record_events``, or rebuilt from all events.

``update`` locks the affected status rows (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite
serialises writers) and folds only the new events into them; ``rebuild`` folds every
container's and shipment's timeline from scratch. Both give the same rows (tested). ``refold``
folds some containers' and shipments' current timelines from scratch: a withdrawal
(:mod:`tracking.withdrawals`) takes events out of a timeline, which no fold can undo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from tracking.bulk import insert
from tracking.choices import ShipmentKind
from tracking.models import ContainerStatus, Equipment, Event, Shipment, ShipmentStatus
from tracking.projections import FIELDS, apply, fold, state_row

BATCH = 1000
SHIPMENT_COLUMN = {ShipmentKind.BKG: "carrier_booking_reference", ShipmentKind.TRD: "transport_document_reference"}


def _update_rows(model, key: str, groups: dict[int, list[Event]]) -> None:
    """Fold each row's new events into it: one statement when every row is new, three at most per table.

    Each row's new events are folded from nothing and the rows are inserted so (``ON CONFLICT DO
    NOTHING``, in key order, the inserted keys returned). The rows that existed are locked (``SELECT
    ... FOR UPDATE``, in key order, so that concurrent workers never deadlock on them), folded in
    Python with the same :func:`apply` as a rebuild, and the ones that changed written back in one
    ``INSERT ... ON CONFLICT DO UPDATE`` (the rows are locked, so the upsert only ever updates).
    """
    if not groups:
        return
    keys = sorted(groups)
    names = [key, *FIELDS, "updated_at"]
    now = timezone.now()
    fresh = [(pk, *state_row(fold(groups[pk])), now) for pk in keys]
    inserted = {pk for (pk,) in insert(model, names, fresh, unique=[key], returning=[key])}
    existing = [pk for pk in keys if pk not in inserted]
    if not existing:
        return
    changed = []
    for pk, *values in (
        model.objects.select_for_update().filter(pk__in=existing).order_by("pk").values_list("pk", *FIELDS)
    ):
        before = dict(zip(FIELDS, values, strict=True))
        state = dict(before)  # apply() replaces the lists it changes, so ``before`` stays as it was
        for event in groups[pk]:
            apply(state, event)
        if state != before:
            changed.append((pk, *state_row(state), now))
    insert(model, names, changed, unique=[key], update=names[1:])


def update(events: list[Event], equipment: dict[str, int], shipments: dict[tuple[str, str], int]) -> None:
    """Fold newly stored events into the statuses of their containers and shipments."""
    containers: dict[int, list[Event]] = defaultdict(list)
    bookings: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        if event.equipment_reference:
            containers[equipment[event.equipment_reference]].append(event)
        for kind, column in SHIPMENT_COLUMN.items():
            reference = getattr(event, column)
            if reference:
                bookings[shipments[(kind, reference)]].append(event)
    _update_rows(ContainerStatus, "equipment_id", containers)
    _update_rows(ShipmentStatus, "shipment_id", bookings)


def refold(events: list[Event]) -> None:
    """Fold the whole current timeline of every container and shipment these events name, again.

    A container or shipment left without current events loses its status row, as ``rebuild`` leaves it.
    """
    equipment = {e.equipment_reference for e in events if e.equipment_reference}
    targets = [
        (ContainerStatus, "equipment_id", Equipment.objects.filter(reference__in=equipment), "equipment_reference")
    ]
    for kind, column in SHIPMENT_COLUMN.items():
        references = {getattr(e, column) for e in events if getattr(e, column)}
        targets.append(
            (ShipmentStatus, "shipment_id", Shipment.objects.filter(kind=kind, reference__in=references), column)
        )
    now = timezone.now()
    for model, key, owners, column in targets:
        pks = dict(owners.values_list("reference", "pk"))
        if not pks:
            continue
        timelines: dict[str, list[Event]] = defaultdict(list)
        for event in Event.objects.filter(**{f"{column}__in": list(pks)}).order_by("event_datetime", "event_id"):
            timelines[getattr(event, column)].append(event)
        list(  # the existing rows locked in key order, as _update_rows locks them
            model.objects.select_for_update()
            .filter(**{f"{key}__in": sorted(pks.values())})
            .order_by(key)
            .values_list(key)
        )
        model.objects.filter(
            **{f"{key}__in": [pk for reference, pk in pks.items() if reference not in timelines]}
        ).delete()
        rows = sorted((pks[reference], *state_row(fold(timeline)), now) for reference, timeline in timelines.items())
        insert(model, [key, *FIELDS, "updated_at"], rows, unique=[key], update=[*FIELDS, "updated_at"])


def _timelines(column: str) -> Iterator[tuple[str, list[Event]]]:
    """Each reference's events, streaming the table once in reference order."""
    events = Event.objects.exclude(**{column: ""}).order_by(column, "event_datetime", "event_id")
    current, timeline = None, []
    for event in events.iterator(chunk_size=BATCH):
        reference = getattr(event, column)
        if reference != current and timeline:
            yield current, timeline
            timeline = []
        current = reference
        timeline.append(event)
    if timeline:
        yield current, timeline


def _write(model, rows: list) -> None:
    model.objects.bulk_create(rows, batch_size=BATCH)
    rows.clear()


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Recompute every status row from the events alone; return how many rows of each kind."""
    ContainerStatus.objects.all().delete()
    ShipmentStatus.objects.all().delete()
    equipment = dict(Equipment.objects.values_list("reference", "pk"))
    rows: list = []
    for reference, timeline in _timelines("equipment_reference"):
        if reference not in equipment:
            equipment[reference] = Equipment.objects.get_or_create(reference=reference)[0].pk
        rows.append(ContainerStatus(equipment_id=equipment[reference], **fold(timeline)))
        if len(rows) >= BATCH:
            _write(ContainerStatus, rows)
    _write(ContainerStatus, rows)
    counts = {"containers": ContainerStatus.objects.count()}
    for kind, column in SHIPMENT_COLUMN.items():
        shipments = dict(Shipment.objects.filter(kind=kind).values_list("reference", "pk"))
        for reference, timeline in _timelines(column):
            if reference not in shipments:
                shipments[reference] = Shipment.objects.get_or_create(kind=kind, reference=reference)[0].pk
            rows.append(ShipmentStatus(shipment_id=shipments[reference], **fold(timeline)))
            if len(rows) >= BATCH:
                _write(ShipmentStatus, rows)
        _write(ShipmentStatus, rows)
    counts["shipments"] = ShipmentStatus.objects.count()
    return counts
