"""Celery tasks of the translation layer: thin, ids in, one service call, a retry decision."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError, InterfaceError

from edi import processing

MAX_ATTEMPTS = 5


@shared_task(
    bind=True,
    name="edi.process_message",
    autoretry_for=(DatabaseError, InterfaceError, ConnectionError),
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=MAX_ATTEMPTS,
)
def process_message(self, message_id: str) -> str:
    """Translate one stored raw message, store its events, record its outcome and acknowledgement."""
    return processing.process(message_id)
