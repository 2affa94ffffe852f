"""Operators' view of the running platform: which Celery workers are alive."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
