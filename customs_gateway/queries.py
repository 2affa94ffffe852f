"""Read-only questions about the messages the gateway exchanged, for operators' monitors.

Every message in or out is a :class:`customs_gateway.models.Message` with its exact bytes; a
message belongs to a declaration's thread (the broker's submission, what we sent the authority,
its transport acknowledgement, its answers). These functions list them and take one apart.

    >>> exchanged_messages("out", outcome="send_failed", limit=50)
    >>> counterparts(messages)     # {id: [what it answers, or what answered it]}
    >>> thread(message)            # the declaration's messages in order
    >>> layers(message)            # [("envelope", bytes), ("carried message", bytes)] for a DXP envelope
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.db.models.functions import Length

from customs_gateway import envelope
from customs_gateway.choices import MessageOutcome, MessageRole
from customs_gateway.exceptions import CustomsError
from customs_gateway.models import Message
from customs_gateway.records import parse
from tracking.models import Party

OUT_OUTCOMES = (MessageOutcome.SENT, MessageOutcome.SEND_FAILED)


def exchanged_messages(
    direction: str, *, party: Party | None = None, message_type: str = "", outcome: str = "", limit: int = 50
) -> list[Message]:
    """Messages of one direction ("in" or "out"), newest first, without their bodies.

    ``party`` narrows to what that party sent (inbound) or what concerns its declarations.
    """
    rows: QuerySet = (
        Message.objects.filter(direction=direction)
        .select_related("declaration__party")
        .defer("body")
        .annotate(size=Length("body"))
    )
    if party is not None:
        rows = rows.filter(Q(sender=party.edi_id) | Q(declaration__party=party))
    if message_type:
        rows = rows.filter(message_type__iexact=message_type)
    if outcome:
        rows = rows.filter(outcome=outcome)
    return list(rows.order_by("-recorded_at", "-id")[:limit])


def counterparts(messages: list[Message]) -> dict[int, list[Message]]:
    """For each message, the messages of its declaration it answers or that answer it, in one query.

    A submission is answered by what we sent the authority for that version; what we sent
    answers the submission; the authority's and the agencies' messages answer the last thing
    we sent before them.
    """
    declarations = {m.declaration_id for m in messages if m.declaration_id}
    if not declarations:
        return {}
    related = list(
        Message.objects.filter(declaration_id__in=declarations)
        .only("id", "declaration_id", "direction", "role", "version", "message_type", "recorded_at")
        .order_by("recorded_at", "id")
    )
    by_declaration: dict = {}
    for r in related:
        by_declaration.setdefault(r.declaration_id, []).append(r)
    found: dict[int, list[Message]] = {}
    for message in messages:
        same = [r for r in by_declaration.get(message.declaration_id, []) if r.pk != message.pk]
        sent = [r for r in same if r.role == MessageRole.OUTBOUND]
        if message.role == MessageRole.SUBMISSION:
            found[message.pk] = [r for r in sent if r.version == message.version]
        elif message.role == MessageRole.OUTBOUND:
            found[message.pk] = [r for r in same if r.role == MessageRole.SUBMISSION and r.version == message.version]
        else:
            before = [r for r in sent if (r.recorded_at, r.pk) <= (message.recorded_at, message.pk)]
            found[message.pk] = before[-1:]
    return found


def sent_since(since, limit: int = 100_000) -> list[tuple]:
    """(recorded at, outcome) of every message the gateway sent the authority since ``since``."""
    rows = Message.objects.filter(direction="out", recorded_at__gte=since).values_list("recorded_at", "outcome")
    return list(rows[:limit])


def message_types() -> list[str]:
    """The message types exchanged so far (for a filter's choices)."""
    found = Message.objects.exclude(message_type="").values_list("message_type", flat=True).distinct()
    return sorted(set(found[:200]))


def one_message(pk: int) -> Message | None:
    return Message.objects.select_related("declaration__party").filter(pk=pk).first()


def thread(message: Message) -> list[Message]:
    """The messages of the same declaration in the order they were recorded (the message alone without one)."""
    if message.declaration_id is None:
        return [message]
    return list(
        Message.objects.filter(declaration_id=message.declaration_id).defer("body").order_by("recorded_at", "id")
    )


def layers(message: Message) -> list[tuple[str, bytes]]:
    """The message's bytes, and inside a DXP envelope the business message it carries."""
    body = bytes(message.body)
    found = [("message", body)]
    try:
        root = parse(body)
        if envelope.is_envelope(root):
            _info, data, _keys = envelope.unwrap(root)
            found = [("envelope", body), ("carried", data)]
    except CustomsError:
        pass  # not XML, or an envelope that does not unwrap: the bytes alone are what there is
    return found
