"""EDI endpoints: raw messages in, their state and acknowledgement out."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from edi.api.serializers import RawMessageSerializer, ReceiptSerializer
from edi.exceptions import EdiError, MessageTooLarge, Refused, UnsupportedContentType
from edi.models import Channel, RawMessage
from edi.services import receive
from edi.writing import edifact_bytes, mime_charset
from hub.api import ApiError
from hub.release import ReleasedAfterResponse
from tracking.api.throttling import PartnerRateThrottle

ACCEPTED_TYPES = (
    "application/edifact",
    "application/edi-x12",
    "application/octet-stream",
    "application/xml",
    "text/xml",
    "text/plain",
    "application/soap+xml",
)


class RawBodyParser(parsers.BaseParser):
    """Hands the view the body's exact bytes, whatever the content type says."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        return stream.read() if stream is not None else b""


def _party_of(request: Request):
    party = getattr(request.user, "party", None)
    if party is None:
        raise PermissionDenied("only a partner system's API key may send messages", code="not_a_partner")
    return party


class Inbound(ReleasedAfterResponse, APIView):
    """``POST /api/v1/edi/inbound``: a raw EDIFACT interchange or XML document.

    Answers 202 with the stored message's id once its bytes are committed; 400 for what cannot
    be a message at all, 403 when the interchange's sender is not the key's party, 413 when
    too large, 415 for a content type no message comes in.
    """

    parser_classes = [RawBodyParser]
    throttle_classes = [PartnerRateThrottle]  # per key: one partner's flood never uses up another's rate

    @extend_schema(
        request={"application/edifact": OpenApiTypes.BINARY, "application/xml": OpenApiTypes.BINARY},
        responses={
            202: ReceiptSerializer,
            400: OpenApiResponse(description="not a message"),
            403: None,
            413: None,
            415: None,
        },
    )
    def post(self, request: Request) -> Response:
        party = _party_of(request)
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        try:
            if content_type not in ACCEPTED_TYPES:
                raise UnsupportedContentType(
                    f"content type {content_type or '(none)'!r} is not EDIFACT or XML; use one of {', '.join(ACCEPTED_TYPES)}"
                )
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            if length > settings.EDI_MAX_MESSAGE_BYTES:
                raise MessageTooLarge(
                    f"message of {length} bytes exceeds the limit of {settings.EDI_MAX_MESSAGE_BYTES} bytes"
                )
            receipt = receive(request.body, channel=Channel.HTTP, party=party, content_type=content_type)
        except Refused as exc:
            raise ApiError(
                exc.message, code=exc.code, status_code=exc.http_status, position=exc.position.as_dict() or None
            ) from exc
        except EdiError as exc:  # not a message at all: nothing could be read
            raise ApiError(
                exc.message, code=exc.code, status_code=400, position=exc.position.as_dict() or None
            ) from exc
        body = {
            "id": str(receipt.message.id),
            "state": receipt.message.state,
            "duplicate": receipt.duplicate,
            "duplicateOf": str(receipt.duplicate_of.id) if receipt.duplicate_of else None,
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)


def _visible_message(request: Request, message_id) -> RawMessage:
    try:
        message = RawMessage.objects.get(pk=message_id)
    except (RawMessage.DoesNotExist, ValueError) as exc:
        raise NotFound("no such message") from exc
    if request.user.is_staff:
        return message
    party = getattr(request.user, "party", None)
    if party is None or message.party_id != party.id:
        raise NotFound("no such message")
    return message


class MessageDetail(ReleasedAfterResponse, APIView):
    """``GET /api/v1/edi/messages/{id}``: state, per-message outcome, errors, events, acknowledgement."""

    @extend_schema(responses={200: RawMessageSerializer})
    def get(self, request: Request, message_id) -> Response:
        return Response(RawMessageSerializer(_visible_message(request, message_id)).data)


class MessageAck(ReleasedAfterResponse, APIView):
    """``GET /api/v1/edi/messages/{id}/ack[?type=CONTRL|APERAK][&answers=REF]``: what we answered, as its bytes.

    Without ``type``: the CONTRL when one was due, else the first APERAK. An interchange of several
    messages gets an APERAK per message: ``answers`` picks the one answering that UNH reference (0062).
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("type", OpenApiTypes.STR, enum=["CONTRL", "APERAK"]),
            OpenApiParameter("answers", OpenApiTypes.STR, description="The message reference (UNH 0062) answered."),
        ],
        responses={200: OpenApiTypes.BINARY, 404: None},
    )
    def get(self, request: Request, message_id):
        message = _visible_message(request, message_id)
        wanted = request.query_params.get("type", "").upper()
        answers = request.query_params.get("answers")
        acks = [
            a
            for a in message.outcome.get("acknowledgements", [])
            if (not wanted or a.get("type") == wanted) and (answers is None or a.get("answers") == answers)
        ]
        if not acks:
            raise NotFound("no acknowledgement for this message (yet)")
        ack = acks[0]
        if ack.get("format") == "xml":
            response = HttpResponse(ack["body"].encode("utf-8"), content_type="application/xml; charset=utf-8")
        else:  # the bytes of the repertoire its UNB declares (UNB 0001), not UTF-8 under UNOC
            body, charset = edifact_bytes(ack["body"]), mime_charset(ack["body"])
            response = HttpResponse(body, content_type=f"application/edifact; charset={charset}")
        response["X-Acknowledgement-Type"] = ack.get("type", "")
        return response
