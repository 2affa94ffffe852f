"""Webhook subscriptions and their deliveries (one row per event and subscription)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracking.choices import DeliveryState


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

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return f"{self.callback_url} ({self.party or _('operators')})"


class Delivery(models.Model):
    """One event sent (or to be sent) to one subscription, with its attempts."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("tracking.Event", on_delete=models.CASCADE, related_name="deliveries")
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
        constraints = [models.UniqueConstraint(fields=["subscription", "event"], name="delivery_unique")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id} ({self.state})"
