"""Processing raw messages several at a time, each message still with its own task.

Every stored message has its processing task on the broker (acked late). A task locks its own
message, if still waiting, and up to ``EDI_PROCESS_BATCH - 1`` other waiting (``received``)
messages of at most ``SMALL_BYTES`` that no other worker holds (``SELECT ... FOR UPDATE SKIP
LOCKED``, oldest first), and processes them in one transaction (:func:`edi.processing.run`): one ``record_events`` for their
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
import uuid

from django.conf import settings
from django.db import connection, transaction

from edi import processing
from edi.models import MessageState, RawMessage

log = logging.getLogger(__name__)


# One statement: the task's own message locked if it is waiting and free, the oldest other waiting messages
# no one holds (the index on state and received time, in its order), and the own message's state besides
# (seen as the statement began), so that a task whose message is done already costs one round trip.
TABLE = RawMessage._meta.db_table
CLAIM = f"""
WITH own AS (
    SELECT id FROM {TABLE} WHERE id = %(id)s AND state = %(waiting)s FOR UPDATE SKIP LOCKED
), others AS (
    SELECT id FROM {TABLE} WHERE state = %(waiting)s AND id <> %(id)s AND size <= %(small)s
    ORDER BY received_at LIMIT %(more)s FOR UPDATE SKIP LOCKED
)
SELECT 0, id, '' FROM own
UNION ALL SELECT 1, id, '' FROM others
UNION ALL SELECT 2, id, state FROM {TABLE} WHERE id = %(id)s
"""
DONE = {*processing.FINAL_STATES, MessageState.REFUSED, MessageState.DUPLICATE}
ROUNDS = 5  # batches a task may process while another worker holds its own message
SMALL_BYTES = 256 * 1024  # a larger message is not taken along: its own task processes it (a batch's memory)


def _claim_ids(message_id: str, limit: int) -> tuple[list, str | None]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            params = {"id": message_id, "waiting": MessageState.RECEIVED, "more": limit - 1, "small": SMALL_BYTES}
            cursor.execute(CLAIM, params)
            rows = sorted(cursor.fetchall(), key=lambda row: row[0])
        return [pk for part, pk, _state in rows if part < 2], next((s for part, _pk, s in rows if part == 2), None)
    # elsewhere (SQLite, one writer at a time, no SKIP LOCKED: the unit tests), the same choice unlocked
    waiting = RawMessage.objects.filter(state=MessageState.RECEIVED)
    own = list(waiting.filter(pk=message_id).values_list("pk", flat=True))
    others = waiting.exclude(pk=message_id).filter(size__lte=SMALL_BYTES).order_by("received_at")
    others = others.values_list("pk", flat=True)[: limit - len(own)]
    state = RawMessage.objects.filter(pk=message_id).values_list("state", flat=True).first()
    return own + list(others), state


def claim(message_id: str, limit: int) -> tuple[list[RawMessage], str | None]:
    """Lock ``message_id`` (when waiting) and the oldest other waiting messages no one holds, ``limit`` at most,
    own first; and ``message_id``'s state (None when there is no such message)."""
    ids, state = _claim_ids(message_id, limit)
    if not ids:
        return [], state
    rows = {row.pk: row for row in RawMessage.objects.select_related("party").filter(pk__in=ids)}
    return [rows[pk] for pk in ids], state


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _is(message: RawMessage, message_id: str) -> bool:
    return str(message.pk) == str(message_id)


def _batch(message_id: str, limit: int) -> tuple[list[RawMessage], str | None]:
    """One transaction: claim a batch and process it; the batch and ``message_id``'s state before it."""
    messages: list[RawMessage] = []
    try:
        with transaction.atomic():
            messages, state = claim(message_id, limit)
            if messages:
                processing.run(messages)
    except Exception as exc:
        if len(messages) <= 1 and all(_is(m, message_id) for m in messages):
            raise  # its own failure (or no database): the task's retry or dead letter
        log.warning(
            "a batch of %d messages failed (%s: %s); processing %s alone", len(messages), type(exc).__name__, exc,
            message_id,
        )  # fmt: skip
        return [], processing.process(message_id)
    return messages, state


def process_waiting(message_id: str, limit: int | None = None) -> str:
    """Process ``message_id`` and other waiting messages with it; return ``message_id``'s final state.

    While another worker's batch holds ``message_id``, the task works off other waiting messages (at most
    ``ROUNDS`` batches) rather than wait idle; then it waits for that batch's end.
    """
    limit = settings.EDI_PROCESS_BATCH if limit is None else limit
    if limit <= 1 or not connection.features.has_select_for_update_skip_locked or not _is_uuid(message_id):
        return processing.process(message_id)
    for _round in range(ROUNDS):
        messages, state = _batch(message_id, limit)
        if not messages and state in DONE:  # done now, perhaps alone after a failed batch
            return state
        for message in messages:
            if _is(message, message_id):
                return message.state
        if state in DONE:
            return state
        if state != MessageState.RECEIVED or not messages:
            break  # failed before, unknown, or held by another worker with nothing else waiting
    return processing.process(message_id)  # wait for the worker that holds it, then see; or fail as before
