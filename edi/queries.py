"""Read-only questions about what went out: the CONTRL and APERAK acknowledgements we sent back, and
the EDIFACT interchanges sent to EDIFACT webhook subscribers (:mod:`tracking.outbound`).

Acknowledgements are built while a raw message is processed and kept in its ``outcome``
(``outcome["acknowledgements"]``: a CONTRL first when one is due, then one APERAK per message
whose facts could not all be mapped; see :func:`edi.translate.translate_edifact`). These
functions expand them into rows for operators, newest first, each tied to the message it answers.

    >>> rows = sent_acknowledgements(kind="APERAK", limit=50)
    >>> rows[0].answers_id, rows[0].body[:3]
    (UUID('...'), 'UNA')
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.db.models.functions import Length

from edi.choices import Channel, MessageState
from edi.models import RawMessage
from tracking.models import OutboundMessage

KINDS = ("CONTRL", "APERAK")
ANSWERED_STATES = (MessageState.PROCESSED, MessageState.PARTIAL, MessageState.REJECTED)


@dataclass(frozen=True)
class SentAcknowledgement:
    """One acknowledgement sent back to a partner, with the inbound message it answers."""

    answers_id: uuid.UUID
    index: int
    kind: str
    body: str
    sent_at: datetime | None
    party_id: int | None
    party_name: str
    recipient: str  # the interchange sender of the answered message, i.e. who receives this
    channel: str  # how it travels: the answered message's channel (AMQP reply exchange, else HTTP /ack)
    answered_state: str
    answered_reference: str

    @property
    def via_reply_queue(self) -> bool:
        return self.channel == Channel.AMQP


def _acknowledgements(outcome: dict) -> list[dict]:
    found = list(outcome.get("acknowledgements") or [])
    if not found and isinstance(outcome.get("acknowledgement"), dict):
        found.append(outcome["acknowledgement"])  # the outcome's earlier shape
    return [ack for ack in found if isinstance(ack, dict)]


def _rows(message: RawMessage, kind: str = "") -> list[SentAcknowledgement]:
    rows = []
    for index, ack in enumerate(_acknowledgements(message.outcome or {})):
        if kind and ack.get("type") != kind:
            continue
        rows.append(
            SentAcknowledgement(
                answers_id=message.pk,
                index=index,
                kind=str(ack.get("type", "")),
                body=str(ack.get("body", "")),
                sent_at=message.processed_at or message.received_at,
                party_id=message.party_id,
                party_name=message.party.name if message.party_id else "",
                recipient=message.sender,
                channel=message.channel,
                answered_state=message.state,
                answered_reference=message.control_reference,
            )
        )
    return rows


def sent_acknowledgements(
    *, party_id: int | None = None, kind: str = "", answered_state: str = "", limit: int = 50
) -> list[SentAcknowledgement]:
    """Acknowledgements sent, newest first: at least ``limit`` rows when there are that many.

    ``kind`` is CONTRL or APERAK; ``answered_state`` narrows to answers of processed,
    partially processed or rejected messages. Reads ``limit`` raw messages at most.
    """
    rows = RawMessage.objects.select_related("party").defer("body").filter(state__in=ANSWERED_STATES)
    has_any = Q(outcome__acknowledgements__0__type__isnull=False)
    if kind == "CONTRL":
        has_any = Q(outcome__acknowledgements__0__type="CONTRL")  # a CONTRL is always first
    elif kind == "APERAK":
        has_any = Q(outcome__acknowledgements__0__type="APERAK") | Q(outcome__acknowledgements__1__type="APERAK")
    elif kind:
        return []
    rows = rows.filter(has_any)
    if party_id is not None:
        rows = rows.filter(party_id=party_id)
    if answered_state:
        rows = rows.filter(state=answered_state)
    found: list[SentAcknowledgement] = []
    for message in rows.order_by("-processed_at", "-received_at")[:limit]:
        found.extend(_rows(message, kind))
    return found


def acknowledgement_kinds(message: RawMessage) -> list[tuple[int, str]]:
    """(index, type) of each acknowledgement sent for a raw message already loaded."""
    return [(index, str(ack.get("type", ""))) for index, ack in enumerate(_acknowledgements(message.outcome or {}))]


def sent_acknowledgement(message_id: uuid.UUID | str, index: int) -> SentAcknowledgement | None:
    """The ``index``-th acknowledgement sent for one raw message, or None."""
    message = RawMessage.objects.select_related("party").defer("body").filter(pk=message_id).first()
    if message is None:
        return None
    rows = [row for row in _rows(message) if row.index == index]
    return rows[0] if rows else None


def acknowledgements_sent_since(since: datetime, limit: int = 100_000) -> list[tuple[datetime, str, str]]:
    """(sent at, type, state of the answered message) of every acknowledgement sent since ``since``."""
    rows = (
        RawMessage.objects.filter(state__in=ANSWERED_STATES, processed_at__gte=since)
        .filter(outcome__acknowledgements__0__type__isnull=False)
        .values_list("processed_at", "state", "outcome__acknowledgements")
    )
    found = []
    for sent_at, state, acks in rows[:limit]:
        found.extend((sent_at, str(ack.get("type", "")), state) for ack in acks or [] if isinstance(ack, dict))
    return found


def sent_interchanges(
    *, party_id: int | None = None, kind: str = "", state: str = "", limit: int = 50
) -> list[OutboundMessage]:
    """EDIFACT interchanges sent to subscribers (IFTSTA, CODECO, COARRI), newest first, bytes deferred.

    ``state`` is a delivery state (pending, retrying, delivered, dead); ``kind`` a message type.
    """
    rows = OutboundMessage.objects.select_related("party").defer("body").annotate(size=Length("body"))
    if party_id is not None:
        rows = rows.filter(party_id=party_id)
    if kind:
        rows = rows.filter(message_type=kind)
    if state:
        rows = rows.filter(state=state)
    return list(rows.order_by("-created_at", "-pk")[:limit])


def sent_interchange(pk: int) -> OutboundMessage | None:
    """One outbound interchange with its bytes, or None."""
    return OutboundMessage.objects.select_related("party", "subscription").filter(pk=pk).first()
