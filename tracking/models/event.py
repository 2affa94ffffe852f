"""The append-only store of canonical events, the parties each event names, and the reports that withdrew events.

An event is never deleted. A partner's replacement (BGM 1225 5) or cancellation (1, 3) of an earlier
report marks the events only that report gave as withdrawn (``withdrawn_by``, see
:mod:`tracking.withdrawals`); the default manager, the container answer and every list leave them out.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracking.choices import EventClassifier, EventType


class CurrentEvents(models.Manager):
    """The events no replacement or cancellation has withdrawn: what every reader sees."""

    def get_queryset(self):
        return super().get_queryset().filter(withdrawn_by__isnull=True)


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
    # the report that stated it: sender's EDI id, message type and document number (BGM), or "" (tracking.withdrawals)
    document_key = models.CharField(_("document"), max_length=120, blank=True, default="")
    withdrawn_by = models.ForeignKey(
        "tracking.Withdrawal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="withdrawn_events",
        db_index=False,  # almost every event is current: indexed below where it is not
    )

    every = models.Manager()  # withdrawn ones too: the admin, the withdrawal itself
    objects = CurrentEvents()

    class Meta:
        default_manager_name = "objects"
        base_manager_name = "every"
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["equipment_reference", "event_datetime"], name="event_equipment_time"),
            models.Index(fields=["carrier_booking_reference", "event_datetime"], name="event_booking_time"),
            models.Index(fields=["transport_document_reference", "event_datetime"], name="event_bl_time"),
            models.Index(fields=["recorded_at", "event_id"], name="event_recorded_cursor"),
            models.Index(fields=["document_key"], name="event_document", condition=~models.Q(document_key="")),
            models.Index(
                fields=["withdrawn_by"], name="event_withdrawn", condition=models.Q(withdrawn_by__isnull=False)
            ),
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


class EventAssertion(models.Model):
    """Another report that stated an event already stored from an earlier one (its eventID is the fact's).

    The event's own report is on the event (``document_key``, ``event_created_datetime``); a fact two
    reports stated stays current until both are withdrawn.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="assertions")
    document_key = models.CharField(_("document"), max_length=120, db_index=True)
    created = models.DateTimeField(_("report created"))

    class Meta:
        verbose_name = _("restatement of an event")
        verbose_name_plural = _("restatements of events")
        constraints = [
            models.UniqueConstraint(fields=["event", "document_key", "created"], name="eventassertion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_key} {self.event_id}"


class Withdrawal(models.Model):
    """A replacement or cancellation of a report: the events of that report it does not restate are withdrawn.

    Kept for good: a copy of the earlier report arriving later (out of order) is withdrawn as it is stored.
    """

    document_key = models.CharField(_("document"), max_length=120, db_index=True)
    function = models.CharField(_("message function"), max_length=3, help_text=_("UN/EDIFACT 1225: 5, 1 or 3"))
    created = models.DateTimeField(_("report created"))
    raw_message = models.UUIDField(_("raw message"), null=True, blank=True)
    message_reference = models.CharField(_("message reference"), max_length=35, blank=True)
    kept = models.JSONField(_("eventIDs restated"), default=list, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("withdrawal of a report")
        verbose_name_plural = _("withdrawals of reports")
        constraints = [
            models.UniqueConstraint(
                fields=["document_key", "raw_message", "message_reference"], name="withdrawal_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_key} ({self.function}, {self.created:%Y-%m-%d %H:%M})"
