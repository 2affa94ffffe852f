"""The append-only store of canonical events, and the parties each event names."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracking.choices import EventClassifier, EventType


class Event(models.Model):
    """One canonical event (SPEC "Canonical events"), append-only and unique by eventID.

    ``payload`` holds the whole canonical event as partners receive it; the columns beside it
    are the fields the queries filter and sort on. A container's or shipment's timeline is one
    index range scan: (reference, event time).
    """

    event_id = models.UUIDField(_("eventID"), primary_key=True, editable=False)
    event_type = models.CharField(_("event type"), max_length=10, choices=EventType.choices)
    event_classifier = models.CharField(_("classifier"), max_length=3, choices=EventClassifier.choices)
    type_code = models.CharField(_("type code"), max_length=4, db_index=True)
    event_datetime = models.DateTimeField(_("event time"))
    event_created_datetime = models.DateTimeField(_("created time"), db_index=True)
    equipment_reference = models.CharField(_("equipment"), max_length=15, blank=True)
    carrier_booking_reference = models.CharField(_("booking"), max_length=35, blank=True)
    transport_document_reference = models.CharField(_("transport document"), max_length=35, blank=True)
    un_location_code = models.CharField(_("UN/LOCODE"), max_length=5, blank=True)
    transport_call = models.ForeignKey(
        "tracking.TransportCall", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    source_party = models.ForeignKey(
        "tracking.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="sent_events"
    )
    payload = models.JSONField(_("canonical event"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["equipment_reference", "event_datetime"], name="event_equipment_time"),
            models.Index(fields=["carrier_booking_reference", "event_datetime"], name="event_booking_time"),
            models.Index(fields=["transport_document_reference", "event_datetime"], name="event_bl_time"),
            models.Index(fields=["recorded_at", "event_id"], name="event_recorded_cursor"),
        ]

    def __str__(self) -> str:
        reference = self.equipment_reference or self.carrier_booking_reference or self.transport_document_reference
        return f"{self.type_code} {reference} {self.event_datetime:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("events are append-only")
        super().save(*args, **kwargs)


class EventParty(models.Model):
    """A party an event names: its sender (``source.party``) or a party listed in ``parties``."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="party_links")
    party = models.ForeignKey("tracking.Party", on_delete=models.CASCADE, related_name="event_links")
    function = models.CharField(_("function"), max_length=10, blank=True, help_text=_("source, or a party function"))

    class Meta:
        verbose_name = _("party named on an event")
        verbose_name_plural = _("parties named on events")
        constraints = [models.UniqueConstraint(fields=["event", "party", "function"], name="eventparty_unique")]

    def __str__(self) -> str:
        return f"{self.party_id} {self.function} {self.event_id}"
