"""Event filters, DCSA style, shared by ``GET /api/v1/events`` and webhook subscriptions.

    >>> criteria = parse({"equipmentReference": "MSKU1234565", "eventType": "EQUIPMENT,CUSTOMS"})
    >>> apply(Event.objects.all(), criteria)      # as a query
    >>> matches(criteria, event_row)               # one stored event, in memory

Equality on references, comma-separated lists on eventType, eventClassifierCode and the type
codes (each type code filter applies to its own event type; several are OR-ed), and
eventCreatedDateTime ranges (``:gte``, ``:gt``, ``:lte``, ``:lt``, ``:eq``). Unknown
parameters and codes raise :class:`InvalidFilter` naming the parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from tracking.choices import (
    CustomsEventType,
    EquipmentEventType,
    EventClassifier,
    EventType,
    ShipmentEventType,
    TransportEventType,
)
from tracking.exceptions import InvalidFilter

REFERENCES = {
    "equipmentReference": "equipment_reference",
    "carrierBookingReference": "carrier_booking_reference",
    "transportDocumentReference": "transport_document_reference",
    "UNLocationCode": "un_location_code",
}
TYPE_CODES = {
    "equipmentEventTypeCode": (EventType.EQUIPMENT, EquipmentEventType),
    "transportEventTypeCode": (EventType.TRANSPORT, TransportEventType),
    "shipmentEventTypeCode": (EventType.SHIPMENT, ShipmentEventType),
    "customsEventTypeCode": (EventType.CUSTOMS, CustomsEventType),
}
LISTS = {"eventType": ("event_type", EventType), "eventClassifierCode": ("event_classifier", EventClassifier)}
RANGES = {
    "eventCreatedDateTime": "exact",
    "eventCreatedDateTime:eq": "exact",
    "eventCreatedDateTime:gte": "gte",
    "eventCreatedDateTime:gt": "gt",
    "eventCreatedDateTime:lte": "lte",
    "eventCreatedDateTime:lt": "lt",
}
KNOWN = set(REFERENCES) | set(TYPE_CODES) | set(LISTS) | set(RANGES)
COMPARE = {
    "exact": lambda a, b: a == b,
    "gte": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "lte": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
}


@dataclass
class Criteria:
    equal: dict[str, str] = field(default_factory=dict)
    within: dict[str, list[str]] = field(default_factory=dict)
    typed: list[tuple[str, list[str]]] = field(default_factory=list)
    created: list[tuple[str, datetime]] = field(default_factory=list)


def _codes(param: str, raw: str, choices) -> list[str]:
    codes = [code.strip() for code in str(raw).split(",") if code.strip()]
    unknown = [code for code in codes if code not in choices.values]
    if unknown or not codes:
        raise InvalidFilter(
            _("%(param)s: unknown code %(code)s; known: %(known)s")
            % {"param": param, "code": ",".join(unknown) or "''", "known": ", ".join(choices.values)},
            position=param,
        )
    return codes


def parse(params, *, ignore: frozenset[str] = frozenset()) -> Criteria:
    """Check filter parameters (a dict or QueryDict) and return them as criteria."""
    unknown = sorted(set(params) - KNOWN - ignore)
    if unknown:
        raise InvalidFilter(_("unknown filter %(param)s") % {"param": unknown[0]}, position=unknown[0])
    criteria = Criteria()
    for param, column in REFERENCES.items():
        if param in params:
            criteria.equal[column] = str(params[param]).strip()
    for param, (column, choices) in LISTS.items():
        if param in params:
            criteria.within[column] = _codes(param, params[param], choices)
    for param, (event_type, choices) in TYPE_CODES.items():
        if param in params:
            criteria.typed.append((event_type, _codes(param, params[param], choices)))
    for param, lookup in RANGES.items():
        if param in params:
            value = parse_datetime(str(params[param]).replace(" ", "+"))
            if value is None or value.tzinfo is None:
                raise InvalidFilter(
                    _("%(param)s must be an ISO 8601 date-time with a UTC offset") % {"param": param}, position=param
                )
            criteria.created.append((lookup, value))
    return criteria


def apply(events: QuerySet, criteria: Criteria) -> QuerySet:
    events = events.filter(**criteria.equal, **{f"{column}__in": v for column, v in criteria.within.items()})
    if criteria.typed:
        typed = Q()
        for event_type, codes in criteria.typed:
            typed |= Q(event_type=event_type, type_code__in=codes)
        events = events.filter(typed)
    for lookup, value in criteria.created:
        events = events.filter(**{f"event_created_datetime__{lookup}": value})
    return events


def matches(criteria: Criteria, event) -> bool:
    """Whether one stored event (a :class:`tracking.models.Event`) passes the criteria."""
    if any(getattr(event, column) != value for column, value in criteria.equal.items()):
        return False
    if any(getattr(event, column) not in values for column, values in criteria.within.items()):
        return False
    if criteria.typed and not any(event.event_type == t and event.type_code in c for t, c in criteria.typed):
        return False
    return all(COMPARE[lookup](event.event_created_datetime, value) for lookup, value in criteria.created)
