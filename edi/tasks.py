"""Celery tasks of the translation layer: thin, ids in, one service call, a retry decision.

Transient failures (database or broker connection) are retried with exponential back-off;
after ``MAX_ATTEMPTS`` the message is marked failed for operators and the task message is
rejected into the dead-letter queue (``task_acks_on_failure_or_timeout`` is off).
"""

from __future__ import annotations

import random

from celery import Task, shared_task
from django.db import DatabaseError, InterfaceError

from edi import batches, processing

MAX_ATTEMPTS = 5
RETRY_BACKOFF_MAX_S = 120
TRANSIENT = (DatabaseError, InterfaceError, ConnectionError)


def backoff(retries: int) -> float:
    """Seconds before retry ``retries + 1``: 1-2, 2-4, 4-8, 8-16, 16-32 s ("equal jitter").

    Never less than half the exponential step, so that a database outage of half a minute does not
    use up the retries (full jitter could draw 0 s five times and dead-letter a message within a
    second), and still spread out, so that the tasks that failed together do not retry together.
    """
    step = min(RETRY_BACKOFF_MAX_S, 2 ** (retries + 1))
    return step / 2 + random.uniform(0, step / 2)


class ProcessTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        if args:
            processing.mark_failed(args[0], f"{type(exc).__name__}: {exc}")


@shared_task(bind=True, base=ProcessTask, name="edi.process_message", max_retries=MAX_ATTEMPTS)
def process_message(self, message_id: str) -> str:
    """Translate one stored raw message (and others waiting, :mod:`edi.batches`), store its events, record its
    outcome and acknowledgement."""
    try:
        return batches.process_waiting(message_id)
    except TRANSIENT as exc:
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc


@shared_task(name="edi.requeue_stuck", ignore_result=True)
def requeue_stuck() -> tuple[int, int]:
    """Periodic (beat): enqueue again the stored messages whose task the broker could not take at commit."""
    from edi.services import requeue_stuck as requeue

    return requeue()
