"""Celery tasks of the gates: thin, ids in, one service call, retried on database trouble.

The gate events of opened transactions are recorded after the readers have their answers, in
batches: the decision does not wait on the tracking store. With no broker (embedded mode) the
task runs at commit, in the request that triggered it; with RabbitMQ a worker runs it.
"""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError, InterfaceError

from rfid import services


@shared_task(
    name="rfid.record_pending_gate_events",
    autoretry_for=(DatabaseError, InterfaceError, ConnectionError),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=5,
)
def record_pending_gate_events() -> int:
    """GTIN/GTOT events of every opened gate transaction not recorded yet, as one batch."""
    return services.record_pending_events()
