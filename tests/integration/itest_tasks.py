"""Tasks only the integration suite's workers load (``celery -A hub worker -I tests.integration.itest_tasks``)."""

from __future__ import annotations

import time

from celery import shared_task


@shared_task(bind=True, name="itest.slow_heartbeat", acks_late=True)
def slow_heartbeat(self, marker: str, seconds: float) -> None:
    """Count a start, work for ``seconds``, then record the finish: a worker killed meanwhile leaves a start only."""
    from django.db.models import F
    from django.utils import timezone

    from portal.models import WorkerHeartbeat

    started, _ = WorkerHeartbeat.objects.get_or_create(
        hostname=f"{marker}-started", defaults={"beats": 0, "last_seen_at": timezone.now()}
    )
    WorkerHeartbeat.objects.filter(pk=started.pk).update(beats=F("beats") + 1, last_seen_at=timezone.now())
    time.sleep(seconds)
    WorkerHeartbeat.objects.get_or_create(
        hostname=f"{marker}-finished-by-{self.request.hostname}", defaults={"beats": 1, "last_seen_at": timezone.now()}
    )
