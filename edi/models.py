"""Raw messages as received (immutable bytes, sha256, channel, sender) and the acknowledgements sent back."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from edi.choices import Channel, MessageFormat, MessageState

__all__ = ["Channel", "MessageFormat", "MessageState", "RawMessage", "ReceiptKey"]


class RawMessage(models.Model):
    """One received interchange or XML document, exactly as its bytes arrived; never changed after.

    Only ``state``, ``outcome``, ``attempts``, ``processed_at`` and ``enqueued_at`` move, as processing goes on.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = models.BinaryField(_("raw bytes"), editable=False)
    sha256 = models.CharField(_("sha256"), max_length=64, db_index=True, editable=False)
    size = models.PositiveIntegerField(_("size"), editable=False)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    party = models.ForeignKey(
        "tracking.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="raw_messages"
    )
    format = models.CharField(_("format"), max_length=8, choices=MessageFormat.choices, default=MessageFormat.UNKNOWN)
    sender = models.CharField(_("interchange sender"), max_length=70, blank=True, db_index=True)
    recipient = models.CharField(_("interchange recipient"), max_length=70, blank=True)
    control_reference = models.CharField(_("control reference"), max_length=70, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    state = models.CharField(_("state"), max_length=20, choices=MessageState.choices, default=MessageState.RECEIVED)
    refusal = models.JSONField(_("refusal"), null=True, blank=True)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    attempts = models.PositiveIntegerField(_("processing attempts"), default=0)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    # When its processing task was last handed to the broker (confirmed); None while it never was,
    # e.g. the broker was down at commit: edi.services.requeue_stuck() hands such messages over again.
    enqueued_at = models.DateTimeField(_("enqueued"), null=True, blank=True)

    class Meta:
        verbose_name = _("raw message")
        verbose_name_plural = _("raw messages")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["sender", "control_reference"], name="rawmessage_interchange"),
            models.Index(fields=["state", "received_at"], name="rawmessage_state"),
        ]

    def __str__(self) -> str:
        return f"{self.id} ({self.size} bytes, {self.state})"


class ReceiptKey(models.Model):
    """A claim on an interchange identity, so that two copies received at once are never both processed.

    Keys: ``icr:<format>:<sender>:<control reference>`` (the same interchange) and
    ``sha:<party>:<sha256>`` (the same bytes from the same party). The first message to insert
    a key owns it; any later message whose key already exists is a duplicate of the owner.
    """

    key = models.CharField(max_length=200, primary_key=True)
    message = models.ForeignKey(RawMessage, on_delete=models.CASCADE, related_name="receipt_keys")

    class Meta:
        verbose_name = _("receipt key")
        verbose_name_plural = _("receipt keys")

    def __str__(self) -> str:
        return self.key
