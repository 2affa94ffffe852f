"""Parties (organisations known by their EDI identity) and their API keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracking.choices import PartyRole


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
