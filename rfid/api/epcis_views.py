"""GS1 EPCIS 2.0 endpoints: capture from gate systems that speak EPCIS, and the gate's events out."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hub.release import ReleasedAfterResponse
from rfid import services
from rfid.api.auth import ReaderApiKeyAuthentication
from rfid.api.body import RawJsonParser, json_body
from rfid.api.permissions import IsReader, MayReadEpcis, party_of, reader_of
from rfid.api.views import as_api_error
from rfid.epcis_capture import capture_document
from rfid.epcis_query import KNOWN, query
from rfid.exceptions import RfidError
from rfid.models import Observation
from rfid.parse import load_json


@extend_schema(request={"application/ld+json": OpenApiTypes.OBJECT}, responses={202: OpenApiTypes.OBJECT})
class Capture(ReleasedAfterResponse, APIView):
    """``POST /api/v1/epcis/capture``: an EPCISDocument of ObjectEvents from a reader's gate system.

    Answers 202 with the number of events captured and the gate decision for the capturing
    reader's lane (the same answer as ``/rfid/reads``).
    """

    parser_classes = [RawJsonParser]
    authentication_classes = [ReaderApiKeyAuthentication]
    permission_classes = [IsReader]

    def post(self, request: Request) -> Response:
        started = time.perf_counter()
        reader = reader_of(request)
        now = timezone.now()
        try:
            body = json_body(request)
            doc = load_json(body)
            collapsed, count = capture_document(
                doc,
                received_at=now,
                limit=settings.RFID_MAX_READS_PER_POST,
                max_skew=settings.RFID_MAX_CLOCK_SKEW_SECONDS,
            )
            answer = services.process_collapsed(
                reader,
                collapsed,
                now=now,
                started=started,
                digest=services.post_digest(reader, services.document_facts(doc)),
            )
        except RfidError as exc:
            raise as_api_error(exc) from exc
        return Response({"captured": count, **answer}, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    parameters=[OpenApiParameter(name, OpenApiTypes.STR) for name in sorted(KNOWN)],
    responses={200: OpenApiTypes.OBJECT},
)
class Events(ReleasedAfterResponse, APIView):
    """``GET /api/v1/epcis/events``: observations as an EPCISQueryDocument of ObjectEvents, paged.

    The next page's link is in the ``Link`` header (``rel="next"``) with its ``nextPageToken``.
    """

    permission_classes = [MayReadEpcis]

    def get(self, request: Request) -> Response:
        params = {k: v for k, v in request.query_params.items()}
        rows = Observation.objects.all()
        party = party_of(request)
        if party is not None and party.role == "reader-operator":
            rows = rows.filter(reader__operator=party)
        try:
            doc, token = query(params, observations=rows)
        except RfidError as exc:
            raise as_api_error(exc) from exc
        response = Response(doc, content_type="application/ld+json")
        if token:
            link = request.build_absolute_uri(request.path) + "?" + urlencode({**params, "nextPageToken": token})
            response["Link"] = f'<{link}>; rel="next"'
        return response
