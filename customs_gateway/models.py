"""Declarations and manifests as the authority keeps them: a business reference, versions, a state."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from customs_gateway.choices import ClearanceState, DeclarationKind


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

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        constraints = [
            models.UniqueConstraint(fields=["party", "business_reference"], name="declaration_unique_reference")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.business_reference} ({self.state})"
