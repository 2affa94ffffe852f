"""DCSA-style filters of ``GET /api/v1/events``: equality, comma-separated lists, date-time ranges.

Unknown parameters and unknown codes are refused with 400 (``invalid_filter``) naming the
parameter, rather than silently answering everything.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from hub.api import ApiError
from tracking.choices import (
    CustomsEventType,
    EquipmentEventType,
    EventClassifier,
    EventType,
    ShipmentEventType,
    TransportEventType,
)

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
PAGING = {"cursor", "limit"}
KNOWN = set(REFERENCES) | set(TYPE_CODES) | set(LISTS) | set(RANGES) | PAGING


def _codes(param: str, raw: str, choices) -> list[str]:
    codes = [code.strip() for code in raw.split(",") if code.strip()]
    unknown = [code for code in codes if code not in choices.values]
    if unknown or not codes:
        raise ApiError(
            _("%(param)s: unknown code %(code)s; known: %(known)s")
            % {"param": param, "code": ",".join(unknown) or "''", "known": ", ".join(choices.values)},
            code="invalid_filter",
            position=param,
        )
    return codes


def filter_events(events: QuerySet, params) -> QuerySet:
    """Apply the query parameters of the events API to ``events``."""
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        raise ApiError(
            _("unknown filter %(param)s") % {"param": unknown[0]}, code="invalid_filter", position=unknown[0]
        )
    for param, column in REFERENCES.items():
        if param in params:
            events = events.filter(**{column: params[param].strip()})
    for param, (column, choices) in LISTS.items():
        if param in params:
            events = events.filter(**{f"{column}__in": _codes(param, params[param], choices)})
    typed = Q()
    for param, (event_type, choices) in TYPE_CODES.items():
        if param in params:
            typed |= Q(event_type=event_type, type_code__in=_codes(param, params[param], choices))
    if typed:
        events = events.filter(typed)
    for param, lookup in RANGES.items():
        if param in params:
            value = parse_datetime(params[param].replace(" ", "+"))
            if value is None or value.tzinfo is None:
                raise ApiError(
                    _("%(param)s must be an ISO 8601 date-time with a UTC offset") % {"param": param},
                    code="invalid_filter",
                    position=param,
                )
            events = events.filter(**{f"event_created_datetime__{lookup}": value})
    return events
