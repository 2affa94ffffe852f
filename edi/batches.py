"""Processing raw messages several at a time, each message still with its own task.

Every stored message has its processing task on the broker (acked late). A task locks its own
message, if still waiting, and up to ``EDI_PROCESS_BATCH - 1`` other waiting (``received``)
messages that no other worker holds (``SELECT ... FOR UPDATE SKIP LOCKED``, oldest first), and
processes them in one transaction (:func:`edi.processing.run`): one ``record_events`` for their
events, one UPDATE for their outcomes. A backlog is thus worked off in batches, while a quiet
hub still processes each message as its task arrives.

Why nothing is lost or doubled: a message is processed only by a transaction that holds its row
lock and finds it ``received``, and its final state commits with its events. The task of a message
another task already processed finds it final and stops; one whose message another worker holds
waits for that worker's transaction to end, then processes the message if it is still waiting (that
worker died, or its batch failed). A batch that fails is rolled back whole and the task processes
its own message alone, so that one message that cannot be processed never fails the others: they
stay waiting for their own tasks. On SQLite (embedded mode, no ``SKIP LOCKED``) each task processes
its own message only.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection, transaction

from edi import processing
from edi.models import MessageState, RawMessage

log = logging.getLogger(__name__)


def claim(message_id: str, limit: int) -> list[RawMessage]:
    """Lock ``message_id`` (when waiting) and the oldest other waiting messages no one holds: ``limit`` at most."""
    waiting = (
        RawMessage.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("party")
        .filter(state=MessageState.RECEIVED)
    )
    own = list(waiting.filter(pk=message_id))
    others = list(waiting.exclude(pk=message_id).order_by("received_at", "id")[: limit - len(own)])
    return own + others


def _is(message: RawMessage, message_id: str) -> bool:
    return str(message.pk) == str(message_id)


def process_waiting(message_id: str, limit: int | None = None) -> str:
    """Process ``message_id`` and other waiting messages with it; return ``message_id``'s final state."""
    limit = settings.EDI_PROCESS_BATCH if limit is None else limit
    if limit <= 1 or not connection.features.has_select_for_update_skip_locked:
        return processing.process(message_id)
    messages: list[RawMessage] = []
    try:
        with transaction.atomic():
            messages = claim(message_id, limit)
            if messages:
                processing.run(messages)
    except Exception as exc:
        if len(messages) <= 1 and all(_is(m, message_id) for m in messages):
            raise  # its own failure (or no database): the task's retry or dead letter
        log.warning(
            "a batch of %d messages failed (%s: %s); processing %s alone", len(messages), type(exc).__name__, exc,
            message_id,
        )  # fmt: skip
        return processing.process(message_id)
    for message in messages:
        if _is(message, message_id):
            return message.state
    done = RawMessage.objects.filter(pk=message_id).values_list("state", flat=True).first()
    if done in processing.FINAL_STATES:
        return done
    return processing.process(message_id)  # held by another worker: wait for it, then see
