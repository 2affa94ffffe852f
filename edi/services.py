"""Receiving partner messages: store the raw bytes durably first, then process them in a task.

``receive()`` is the one entry for every channel (HTTP, AMQP, file import): it refuses what
the caller may not send (too large, wrong sender), records what it refuses, recognises
duplicates (the same sender and control reference, or byte-identical bytes from the same
party), and enqueues processing only after the raw message has committed.

The stored ``received`` messages are the outbox: when the broker cannot take a task at commit
(RabbitMQ restarting), the message stays stored with no ``enqueued_at`` and the sender still gets
its receipt; :func:`requeue_stuck` (``manage.py requeue_edi``) hands it over once the broker is back.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from edi.envelope import Envelope, identify
from edi.exceptions import EdiError, MessageTooLarge, NotAMessage, WrongSender
from edi.models import Channel, MessageFormat, MessageState, RawMessage, ReceiptKey
from tracking import bulk
from tracking.models import Party

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    """What the sender is told: the stored message, and the original when this one is a duplicate."""

    message: RawMessage
    duplicate_of: RawMessage | None = None

    @property
    def duplicate(self) -> bool:
        return self.duplicate_of is not None


def receipt_keys(party: Party | None, envelope: Envelope, sha256: str) -> list[str]:
    """The identities a message claims: its interchange (sender + control reference) and its bytes."""
    keys = []
    if envelope.sender and envelope.control_reference:
        keys.append(f"icr:{envelope.format}:{envelope.sender}:{envelope.control_reference}"[:200])
    keys.append(f"sha:{party.pk if party else '-'}:{sha256}")
    return keys


def _claim(message: RawMessage, keys: list[str]) -> RawMessage | None:
    """Claim ``keys`` for ``message``; return the message that owns one of them already, if any.

    One ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` for all the keys: a key another transaction is
    inserting at the same moment makes this one wait for it, then count as taken (or free, if that
    transaction rolled back). The owner of the first key taken is the original.
    """
    quote, meta = connection.ops.quote_name, ReceiptKey._meta
    key_column, owner = quote(meta.pk.column), meta.get_field("message")
    owner_id = owner.get_db_prep_save(message.pk, connection)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({key_column}, {quote(owner.column)}) "
        f"VALUES {', '.join(['(%s, %s)'] * len(keys))} ON CONFLICT ({key_column}) DO NOTHING RETURNING {key_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for key in keys for value in (key, owner_id)])
        claimed = {key for (key,) in cursor.fetchall()}
    for key in keys:
        if key not in claimed:
            return ReceiptKey.objects.select_related("message").get(key=key).message
    return None


def _insert(message: RawMessage) -> None:
    """The new message's row, in one INSERT without the ORM's save machinery (every HTTP post passes here)."""
    fields = RawMessage._meta.concrete_fields
    bulk.insert(RawMessage, [f.name for f in fields], [tuple(getattr(message, f.attname) for f in fields)])
    message._state.adding, message._state.db = False, connection.alias


def _raw_message(
    body: bytes,
    sha256: str,
    *,
    channel: str,
    party: Party | None,
    content_type: str,
    envelope: Envelope | None,
    **fields,
) -> RawMessage:
    """The (unsaved) row of a received body, with what its envelope says."""
    return RawMessage(
        body=body,
        sha256=sha256,
        size=len(body),
        content_type="".join(ch for ch in content_type if ch.isprintable())[:100],  # as told, less control characters
        channel=channel,
        party=party,
        format=envelope.format if envelope else MessageFormat.UNKNOWN,
        sender=(envelope.sender if envelope else "")[:70],
        recipient=(envelope.recipient if envelope else "")[:70],
        control_reference=(envelope.control_reference if envelope else "")[:70],
        **fields,
    )


def _record_refusal(
    body: bytes,
    sha256: str,
    *,
    channel: str,
    party: Party | None,
    content_type: str,
    error: EdiError,
    envelope: Envelope | None,
) -> RawMessage:
    message = _raw_message(
        body,
        sha256,
        channel=channel,
        party=party,
        content_type=content_type,
        envelope=envelope,
        state=MessageState.REFUSED,
        refusal=error.as_dict(),
    )
    message.save(force_insert=True)
    return message


def receive(body: bytes, *, channel: str, party: Party | None, content_type: str = "") -> Receipt:
    """Store ``body`` as received from ``party`` over ``channel``; enqueue its processing on commit.

    Raises :class:`MessageTooLarge`, :class:`NotAMessage` or :class:`WrongSender` after
    recording the refusal (a too-large body is not stored: only its size is logged by the caller).
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if len(body) > settings.EDI_MAX_MESSAGE_BYTES:
        raise MessageTooLarge(
            f"message of {len(body)} bytes exceeds the limit of {settings.EDI_MAX_MESSAGE_BYTES} bytes"
        )
    sha256 = hashlib.sha256(body).hexdigest()
    try:
        envelope = identify(body)
    except EdiError as exc:
        _record_refusal(body, sha256, channel=channel, party=party, content_type=content_type, error=exc, envelope=None)
        if isinstance(exc, NotAMessage):
            raise
        raise NotAMessage(exc.message, code=exc.code, position=exc.position) from exc
    if party is not None and envelope.sender and envelope.sender != party.edi_id:
        error = WrongSender(f"interchange sender {envelope.sender!r} is not this key's party ({party.edi_id!r})")
        _record_refusal(
            body, sha256, channel=channel, party=party, content_type=content_type, error=error, envelope=envelope
        )
        raise error
    message = _raw_message(
        body,
        sha256,
        channel=channel,
        party=party,
        content_type=content_type,
        envelope=envelope,
        received_at=timezone.now(),
    )
    with transaction.atomic():
        _insert(message)
        original = _claim(message, receipt_keys(party, envelope, sha256))
        if original is not None:
            ReceiptKey.objects.filter(message=message).delete()
            message.state = MessageState.DUPLICATE
            message.duplicate_of = original
            message.save(update_fields=["state", "duplicate_of"])
        else:
            transaction.on_commit(lambda: enqueue(str(message.id)))
    return Receipt(message=message, duplicate_of=original)


def enqueue(message_id: str) -> bool:
    """Hand a stored message's processing task to the broker; False (logged) when it cannot take it now.

    The message is already committed, so a broker outage loses nothing: it stays ``received`` with
    no ``enqueued_at`` until :func:`requeue_stuck` enqueues it again.
    """
    from edi.tasks import process_message

    try:
        process_message.delay(message_id)
    except (BrokerError, OSError) as exc:
        log.warning("processing of %s not enqueued (broker unavailable: %s); requeue_edi will retry", message_id, exc)
        return False
    try:
        _record_enqueued(message_id)
    except DatabaseError as exc:  # enqueued all the same; at worst requeue_edi enqueues it once more
        log.warning("enqueue time of %s not recorded: %s", message_id, exc)
    return True


# The enqueue time of a message still waiting and not locked: a message a worker's batch holds is being
# processed, and waiting for that batch's commit would hold the HTTP request (and its 202) for as long.
RECORD_ENQUEUED = f"""
UPDATE {RawMessage._meta.db_table} SET enqueued_at = %(now)s WHERE id = (
    SELECT id FROM {RawMessage._meta.db_table} WHERE id = %(id)s AND state = %(waiting)s FOR UPDATE SKIP LOCKED
)
"""


def _record_enqueued(message_id: str) -> None:
    """Note that the broker took ``message_id``'s task, unless the message is done or being processed.

    Skipping a locked message is safe: if its batch commits, the message is final and its enqueue time no
    longer matters; if the batch rolls back, the message waits without one and :func:`requeue_stuck`
    enqueues it once more after its grace time (its own task is on the broker too; processing is idempotent).
    """
    now = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(RECORD_ENQUEUED, {"now": now, "id": message_id, "waiting": MessageState.RECEIVED})
        return
    # elsewhere (SQLite: one writer at a time, no row locks to wait for) the same without SKIP LOCKED
    RawMessage.objects.filter(pk=message_id, state=MessageState.RECEIVED).update(enqueued_at=now)


def requeue_stuck(*, grace: float = 60, stale: float = 3600, limit: int = 10_000) -> tuple[int, int]:
    """Enqueue again the ``received`` messages whose task never reached the broker (older than ``grace``
    seconds, never enqueued) or was enqueued more than ``stale`` seconds ago and never ran.

    Processing is idempotent, so a message enqueued twice is processed once. Returns (enqueued, still
    waiting): it stops at the first refusal, when the broker is still down.
    """
    from django.db.models import Q

    now = timezone.now()
    never = Q(enqueued_at__isnull=True, received_at__lt=now - timedelta(seconds=grace))
    lost = Q(enqueued_at__lt=now - timedelta(seconds=stale))
    stuck = list(
        RawMessage.objects.filter(never | lost, state=MessageState.RECEIVED)
        .order_by("received_at")
        .values_list("id", flat=True)[:limit]
    )
    for done, message_id in enumerate(stuck):
        if not enqueue(str(message_id)):
            return done, len(stuck) - done
    return len(stuck), 0
