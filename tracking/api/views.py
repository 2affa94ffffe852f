"""The tracking API: events, containers, shipments, claims, and the public milestones view.

Every view parses input, calls one function of :mod:`tracking.queries`, :mod:`tracking.public`
or :mod:`tracking.access`, and shapes the output. Unknown and not-visible answer the same 404.
"""

from __future__ import annotations

import json

from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from hub.api import ApiError
from hub.release import ReleasedAfterResponse
from tracking import access, public, queries
from tracking.api import serializers
from tracking.api.filters import CALLS, DOCUMENT_TYPE_CODES, LISTS, RANGES, REFERENCES, TYPE_CODES, filter_events
from tracking.api.pagination import EventCursor
from tracking.api.throttling import PartnerRateThrottle
from tracking.exceptions import NotFound, TooManyClaims
from tracking.models import Event, Party
from tracking.visibility import can_see_container, viewer_of, visible_events

ERRORS = {
    400: OpenApiResponse(serializers.ErrorSerializer, description="invalid filter or body"),
    401: OpenApiResponse(serializers.ErrorSerializer, description="no or invalid credentials"),
    403: OpenApiResponse(serializers.ErrorSerializer, description="not allowed"),
    404: OpenApiResponse(serializers.ErrorSerializer, description="unknown, or not visible to the caller"),
}


class ActsForSomeone(permissions.BasePermission):
    """Operators, a party's key or a portal user; a gate reader's key has no business here."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        key = getattr(user, "key", None)
        return key is None or key.party_id is not None


#: The version of DCSA Track & Trace the events list answers by, in its ``API-Version`` header (SemVer).
DCSA_TNT_VERSION = "2.2.0"
PAGE_HEADERS = {
    "API-Version": f"the DCSA Track & Trace contract version: {DCSA_TNT_VERSION}",
    "Current-Page": "a link to this page",
    "Next-Page": "a link to the next page; absent on the last page",
    "Prev-Page": "a link to the previous page; absent on the first page",
}


def _not_found(exc: NotFound) -> ApiError:
    return ApiError(exc.message, code=exc.code, status_code=status.HTTP_404_NOT_FOUND)


@extend_schema(
    summary="Canonical events (DCSA Track & Trace style)",
    parameters=[OpenApiParameter(name, OpenApiTypes.STR) for name in (*REFERENCES, *CALLS, *LISTS, *TYPE_CODES)]
    + [OpenApiParameter("documentTypeCode", OpenApiTypes.STR, description=", ".join(DOCUMENT_TYPE_CODES))]
    + [OpenApiParameter(name, OpenApiTypes.DATETIME) for name in RANGES]
    + [
        OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.HEADER, description=text, response=True)
        for name, text in PAGE_HEADERS.items()
    ],
    responses={200: serializers.EventSerializer(many=True), **ERRORS},
)
class EventList(ReleasedAfterResponse, generics.ListAPIView):
    """Canonical events the caller may see, filtered as DCSA Track & Trace filters them.

    Comma-separated lists are accepted for eventType, eventClassifierCode and the type codes.
    The body is the array of events; the next page's URL is in the `Next-Page` header.
    """

    serializer_class = serializers.EventSerializer
    pagination_class = EventCursor
    permission_classes = [ActsForSomeone]
    throttle_classes = [PartnerRateThrottle]

    def get_queryset(self):
        params = self.request.query_params
        viewer = viewer_of(self.request.user)
        events = Event.objects.only("recorded_at").annotate(document=Cast("payload", TextField()))
        box = params.get("equipmentReference", "").strip()
        if not box or not can_see_container(viewer, box):  # one container seen whole: no grant list to read
            events = visible_events(viewer, events)
        return filter_events(events, params)

    def finalize_response(self, request: Request, response, *args, **kwargs):
        """Every answer, errors too, names the DCSA contract version, as DCSA TNT 2.2 responses do."""
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = DCSA_TNT_VERSION
        return response

    def list(self, request: Request, *args, **kwargs) -> HttpResponse | Response:
        """The page's events as stored (their JSON text, never re-encoded), the links in headers."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        if not isinstance(request.accepted_renderer, JSONRenderer):
            return self.paginator.get_paginated_response([json.loads(e.document) for e in page])
        response = HttpResponse(f"[{','.join(e.document for e in page)}]", content_type="application/json")
        for name, value in self.paginator.link_headers().items():
            response[name] = value
        return response


class ContainerDetail(ReleasedAfterResponse, APIView):
    permission_classes = [ActsForSomeone]
    throttle_classes = [PartnerRateThrottle]

    @extend_schema(
        summary="A container: status, customs state, holds, shipments and timeline",
        responses={200: serializers.ContainerSerializer, **ERRORS},
    )
    def get(self, request: Request, number: str) -> HttpResponse | Response:
        """The body comes shaped from :func:`tracking.queries.container_json`; the serializer documents it."""
        try:
            body = queries.container_json(viewer_of(request.user), number)
        except NotFound as exc:
            raise _not_found(exc) from exc
        if isinstance(request.accepted_renderer, JSONRenderer):
            return HttpResponse(body, content_type="application/json")
        return Response(json.loads(body))  # the browsable API renders it as HTML


class ShipmentDetail(ReleasedAfterResponse, APIView):
    permission_classes = [ActsForSomeone]
    throttle_classes = [PartnerRateThrottle]

    @extend_schema(
        summary="A booking or bill of lading with its containers and timeline",
        parameters=[OpenApiParameter("documentReferenceType", OpenApiTypes.STR, enum=["BKG", "TRD"])],
        responses={200: serializers.ShipmentSerializer, **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        kind = request.query_params.get("documentReferenceType")
        if kind not in (None, "BKG", "TRD"):
            raise ApiError(_("documentReferenceType must be BKG or TRD"), code="invalid_filter")
        try:
            detail = queries.shipment_detail(viewer_of(request.user), reference, kind)
        except NotFound as exc:
            raise _not_found(exc) from exc
        return Response(detail)


class PublicTrack(ReleasedAfterResponse, APIView):
    """Milestones of a container, bill of lading or booking, for anyone: no parties, no customs details."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"

    @extend_schema(
        summary="Public milestones of a container, bill of lading or booking",
        auth=[],
        responses={200: serializers.PublicTrackSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        try:
            found = public.public_milestones(reference)
        except NotFound as exc:
            raise _not_found(exc) from exc
        return Response(found)


def party_of(request: Request) -> Party:
    """The party a partner key or a portal user (of exactly one party) acts for."""
    key = getattr(request.user, "key", None)
    if key is not None:
        return key.party
    parties = list(Party.objects.filter(users=request.user)[:2])
    if len(parties) != 1:
        raise ApiError(_("your login must belong to exactly one party; it has %(n)d") % {"n": len(parties)})
    return parties[0]


class ClaimCreate(ReleasedAfterResponse, APIView):
    permission_classes = [ActsForSomeone]
    throttle_classes = [PartnerRateThrottle]

    @extend_schema(
        summary="Prove a shipment: present a container number and its bill of lading together",
        request=serializers.ClaimRequestSerializer,
        responses={202: serializers.ClaimSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        """A proven claim opens the shipment to your party; a pending one waits for the linking event."""
        body = serializers.ClaimRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            row = access.claim(
                party_of(request),
                queries.normalise_container(body.validated_data["equipmentReference"]),
                body.validated_data["transportDocumentReference"].strip(),
            )
        except TooManyClaims as exc:
            raise ApiError(exc.message, code=exc.code, status_code=status.HTTP_429_TOO_MANY_REQUESTS) from exc
        return Response(serializers.ClaimSerializer(row).data, status=status.HTTP_202_ACCEPTED)
