"""Gate readers: each bound to a gate, a lane and a direction, inside a bonded zone or not."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rfid.choices import Direction


class Reader(models.Model):
    reader_id = models.CharField(_("reader id"), max_length=64, unique=True)
    gate = models.CharField(_("gate"), max_length=64)
    lane = models.CharField(_("lane"), max_length=32, blank=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    bonded = models.BooleanField(_("bonded zone"), default=False)
    operator = models.ForeignKey(
        "tracking.Party", null=True, blank=True, on_delete=models.SET_NULL, related_name="readers"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        verbose_name = _("reader")
        verbose_name_plural = _("readers")
        ordering = ["gate", "lane", "reader_id"]

    def __str__(self) -> str:
        return f"{self.reader_id} @ {self.gate} ({self.get_direction_display()})"
