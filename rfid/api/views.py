"""RFID endpoints: reads in (the gate decision out), heartbeats, tag bindings, transactions and overrides.

Views parse and check, call one service, shape the answer. Every failure is the hub's error shape
``{"error": {"code", "message", "position"}}`` with the fitting status.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hub.api import ApiError
from hub.release import ReleasedAfterResponse
from rfid import services
from rfid.api.auth import ReaderApiKeyAuthentication
from rfid.api.body import RawJsonParser, json_body
from rfid.api.permissions import IsGateOperator, IsReader, actor, gate_rows, reader_of
from rfid.api.serializers import BindingSerializer, OverrideSerializer, TransactionSerializer
from rfid.exceptions import RfidError, UnknownTransaction
from rfid.models import GateTransaction, TagBinding
from rfid.parse import load_json, parse_payload, parse_time

GENERIC_EXAMPLE = {
    "reader": "GATE1-OUT-L1",
    "reads": [
        {"epc": "3074257BF7194E4000001A85", "antenna": 1, "rssi": -52.5, "time": "2026-11-25T08:00:00.120+08:00"}
    ],
}
ANSWER_EXAMPLE = {
    "decision": "HOLD",
    "reasons": [{"code": "NOT_RELEASED", "message": "Container BOLU1234565 is not released by customs (state ACPT)."}],
    "transaction": "8a3c2f4e-2b61-5f0e-9d2a-0c8e1f3b7a55",
    "equipment": [{"equipmentReference": "BOLU1234565", "customsState": "ACPT"}],
    "decidedIn_ms": 2.7,
}


def as_api_error(exc: RfidError) -> ApiError:
    return ApiError(exc.message, code=exc.code, status_code=exc.status, position=exc.position)


@extend_schema(
    request={"application/json": OpenApiTypes.OBJECT, "application/x-ndjson": OpenApiTypes.STR},
    responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The gate decision")},
    examples=[
        OpenApiExample("generic", value=GENERIC_EXAMPLE, request_only=True),
        OpenApiExample("answer", value=ANSWER_EXAMPLE, response_only=True),
    ],
)
class Reads(ReleasedAfterResponse, APIView):
    """``POST /api/v1/rfid/reads``: tag reads from a gate reader, answered with the gate decision.

    Shapes: the generic ``{"reader", "reads": [{"epc", "antenna", "rssi", "time"}]}``; Impinj R700
    IoT device interface ``tagInventoryEvent`` events (one, an array, or JSON lines); Zebra FX IoT
    Connector data events (one or an array). ``?gate=`` and ``?reader=`` may name the gate and reader
    for the vendor shapes, which carry neither; a key whose reader is not bound to them gets 403.
    """

    parser_classes = [RawJsonParser]
    authentication_classes = [ReaderApiKeyAuthentication]
    permission_classes = [IsReader]

    def post(self, request: Request) -> Response:
        started = time.perf_counter()
        reader = reader_of(request)
        try:
            body = json_body(request)
            payload = parse_payload(body, limit=settings.RFID_MAX_READS_PER_POST)
            services.check_binding(
                reader, payload, reader_id=request.query_params.get("reader"), gate=request.query_params.get("gate")
            )
            digest = services.reads_digest(reader, payload.reads)
            answer = services.process_reads(reader, payload, started=started, digest=digest)
        except RfidError as exc:
            raise as_api_error(exc) from exc
        return Response(answer)


@extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
class Heartbeat(ReleasedAfterResponse, APIView):
    """``POST /api/v1/rfid/heartbeat``: a reader says it is alive (any JSON object: Zebra heartbeat, Impinj keep-alive, ...)."""

    parser_classes = [RawJsonParser]
    authentication_classes = [ReaderApiKeyAuthentication]
    permission_classes = [IsReader]

    def post(self, request: Request) -> Response:
        reader = reader_of(request)
        try:
            body = load_json(json_body(request))
        except RfidError as exc:
            raise as_api_error(exc) from exc
        if not isinstance(body, dict):
            raise ApiError(_("A heartbeat is a JSON object."), code="invalid", position="$")
        claimed = body.get("reader")
        if claimed is not None and claimed != reader.reader_id:
            raise ApiError(
                _("This key belongs to another reader."), code="forbidden", status_code=403, position="$.reader"
            )
        at = services.heartbeat(reader, body)
        return Response({"reader": reader.reader_id, "lastSeenAt": at.isoformat()})


class BindingList(ReleasedAfterResponse, generics.ListCreateAPIView):
    """``GET/POST /api/v1/rfid/bindings``: which tag is on which truck, trailer or container, and when.

    Filters: ``tag``, ``reference``, ``kind``, ``at`` (valid at that time; ``now`` for current ones).
    """

    serializer_class = BindingSerializer
    permission_classes = [IsGateOperator]

    def get_queryset(self):
        rows = TagBinding.objects.all()
        params = self.request.query_params
        if params.get("tag"):
            rows = rows.filter(tag=params["tag"])
        if params.get("reference"):
            rows = rows.filter(reference__iexact=params["reference"])
        if params.get("kind"):
            rows = rows.filter(kind=params["kind"])
        if params.get("at"):
            try:
                at = timezone.now() if params["at"] == "now" else parse_time(params["at"], "at")
            except RfidError as exc:
                raise as_api_error(exc) from exc
            rows = rows.filter(valid_from__lte=at).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=at))
        return rows

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        try:
            serializer.instance = services.bind_tag(
                data["tag"],
                kind=data["kind"],
                reference=data["reference"],
                by=actor(self.request),
                valid_from=data.get("valid_from"),
                valid_to=data.get("valid_to"),
                note=data.get("note", ""),
            )
        except RfidError as exc:
            raise as_api_error(exc) from exc


class BindingDetail(ReleasedAfterResponse, generics.RetrieveDestroyAPIView):
    """``GET /api/v1/rfid/bindings/{id}``; ``DELETE`` ends the binding now (the history is kept)."""

    serializer_class = BindingSerializer
    permission_classes = [IsGateOperator]
    queryset = TagBinding.objects.all()

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        binding = services.end_binding(self.get_object())
        return Response(BindingSerializer(binding).data)


class TransactionDetail(ReleasedAfterResponse, generics.RetrieveAPIView):
    """``GET /api/v1/rfid/transactions/{id}``: a gate transaction, its decision, observations and overrides."""

    serializer_class = TransactionSerializer
    permission_classes = [IsGateOperator]

    def get_queryset(self):
        return gate_rows(self.request, GateTransaction.objects.prefetch_related("observations", "overrides"))


@extend_schema(request=OverrideSerializer, responses={200: OpenApiTypes.OBJECT})
class Override(ReleasedAfterResponse, APIView):
    """``POST /api/v1/rfid/transactions/{id}/override`` ``{"decision": "OPEN"|"HOLD", "reason": "..."}``: audited."""

    permission_classes = [IsGateOperator]

    def post(self, request: Request, pk: str) -> Response:
        serializer = OverrideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not gate_rows(request, GateTransaction.objects.filter(pk=pk)).exists():  # another operator's: unknown
            unknown = UnknownTransaction(
                _("No gate transaction %(id)s.") % {"id": str(pk)[:40]}, position="transaction"
            )
            raise as_api_error(unknown)
        try:
            result = services.override(pk, by=actor(request), **serializer.validated_data)
        except RfidError as exc:
            raise as_api_error(exc) from exc
        return Response(result.answer, status=status.HTTP_200_OK)
