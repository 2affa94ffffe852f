"""Celery tasks of the gates: thin, ids in, one service call, retried on database trouble.

The gate events of an opened transaction are recorded after the reader has its answer: the
decision does not wait on the tracking store. With no broker (embedded mode) the task runs at
commit, in the request; with RabbitMQ a worker runs it.
"""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError, InterfaceError

from rfid import services


@shared_task(
    name="rfid.record_gate_events",
    autoretry_for=(DatabaseError, InterfaceError, ConnectionError),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=5,
)
def record_gate_events(transaction_id: str) -> list[str]:
    """GTIN/GTOT events of the containers of an opened gate transaction not recorded yet."""
    return services.record_transaction_events(transaction_id)
