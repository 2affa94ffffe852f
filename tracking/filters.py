"""Event filters, DCSA style, shared by ``GET /api/v1/events`` and webhook subscriptions.

    >>> criteria = parse({"equipmentReference": "MSKU1234565", "eventType": "EQUIPMENT,CUSTOMS"})
    >>> apply(Event.objects.all(), criteria)      # as a query
    >>> matches(criteria, event_row)               # one stored event, in memory

Equality on references and on the transport call DCSA TNT 2.2 filters by (transportCallID,
vesselIMONumber, exportVoyageNumber and its deprecated name carrierVoyageNumber, carrierServiceCode),
comma-separated lists on eventType, eventClassifierCode, documentTypeCode (shipment events' documents)
and the type codes (each type code filter applies to its own event type; several are OR-ed), and
eventCreatedDateTime ranges (``:gte``, ``:gt``, ``:lte``, ``:lt``, ``:eq``). Unknown
parameters and codes raise :class:`InvalidFilter` naming the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    "bookingReference": "carrier_booking_reference",  # DCSA 2.2's deprecated name of carrierBookingReference
}
#: DCSA TNT 2.2's transport call filters: the path of the field in the stored event, and its format.
CALLS = {
    "transportCallID": (("transportCall", "transportCallID"), r".{1,100}"),
    "vesselIMONumber": (("transportCall", "vessel", "vesselIMONumber"), r"[0-9]{7}"),
    # DCSA 2.2 deprecates carrierVoyageNumber for exportVoyageNumber: both name the voyage we keep
    "exportVoyageNumber": (("transportCall", "carrierVoyageNumber"), r".{1,50}"),
    "carrierVoyageNumber": (("transportCall", "carrierVoyageNumber"), r".{1,50}"),
    "carrierServiceCode": (("transportCall", "carrierServiceCode"), r".{1,5}"),
}
#: DCSA TNT 2.2's documentTypeCode (what a shipment event's documentID is).
DOCUMENT_TYPE_CODES = ("CBR", "BKG", "SHI", "SRM", "TRD", "ARN", "VGM", "CAS", "CUS", "DGD", "OOG")
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
KNOWN = set(REFERENCES) | set(CALLS) | set(TYPE_CODES) | set(LISTS) | set(RANGES) | {"documentTypeCode"}
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
    calls: dict[tuple[str, ...], str] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)


def _payload_value(payload: dict, path: tuple[str, ...]):
    for key in path:
        payload = payload.get(key) if isinstance(payload, dict) else None
    return payload


def _codes(param: str, raw: str, known: Sequence[str]) -> list[str]:
    codes = [code.strip() for code in str(raw).split(",") if code.strip()]
    unknown = [code for code in codes if code not in known]
    if unknown or not codes:
        raise InvalidFilter(
            _("%(param)s: unknown code %(code)s; known: %(known)s")
            % {"param": param, "code": ",".join(unknown) or "''", "known": ", ".join(known)},
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
            value = str(params[param]).strip()
            if criteria.equal.setdefault(column, value) != value:
                raise InvalidFilter(
                    _("%(param)s names another booking than carrierBookingReference") % {"param": param},
                    position=param,
                )
    for param, (path, pattern) in CALLS.items():
        if param in params:
            value = str(params[param]).strip()
            if not re.fullmatch(pattern, value):
                raise InvalidFilter(
                    _("%(param)s: %(value)s is not a valid value") % {"param": param, "value": repr(value[:100])},
                    position=param,
                )
            criteria.calls[path] = value
    if "documentTypeCode" in params:
        criteria.documents = _codes("documentTypeCode", params["documentTypeCode"], DOCUMENT_TYPE_CODES)
    for param, (column, choices) in LISTS.items():
        if param in params:
            criteria.within[column] = _codes(param, params[param], choices.values)
    for param, (event_type, choices) in TYPE_CODES.items():
        if param in params:
            criteria.typed.append((event_type, _codes(param, params[param], choices.values)))
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
    for path, value in criteria.calls.items():
        events = events.filter(**{"__".join(("payload", *path)): value})
    if criteria.documents:
        events = events.filter(payload__documentTypeCode__in=criteria.documents)
    return events


def matches(criteria: Criteria, event) -> bool:
    """Whether one stored event (a :class:`tracking.models.Event`) passes the criteria."""
    if any(getattr(event, column) != value for column, value in criteria.equal.items()):
        return False
    if any(getattr(event, column) not in values for column, values in criteria.within.items()):
        return False
    if criteria.typed and not any(event.event_type == t and event.type_code in c for t, c in criteria.typed):
        return False
    if any(_payload_value(event.payload, path) != value for path, value in criteria.calls.items()):
        return False
    if criteria.documents and event.payload.get("documentTypeCode") not in criteria.documents:
        return False
    return all(COMPARE[lookup](event.event_created_datetime, value) for lookup, value in criteria.created)
