"""Heartbeat: a task any worker can run to prove broker, worker and database work together."""

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from portal.models import WorkerHeartbeat


@shared_task(bind=True, name="portal.record_heartbeat")
def record_heartbeat(self) -> str:
    hostname = self.request.hostname or "in-process"
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(hostname=hostname).update(beats=F("beats") + 1, last_seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.get_or_create(hostname=hostname, defaults={"beats": 1, "last_seen_at": now})
    return hostname
