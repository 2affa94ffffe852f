"""Webhook subscriptions and their deliveries (one row per event and subscription, and one more for a
JSON subscriber told the event was withdrawn)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracking.choices import AnswerState, DeliveryKind, DeliveryState, OutboundType, PushFormat


class Subscription(models.Model):
    """A callback URL that receives, signed, every new event matching ``filters`` that its party may see.

    ``secret`` is the HMAC key; the API shows it once, at creation. A subscription without a
    party belongs to the operators and receives every matching event.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    party = models.ForeignKey(
        "tracking.Party", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    callback_url = models.URLField(_("callback URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # EDIFACT subscribers get one signed interchange per batch (an OutboundMessage) instead of JSON.
    format = models.CharField(_("format"), max_length=8, choices=PushFormat.choices, default=PushFormat.JSON)
    message_type = models.CharField(
        _("EDIFACT message type"), max_length=6, choices=OutboundType.choices, default=OutboundType.IFTSTA
    )
    edi_recipient = models.CharField(_("EDI recipient (UNB)"), max_length=35, blank=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return f"{self.callback_url} ({self.party or _('operators')})"


class Delivery(models.Model):
    """One event sent (or to be sent) to one subscription, with its attempts; or, ``kind`` withdrawn, the
    notice that a partner's replacement or cancellation withdrew an event the subscriber was sent (for an
    EDIFACT subscriber, carried by the cancelling interchange, ``message``)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("tracking.Event", on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(_("kind"), max_length=10, choices=DeliveryKind.choices, default=DeliveryKind.EVENT)
    # Set for an EDIFACT subscription: the event travels in that interchange, whose state this row mirrors.
    message = models.ForeignKey(
        "tracking.OutboundMessage", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [models.UniqueConstraint(fields=["subscription", "event", "kind"], name="delivery_unique")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id} ({self.state})"


class OutboundMessage(models.Model):
    """One EDIFACT interchange built for an EDIFACT subscription; its bytes never change after.

    ``state``, ``attempts``, ``next_attempt_at``, ``last_*`` and ``delivered_at`` move as the webhook
    machinery delivers it; ``answer`` when the recipient's CONTRL or APERAK comes back.
    """

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="outbound_messages")
    party = models.ForeignKey(
        "tracking.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="outbound_messages"
    )
    message_type = models.CharField(_("message type"), max_length=6, choices=OutboundType.choices)
    sender = models.CharField(_("interchange sender"), max_length=35)
    recipient = models.CharField(_("interchange recipient"), max_length=35, db_index=True)
    control_reference = models.CharField(_("control reference"), max_length=14)
    message_references = models.JSONField(_("message references"), default=list)
    body = models.BinaryField(_("raw bytes"), editable=False)
    sha256 = models.CharField(_("sha256"), max_length=64, editable=False)
    event_ids = models.JSONField(_("event IDs"), default=list)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=12, choices=AnswerState.choices, default="", blank=True)
    answer_detail = models.JSONField(_("answer detail"), default=dict, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound EDI message")
        verbose_name_plural = _("outbound EDI messages")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "control_reference"], name="outbound_interchange_unique")
        ]

    def __str__(self) -> str:
        return f"{self.message_type} {self.control_reference} → {self.recipient} ({self.state})"


class InterchangeSequence(models.Model):
    """The last interchange control reference used towards one recipient (UNB 0020 counts per partner)."""

    recipient = models.CharField(max_length=35, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("interchange sequence")
        verbose_name_plural = _("interchange sequences")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.last}"
