"""The events API (operators for now; party visibility rules arrive with the tracking store issue)."""

from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.pagination import CursorPagination

from hub.api import ApiError
from tracking.api.serializers import EventSerializer
from tracking.models import Event

FILTERS = {
    "equipmentReference": "equipment_reference",
    "carrierBookingReference": "carrier_booking_reference",
    "transportDocumentReference": "transport_document_reference",
    "eventType": "event_type",
    "equipmentEventTypeCode": "type_code",
    "transportEventTypeCode": "type_code",
    "shipmentEventTypeCode": "type_code",
    "customsEventTypeCode": "type_code",
    "eventClassifierCode": "event_classifier",
    "UNLocationCode": "un_location_code",
}
RANGES = {
    "eventCreatedDateTime:gte": "event_created_datetime__gte",
    "eventCreatedDateTime:lt": "event_created_datetime__lt",
}


class EventCursor(CursorPagination):
    ordering = ("recorded_at", "event_id")
    page_size = 100
    page_size_query_param = "limit"
    max_page_size = 1000


@extend_schema(
    parameters=[OpenApiParameter(name, OpenApiTypes.STR) for name in FILTERS]
    + [OpenApiParameter(name, OpenApiTypes.DATETIME) for name in RANGES],
    responses={200: OpenApiTypes.OBJECT},
)
class EventList(generics.ListAPIView):
    """Canonical events, filtered as DCSA Track & Trace filters them, with cursor pagination."""

    serializer_class = EventSerializer
    pagination_class = EventCursor
    permission_classes = [permissions.IsAdminUser]

    def get_queryset(self):
        queryset = Event.objects.all()
        params = self.request.query_params
        for param, column in FILTERS.items():
            if param in params:
                queryset = queryset.filter(**{column: params[param]})
        for param, lookup in RANGES.items():
            if param in params:
                value = parse_datetime(params[param])
                if value is None:
                    raise ApiError(f"{param} must be an ISO 8601 date-time", code="invalid_filter")
                queryset = queryset.filter(**{lookup: value})
        return queryset
