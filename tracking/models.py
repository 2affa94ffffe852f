"""Parties and their API keys, and the append-only store of canonical events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracking.choices import EventClassifier, EventType, PartyRole


class Party(models.Model):
    """An organisation that exchanges messages with the platform, known by its EDI identity."""

    name = models.CharField(_("name"), max_length=200)
    edi_id = models.CharField(_("EDI identity"), max_length=35, unique=True, help_text=_("UNB sender identification"))
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="parties", verbose_name=_("users")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.edi_id})"


class ApiKey(models.Model):
    """A credential for a partner system (bound to a party) or a gate reader. Only a hash is kept."""

    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys")
    reader = models.ForeignKey("rfid.Reader", null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(party__isnull=False) | models.Q(reader__isnull=False), name="apikey_has_owner"
            )
        ]

    def __str__(self) -> str:
        owner = self.party or self.reader
        return f"{self.prefix}… ({owner})"


class Event(models.Model):
    """One canonical event (SPEC "Canonical events"), append-only and unique by eventID.

    ``payload`` holds the whole canonical event as partners receive it; the columns beside it
    are the fields the queries filter and sort on.
    """

    event_id = models.UUIDField(_("eventID"), primary_key=True, editable=False)
    event_type = models.CharField(_("event type"), max_length=10, choices=EventType.choices)
    event_classifier = models.CharField(_("classifier"), max_length=3, choices=EventClassifier.choices)
    type_code = models.CharField(_("type code"), max_length=4, db_index=True)
    event_datetime = models.DateTimeField(_("event time"))
    event_created_datetime = models.DateTimeField(_("created time"))
    equipment_reference = models.CharField(_("equipment"), max_length=11, blank=True)
    carrier_booking_reference = models.CharField(_("booking"), max_length=35, blank=True, db_index=True)
    transport_document_reference = models.CharField(_("transport document"), max_length=35, blank=True, db_index=True)
    un_location_code = models.CharField(_("UN/LOCODE"), max_length=5, blank=True)
    payload = models.JSONField(_("canonical event"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["equipment_reference", "event_datetime"], name="event_equipment_time")]

    def __str__(self) -> str:
        return f"{self.type_code} {self.equipment_reference or self.carrier_booking_reference} {self.event_datetime:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("events are append-only")
        super().save(*args, **kwargs)
