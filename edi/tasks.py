"""Celery tasks of the translation layer: thin, ids in, one service call, a retry decision.

Transient failures (database or broker connection) are retried with exponential back-off;
after ``MAX_ATTEMPTS`` the message is marked failed for operators and the task message is
rejected into the dead-letter queue (``task_acks_on_failure_or_timeout`` is off).
"""

from __future__ import annotations

from celery import Task, shared_task
from django.db import DatabaseError, InterfaceError

from edi import processing

MAX_ATTEMPTS = 5


class ProcessTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        if args:
            processing.mark_failed(args[0], f"{type(exc).__name__}: {exc}")


@shared_task(
    bind=True,
    base=ProcessTask,
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
