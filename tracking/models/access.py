"""Who may see what: access grants of parties, and forwarders' proofs (container + bill of lading)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracking.choices import AccessKind, AccessReason, ClaimState


class Access(models.Model):
    """A party may see a container (EQ) or a shipment (BKG/TRD reference), and why."""

    party = models.ForeignKey("tracking.Party", on_delete=models.CASCADE, related_name="access")
    kind = models.CharField(_("kind"), max_length=3, choices=AccessKind.choices)
    reference = models.CharField(_("reference"), max_length=35)
    reason = models.CharField(_("reason"), max_length=10, choices=AccessReason.choices)
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        constraints = [models.UniqueConstraint(fields=["party", "kind", "reference"], name="access_unique")]
        indexes = [models.Index(fields=["kind", "reference"], name="access_reference")]

    def __str__(self) -> str:
        return f"{self.party_id} {self.kind} {self.reference}"


class Claim(models.Model):
    """A forwarder's claim to a shipment: a container number and a bill of lading presented together.

    The claim is proven when an event links the two; until then it waits (events may come later).
    """

    party = models.ForeignKey("tracking.Party", on_delete=models.CASCADE, related_name="claims")
    equipment_reference = models.CharField(_("container"), max_length=15)
    transport_document_reference = models.CharField(_("bill of lading"), max_length=35)
    state = models.CharField(_("state"), max_length=10, choices=ClaimState.choices, default=ClaimState.PENDING)
    created_at = models.DateTimeField(_("claimed"), auto_now_add=True)
    proven_at = models.DateTimeField(_("proven"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment claim")
        verbose_name_plural = _("shipment claims")
        constraints = [
            models.UniqueConstraint(
                fields=["party", "equipment_reference", "transport_document_reference"], name="claim_unique"
            )
        ]
        indexes = [models.Index(fields=["equipment_reference", "transport_document_reference"], name="claim_pair")]

    def __str__(self) -> str:
        return f"{self.equipment_reference} / {self.transport_document_reference} ({self.state})"
