"""Customs endpoints: brokers and carriers submit declarations and manifests and follow them to release.

- ``POST /api/v1/customs/declarations``: the message XML (China manifest or WCO DM declaration)
  or EDIFACT (CUSDEC, CUSCAR; read through the translation layer) with the broker's or carrier's key; ``202 {"id", "state"}`` once recorded, sending queued;
- ``GET /api/v1/customs/declarations/{id}``: state, references, holds, every message and transition;
- ``GET /api/v1/customs/declarations/{id}/audit?export=json|csv``: the audit trail;
- ``GET /api/v1/customs/declarations/{id}/messages/{message}``: a message's exact bytes;
- ``POST /api/v1/customs/responses``: an authority's or agency's answer (their keys only; a customs
  authority's CUSRES as EDIFACT too).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customs_gateway import services
from customs_gateway.api.serializers import DeclarationSerializer, SubmittedSerializer
from customs_gateway.edifact import is_edifact, receive_cusres
from customs_gateway.exceptions import CustomsError
from customs_gateway.models import Declaration
from edi.api.views import RawBodyParser
from hub.api import ApiError
from hub.release import ReleasedAfterResponse
from tracking.api.throttling import PartnerRateThrottle

XML_TYPES = ("application/xml", "text/xml", "application/soap+xml")
EDIFACT_TYPES = ("application/edifact",)
AUTHORITY_ROLES = ("customs", "inspection")
ERRORS = {
    "not_a_partner": _("Only a partner system's API key may submit declarations."),
    "content_type": _("Send the declaration as XML (application/xml or text/xml) or EDIFACT (application/edifact)."),
    "too_large": _("The message is larger than the limit of %(limit)s bytes."),
    "not_found": _("No such declaration for your party."),
    "not_a_submitter": _("An authority's or inspection agency's key answers declarations; it does not lodge them."),
    "not_an_authority": _("Only a customs authority's or inspection agency's key may post responses."),
}


def _party(request: Request):
    party = getattr(request.user, "party", None)
    if party is None:
        raise PermissionDenied(ERRORS["not_a_partner"], code="not_a_partner")
    return party


def _submitter(request: Request):
    """The party lodging: a trader's system (broker, carrier, terminal, depot), never an authority or agency."""
    party = _party(request)
    if party.role in AUTHORITY_ROLES:
        raise PermissionDenied(ERRORS["not_a_submitter"], code="wrong_role")
    return party


def _xml_body(request: Request) -> bytes:
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    if content_type not in XML_TYPES + EDIFACT_TYPES:
        raise ApiError(str(ERRORS["content_type"]), code="unsupported_media_type", status_code=415)
    limit = settings.CUSTOMS_MAX_MESSAGE_BYTES
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        raise ApiError(str(ERRORS["too_large"] % {"limit": limit}), code="too_large", status_code=413)
    return request.data if isinstance(request.data, bytes) else b""


def _api_error(exc: CustomsError) -> ApiError:
    return ApiError(exc.message, code=exc.code, status_code=exc.http_status, position=exc.position)


class Declarations(ReleasedAfterResponse, APIView):
    parser_classes = [RawBodyParser]
    throttle_classes = [PartnerRateThrottle]  # per key: one partner's flood never uses up another's rate

    @extend_schema(
        summary="Submit a declaration or manifest",
        request={"application/xml": OpenApiTypes.BINARY, "application/edifact": OpenApiTypes.BINARY},
        responses={
            202: SubmittedSerializer,
            400: OpenApiResponse(description="malformed, hostile or schema-invalid XML; the error names the element"),
            403: OpenApiResponse(
                description="not a partner key, an authority's or agency's key, or the message's sender is not your party"
            ),
            409: OpenApiResponse(description="duplicate message id, or the declaration's state does not allow it"),
            413: OpenApiResponse(description="too large"),
            415: OpenApiResponse(description="neither XML nor EDIFACT"),
        },
    )
    def post(self, request: Request) -> Response:
        party = _submitter(request)
        body = _xml_body(request)
        try:
            declaration = services.submit(party, body, actor=f"{party.edi_id} ({request.user})")
        except CustomsError as exc:
            raise _api_error(exc) from exc
        answer = SubmittedSerializer({"id": declaration.pk, "state": declaration.state}).data
        response = Response(answer, status=status.HTTP_202_ACCEPTED)
        response["Location"] = f"/api/v1/customs/declarations/{declaration.pk}"
        return response


def _own(request: Request, pk) -> Declaration:
    party = _party(request)
    declaration = (
        Declaration.objects.filter(pk=pk, party=party)
        .prefetch_related("bills", "containers__bill", "agency_checks", "messages", "audit_entries__message")
        .first()
    )
    if declaration is None:
        raise NotFound(ERRORS["not_found"])
    return declaration


class DeclarationDetail(ReleasedAfterResponse, APIView):
    @extend_schema(
        summary="A declaration: state, references, holds, messages and transitions",
        responses={200: DeclarationSerializer, 404: None},
    )
    def get(self, request: Request, pk) -> Response:
        return Response(DeclarationSerializer(_own(request, pk)).data)


class DeclarationAudit(ReleasedAfterResponse, APIView):
    @extend_schema(
        summary="The audit trail of a declaration",
        parameters=[OpenApiParameter("export", str, enum=["json", "csv"], default="json")],
        responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request: Request, pk) -> HttpResponse:
        fmt = "csv" if request.query_params.get("export") == "csv" else "json"
        body = services.export(_own(request, pk), fmt)
        response = HttpResponse(body, content_type="text/csv" if fmt == "csv" else "application/json")
        response["Content-Disposition"] = f'attachment; filename="declaration-{pk}-audit.{fmt}"'
        return response


class DeclarationMessage(ReleasedAfterResponse, APIView):
    @extend_schema(
        summary="The exact bytes of one message in or out of a declaration",
        responses={(200, "application/xml"): OpenApiTypes.BINARY, 404: None},
    )
    def get(self, request: Request, pk, message_pk: int) -> HttpResponse:
        message = _own(request, pk).messages.filter(pk=message_pk).first()
        if message is None:
            raise NotFound(ERRORS["not_found"])
        response = HttpResponse(bytes(message.body), content_type="application/xml")
        response["Digest"] = f"sha-256={message.sha256}"
        return response


class Responses(ReleasedAfterResponse, APIView):
    parser_classes = [RawBodyParser]
    throttle_classes = [PartnerRateThrottle]  # per key: one partner's flood never uses up another's rate

    @extend_schema(
        summary="An authority's or agency's answer (signed; DXP envelope or bare document)",
        request={"application/xml": OpenApiTypes.BINARY},
        responses={202: OpenApiTypes.OBJECT, 403: None, 413: None, 415: None},
    )
    def post(self, request: Request) -> Response:
        party = _party(request)
        if party.role not in AUTHORITY_ROLES:
            raise PermissionDenied(ERRORS["not_an_authority"], code="not_an_authority")
        body = _xml_body(request)
        if party.role == "customs" and is_edifact(body):  # a CUSRES, on the authority's authenticated channel
            results = receive_cusres(body, sender=party.edi_id)
            result = results[0]
        else:
            result = services.receive(body, channel=party.edi_id, authenticated=party.edi_id, role=party.role)
        answer = {
            "status": result.status,
            "message": result.message.pk if result.message else None,
            "note": result.note,
        }
        return Response(answer, status=status.HTTP_202_ACCEPTED)
