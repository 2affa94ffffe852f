"""Raw messages as received: immutable bytes with their sha256, channel and sender."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageState(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    PARTIAL = "partially processed", _("Partially processed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


class Channel(models.TextChoices):
    HTTP = "http", _("HTTP")
    AMQP = "amqp", _("AMQP")
    FILE = "file", _("File import")


class RawMessage(models.Model):
    """One received interchange or XML document, exactly as its bytes arrived."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = models.BinaryField(_("raw bytes"), editable=False)
    sha256 = models.CharField(_("sha256"), max_length=64, db_index=True, editable=False)
    size = models.PositiveIntegerField(_("size"), editable=False)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    party = models.ForeignKey(
        "tracking.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="raw_messages"
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    state = models.CharField(_("state"), max_length=20, choices=MessageState.choices, default=MessageState.RECEIVED)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)

    class Meta:
        verbose_name = _("raw message")
        verbose_name_plural = _("raw messages")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.id} ({self.size} bytes, {self.state})"
