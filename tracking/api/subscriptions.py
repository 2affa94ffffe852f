"""``/api/v1/subscriptions``: webhook callbacks with filters; the signing secret is shown once."""

from __future__ import annotations

import uuid

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hub.api import ApiError
from hub.release import ReleasedAfterResponse
from tracking import webhooks
from tracking.api.serializers import ErrorSerializer
from tracking.api.throttling import PartnerRateThrottle
from tracking.api.views import ERRORS, ActsForSomeone, party_of
from tracking.choices import OutboundType, PushFormat
from tracking.exceptions import DuplicateSubscription, InvalidFilter, InvalidSubscription
from tracking.models import Subscription


class SubscriptionRequestSerializer(serializers.Serializer):
    callbackUrl = serializers.URLField(max_length=500)
    filters = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        default=dict,
        help_text=_('the filters of GET /api/v1/events, e.g. {"equipmentReference": "MSKU1234565"}'),
    )
    format = serializers.ChoiceField(
        choices=PushFormat.choices,
        default=PushFormat.JSON,
        help_text=_("json: one signed event per request; edifact: one signed interchange per batch"),
    )
    messageType = serializers.ChoiceField(  # noqa: N815 (the API's field name)
        choices=OutboundType.choices, default=OutboundType.IFTSTA, help_text=_("for edifact: the message type")
    )
    ediRecipient = serializers.CharField(  # noqa: N815
        max_length=35,
        required=False,
        default="",
        help_text=_("for edifact: the UNB recipient; by default your party's EDI identity"),
    )

    def validate_callbackUrl(self, value: str) -> str:  # noqa: N802 (DRF names it after the field)
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError(_("the callback URL must be http or https"))
        return value


class SubscriptionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    callbackUrl = serializers.URLField(source="callback_url")
    filters = serializers.DictField()
    active = serializers.BooleanField()
    format = serializers.CharField()
    messageType = serializers.CharField(source="message_type")  # noqa: N815
    ediRecipient = serializers.CharField(source="edi_recipient")  # noqa: N815
    createdAt = serializers.DateTimeField(source="created_at")


class NewSubscriptionSerializer(SubscriptionSerializer):
    secret = serializers.CharField(help_text=_("the HMAC-SHA256 key of the signatures; shown only now"))


def _mine(request: Request):
    if request.user.is_staff:
        return Subscription.objects.all()
    return Subscription.objects.filter(party=party_of(request))


class SubscriptionList(ReleasedAfterResponse, APIView):
    permission_classes = [ActsForSomeone]
    throttle_classes = [PartnerRateThrottle]

    @extend_schema(summary="Your webhook subscriptions", responses={200: SubscriptionSerializer(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        return Response(SubscriptionSerializer(_mine(request).order_by("created_at"), many=True).data)

    @extend_schema(
        summary="Subscribe a callback URL to new events (signed with HMAC-SHA256; see docs/webhooks.md)",
        request=SubscriptionRequestSerializer,
        responses={
            201: NewSubscriptionSerializer,
            409: OpenApiResponse(ErrorSerializer, description="this callback is subscribed with these filters already"),
            **ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        body = SubscriptionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        party = None if request.user.is_staff else party_of(request)
        try:
            data = body.validated_data
            row = webhooks.subscribe(
                party,
                data["callbackUrl"],
                data["filters"],
                format=data["format"],
                message_type=data["messageType"],
                edi_recipient=data["ediRecipient"],
            )
        except DuplicateSubscription as exc:
            raise ApiError(exc.message, code=exc.code, status_code=status.HTTP_409_CONFLICT) from exc
        except (InvalidFilter, InvalidSubscription) as exc:
            raise ApiError(exc.message, code=exc.code, position=exc.position) from exc
        return Response(NewSubscriptionSerializer(row).data, status=status.HTTP_201_CREATED)


class SubscriptionDetail(ReleasedAfterResponse, APIView):
    permission_classes = [ActsForSomeone]
    throttle_classes = [PartnerRateThrottle]

    @extend_schema(
        summary="Cancel a webhook subscription",
        parameters=[OpenApiParameter("pk", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, pk: str) -> Response:
        """Any path segment reaches here, so that a malformed id gets the API's JSON 404, not a page."""
        try:
            uuid.UUID(pk)
        except ValueError as exc:
            raise Http404 from exc
        get_object_or_404(_mine(request), pk=pk).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
