"""The portal's rows: worker heartbeats for operators, and the forwarders' watchlists."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.choices import WatchKind


class WorkerHeartbeat(models.Model):
    """The last heartbeat task each Celery worker executed (written by ``portal.tasks.record_heartbeat``)."""

    hostname = models.CharField(_("worker"), max_length=200, unique=True)
    beats = models.PositiveBigIntegerField(_("heartbeats"), default=0)
    last_seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.last_seen_at:%Y-%m-%d %H:%M:%S}"


class WatchItem(models.Model):
    """A container or shipment a forwarder's party watches; shared by the party's users.

    Only numbers the party may see are added (``portal.watchlist.add``); the dashboard checks
    visibility again when it shows them, so a grant withdrawn later hides the row.
    """

    party = models.ForeignKey("tracking.Party", on_delete=models.CASCADE, related_name="watch_items")
    kind = models.CharField(_("kind"), max_length=10, choices=WatchKind.choices)
    reference = models.CharField(_("reference"), max_length=35)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("watched item")
        verbose_name_plural = _("watched items")
        ordering = ["kind", "reference"]
        constraints = [models.UniqueConstraint(fields=["party", "kind", "reference"], name="watchitem_unique")]

    def __str__(self) -> str:
        return f"{self.party_id} {self.kind} {self.reference}"
