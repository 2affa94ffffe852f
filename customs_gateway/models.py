"""Declarations and manifests as the authority keeps them, every message in and out, the audit trail.

- :class:`Declaration`: a broker's declaration or a carrier's manifest, keyed by business
  reference and version, with its clearance state;
- :class:`Bill`, :class:`Line`, :class:`Container`: a manifest's bills of lading, their goods
  lines and the containers, each with the state the authority gave it;
- :class:`Message`: every message in and out, its exact bytes and sha256, deduplicated on the
  sender's message id;
- :class:`AgencyCheck`: an inspection agency's decision per item and per check;
- :class:`AuditEntry`: who did what, when and why; never updated, never deleted;
- :class:`TrustedCertificate`: the certificates whose signatures the gateway accepts.
"""

import hashlib
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from customs_gateway.choices import (
    AuditAction,
    CheckState,
    ClearanceState,
    DeclarationKind,
    Direction,
    ItemState,
    MessageOutcome,
    MessageRole,
    SignatureStatus,
)


class Declaration(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=DeclarationKind.choices)
    business_reference = models.CharField(_("business reference"), max_length=70, help_text=_("LRN or manifest id"))
    registration_number = models.CharField(_("registration number"), max_length=70, blank=True, help_text=_("MRN"))
    party = models.ForeignKey("tracking.Party", on_delete=models.PROTECT, related_name="declarations")
    state = models.CharField(_("state"), max_length=24, choices=ClearanceState.choices, default=ClearanceState.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    message_type = models.CharField(_("message type"), max_length=16, blank=True, help_text=_("MT1101, WCO-DEC, ..."))
    function_code = models.CharField(_("function code"), max_length=2, blank=True)
    authority = models.CharField(_("customs authority"), max_length=70, blank=True)
    voyage = models.CharField(_("voyage"), max_length=50, blank=True)
    customs_released = models.BooleanField(_("released by customs"), default=False)
    current_message_id = models.CharField(_("current outbound message id"), max_length=255, blank=True)
    attempts = models.PositiveIntegerField(_("submission attempts"), default=0)
    receipt_due_at = models.DateTimeField(_("receipt due"), null=True, blank=True)
    reasons = models.JSONField(_("latest reasons"), default=list, blank=True)
    transition_count = models.PositiveIntegerField(_("transitions"), default=0)

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        constraints = [
            models.UniqueConstraint(fields=["party", "business_reference"], name="declaration_unique_reference")
        ]
        indexes = [models.Index(fields=["state", "receipt_due_at"], name="declaration_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.business_reference} ({self.state})"


class Bill(models.Model):
    """A bill of lading (transport contract document) of a manifest, or a declaration's transport document."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="bills")
    number = models.CharField(_("bill number"), max_length=35)
    house_number = models.CharField(_("house bill number"), max_length=35, blank=True)
    packages = models.PositiveIntegerField(_("packages"), null=True, blank=True)
    gross_mass = models.DecimalField(_("gross mass (kg)"), max_digits=14, decimal_places=3, null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ItemState.choices, default=ItemState.PENDING)
    response_code = models.CharField(_("response code"), max_length=16, blank=True)
    response_text = models.CharField(_("response text"), max_length=512, blank=True)

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        constraints = [
            models.UniqueConstraint(fields=["declaration", "number", "house_number"], name="bill_unique_number")
        ]

    def __str__(self) -> str:
        return self.number


class Line(models.Model):
    """A goods line (consignment item) of a bill."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lines")
    sequence = models.PositiveIntegerField(_("sequence"))
    description = models.CharField(_("description"), max_length=512, blank=True)
    packages = models.PositiveIntegerField(_("packages"), null=True, blank=True)
    gross_mass = models.DecimalField(_("gross mass (kg)"), max_digits=14, decimal_places=3, null=True, blank=True)
    hs_code = models.CharField(_("tariff code"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        ordering = ["bill", "sequence"]

    def __str__(self) -> str:
        return f"{self.bill_id}/{self.sequence}"


class Container(models.Model):
    """A container named by a declaration or manifest, with the state the authority gave it."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="containers")
    bill = models.ForeignKey(Bill, null=True, blank=True, on_delete=models.SET_NULL, related_name="containers")
    number = models.CharField(_("container number"), max_length=15)
    iso_code = models.CharField(_("ISO size/type"), max_length=4, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ItemState.choices, default=ItemState.PENDING)
    response_code = models.CharField(_("response code"), max_length=16, blank=True)
    response_text = models.CharField(_("response text"), max_length=512, blank=True)

    class Meta:
        verbose_name = _("container")
        verbose_name_plural = _("containers")
        constraints = [models.UniqueConstraint(fields=["declaration", "number"], name="container_unique_number")]

    def __str__(self) -> str:
        return self.number


class Message(models.Model):
    """One message in or out, exact bytes kept; unique per direction, sender and sender's message id."""

    declaration = models.ForeignKey(
        Declaration, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    role = models.CharField(_("role"), max_length=16, choices=MessageRole.choices)
    standard = models.CharField(_("standard"), max_length=24, blank=True)
    message_type = models.CharField(_("message type"), max_length=24, blank=True)
    message_id = models.CharField(_("sender's message id"), max_length=255)
    sender = models.CharField(_("sender"), max_length=70)
    business_reference = models.CharField(_("business reference"), max_length=70, blank=True)
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    body = models.BinaryField(_("exact bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    signature = models.CharField(
        _("signature"), max_length=10, choices=SignatureStatus.choices, default=SignatureStatus.NONE
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=MessageOutcome.choices, default=MessageOutcome.RECORDED
    )
    note = models.TextField(_("note"), blank=True)
    duplicates = models.PositiveIntegerField(_("duplicates received"), default=0)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("customs message")
        verbose_name_plural = _("customs messages")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["direction", "sender", "message_id"], name="customs_message_unique_id")
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.message_type} {self.message_id}"

    @staticmethod
    def digest(body: bytes) -> str:
        return hashlib.sha256(body).hexdigest()


class AgencyCheck(models.Model):
    """An inspection agency's decision on one check of one item of a declaration."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="agency_checks")
    agency = models.CharField(_("agency"), max_length=70)
    item_number = models.PositiveIntegerField(_("item"))
    check_code = models.CharField(_("check"), max_length=16)
    decision_code = models.CharField(_("decision"), max_length=16, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=CheckState.choices, default=CheckState.PENDING)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    decision_number = models.PositiveIntegerField(_("decision number"), default=0)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("agency check")
        verbose_name_plural = _("agency checks")
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "agency", "item_number", "check_code"], name="agency_check_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.item_number}/{self.check_code}: {self.state}"


class ImmutableError(Exception):
    """An audit entry was to be changed or deleted."""


class AuditEntry(models.Model):
    """Who did what to a declaration, when and why. Written once, never changed."""

    declaration = models.ForeignKey(
        Declaration, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=12, choices=AuditAction.choices)
    actor = models.CharField(_("who"), max_length=120)
    reason = models.TextField(_("why"), blank=True)
    trigger = models.CharField(_("trigger"), max_length=24, blank=True)
    from_state = models.CharField(_("from"), max_length=24, blank=True)
    to_state = models.CharField(_("to"), max_length=24, blank=True)
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries")
    event_code = models.CharField(_("event code"), max_length=4, blank=True)
    event_ids = models.JSONField(_("events"), default=list, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.from_state}->{self.to_state}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableError("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("audit entries are never deleted")


class TrustedCertificate(models.Model):
    """A certificate whose signatures on responses the gateway accepts (an authority's or an agency's)."""

    name = models.CharField(_("name"), max_length=120)
    authority = models.CharField(_("authority"), max_length=70, help_text=_("EDI identity or office code"))
    algorithm = models.CharField(_("algorithm"), max_length=10, default="x509", help_text=_("x509 or sm2"))
    role = models.CharField(
        _("speaks as"),
        max_length=12,
        default="customs",
        help_text=_("customs or inspection: which answers it may sign"),
    )
    certificate = models.TextField(_("certificate (PEM) or SM2 public key (hex)"))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("trusted certificate")
        verbose_name_plural = _("trusted certificates")

    def __str__(self) -> str:
        return f"{self.name} ({self.fingerprint[:12]})"
