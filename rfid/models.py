"""Gates and their readers, tag bindings, observations (deduplicated reads), gate transactions and overrides.

A *zone* is bonded or not; a *gate* belongs to a zone and a place (UN/LOCODE, facility); a *reader*
watches one lane of one gate in one direction with some antenna ports. Reads of one tag at one lane
collapse into an *observation*; the observations of one pass become a *gate transaction*, which
carries the decision the reader was given and, when an operator overrode it, the audited override.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rfid.choices import Decision, Direction, Scheme, TagKind


class Zone(models.Model):
    """An area behind gates: a bonded zone (customs control on the way out) or an ordinary one."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    bonded = models.BooleanField(_("bonded zone"), default=False)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Gate(models.Model):
    """A gate by its code (what ``rfid add-reader --gate`` names), in a zone and at a place."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.SET_NULL, related_name="gates")
    un_location_code = models.CharField(_("UN/LOCODE"), max_length=5, blank=True)
    facility_code = models.CharField(_("facility code"), max_length=6, blank=True)

    class Meta:
        verbose_name = _("gate")
        verbose_name_plural = _("gates")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Reader(models.Model):
    reader_id = models.CharField(_("reader id"), max_length=64, unique=True)
    gate = models.CharField(_("gate"), max_length=64)
    lane = models.CharField(_("lane"), max_length=32, blank=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    bonded = models.BooleanField(_("bonded zone"), default=False)
    antenna_ports = models.JSONField(
        _("antenna ports"), default=list, blank=True, help_text=_("The ports in use; empty accepts any port.")
    )
    operator = models.ForeignKey(
        "tracking.Party", null=True, blank=True, on_delete=models.SET_NULL, related_name="readers"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    last_heartbeat = models.JSONField(_("last heartbeat"), default=dict, blank=True)

    class Meta:
        verbose_name = _("reader")
        verbose_name_plural = _("readers")
        ordering = ["gate", "lane", "reader_id"]

    def __str__(self) -> str:
        return f"{self.reader_id} @ {self.gate} ({self.get_direction_display()})"

    @property
    def silent(self) -> bool:
        """No read or heartbeat for longer than ``RFID_READER_SILENT_SECONDS``."""
        if self.last_seen_at is None:
            return True
        return (timezone.now() - self.last_seen_at).total_seconds() > settings.RFID_READER_SILENT_SECONDS


class TagBinding(models.Model):
    """A tag fixed to a truck, a trailer or a container, for a period (open-ended when ``valid_to`` is empty)."""

    tag = models.CharField(
        _("tag"), max_length=160, db_index=True, help_text=_("EPC pure identity URI, or the raw hex it does not decode")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TagKind.choices)
    reference = models.CharField(_("reference"), max_length=35, help_text=_("Plate or ISO 6346 container number"))
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    valid_to = models.DateTimeField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tag binding")
        verbose_name_plural = _("tag bindings")
        ordering = ["tag", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.tag} → {self.get_kind_display()} {self.reference}"


class GateTransaction(models.Model):
    """One pass of a truck and its containers through a lane in one direction, and the decision given."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reader = models.ForeignKey(Reader, on_delete=models.PROTECT, related_name="transactions")
    gate = models.CharField(_("gate"), max_length=64)
    lane = models.CharField(_("lane"), max_length=32, blank=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    bonded = models.BooleanField(_("bonded zone"), default=False)
    started_at = models.DateTimeField(_("first read"))
    last_read_at = models.DateTimeField(_("last read"))
    tags = models.JSONField(_("tags"), default=list)
    decision = models.CharField(_("decision"), max_length=4, choices=Decision.choices, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    equipment = models.JSONField(_("equipment"), default=list, blank=True)
    events = models.JSONField(_("equipment events"), default=dict, blank=True, help_text=_("container → eventID"))
    events_pending = models.BooleanField(_("events to record"), default=False, db_index=True)
    decided_in_ms = models.FloatField(_("decided in (ms)"), null=True, blank=True)
    posts = models.JSONField(
        _("posts taken"),
        default=list,
        blank=True,
        help_text=_("Digests of the latest posts folded in: a retried post is answered, not counted again."),
    )
    override_decision = models.CharField(_("override"), max_length=4, choices=Decision.choices, blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)

    class Meta:
        verbose_name = _("gate transaction")
        verbose_name_plural = _("gate transactions")
        ordering = ["-last_read_at"]
        indexes = [models.Index(fields=["gate", "lane", "direction", "last_read_at"], name="rfid_tx_lane_time")]

    def __str__(self) -> str:
        return f"{self.gate}/{self.lane} {self.direction} {self.started_at:%Y-%m-%d %H:%M:%S} {self.decision}"


class Observation(models.Model):
    """The reads of one tag at one lane within the dedupe window: first and last seen, count, best RSSI."""

    reader = models.ForeignKey(Reader, on_delete=models.PROTECT, related_name="observations")
    gate = models.CharField(_("gate"), max_length=64)
    lane = models.CharField(_("lane"), max_length=32, blank=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    tag = models.CharField(_("tag"), max_length=160)
    epc_hex = models.CharField(_("EPC (hex)"), max_length=124, blank=True)
    scheme = models.CharField(_("scheme"), max_length=6, choices=Scheme.choices)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    count = models.PositiveIntegerField(_("reads"), default=0)
    best_rssi = models.FloatField(_("best RSSI (dBm)"), null=True, blank=True)
    antennas = models.JSONField(_("antennas"), default=list)
    transaction = models.ForeignKey(
        GateTransaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-last_seen"]
        indexes = [
            models.Index(fields=["gate", "lane", "direction", "tag", "last_seen"], name="rfid_obs_lane_tag"),
            models.Index(fields=["first_seen", "id"], name="rfid_obs_time"),
        ]

    def __str__(self) -> str:
        return f"{self.tag} @ {self.gate}/{self.lane} ×{self.count}"


class GateOverride(models.Model):
    """An operator's decision over a gate transaction, with the reason: the audit trail of overrides."""

    transaction = models.ForeignKey(GateTransaction, on_delete=models.CASCADE, related_name="overrides")
    decision = models.CharField(_("decision"), max_length=4, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.CharField(_("decided by"), max_length=150)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("gate override")
        verbose_name_plural = _("gate overrides")
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.decision} by {self.decided_by}: {self.reason[:40]}"
