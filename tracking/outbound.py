"""Outbound EDI for EDIFACT subscribers: one signed interchange per subscription and batch of new events.

:func:`tracking.webhooks.fan_out` makes the deliveries (one per event, under the visibility rules
and the filters, never twice for one event); for a subscription whose ``format`` is ``edifact``,
:func:`batch` then writes that batch's events as one ``message_type`` interchange with
:mod:`edi.emit` (UNB sender ``settings.PLATFORM_EDI_ID``, recipient the subscriber's EDI identity,
a control reference counted per recipient), checks it with :func:`edi.validate.validate_interchange`
and stores it as an :class:`~tracking.models.OutboundMessage`. The webhook machinery
(:func:`tracking.webhooks.attempt`) posts its bytes signed, as ``application/edifact``, with the
same back-off and dead state. The recipient's CONTRL or APERAK comes back through the EDI inbox and
:func:`answer` marks the message acknowledged or rejected. An event a partner's replacement or
cancellation withdrew after it was sent goes out again in a cancellation (BGM 1225 1, the same
document number) to each EDIFACT subscriber it reached, and as an original again if a later report
makes it current again (:func:`changed`).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from edi.emit import emit
from edi.validate import validate_interchange
from edi.writing import edifact_bytes
from tracking import webhooks
from tracking.choices import AnswerState, DeliveryKind, DeliveryState
from tracking.models import Delivery, Event, InterchangeSequence, OutboundMessage, Subscription

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/edifact"
REFERENCE_DIGITS = 9  # UNB 0020 is an..14: 9 digits, then up to 5 for the message's number in UNH 0062


def next_control_reference(recipient: str) -> str:
    """The next interchange control reference towards ``recipient`` (inside the caller's transaction)."""
    InterchangeSequence.objects.bulk_create([InterchangeSequence(recipient=recipient)], ignore_conflicts=True)
    InterchangeSequence.objects.filter(pk=recipient).update(last=F("last") + 1)
    last = InterchangeSequence.objects.select_for_update().get(pk=recipient).last
    return f"{last % 10**REFERENCE_DIGITS:0{REFERENCE_DIGITS}d}"


def batch(subscriptions: dict, pending: QuerySet, rows: list[Event]) -> None:
    """One interchange per EDIFACT subscription for its new ``pending`` deliveries of ``rows``."""
    _batch(subscriptions, pending, {str(row.event_id): row.payload for row in rows}, "9")


def _batch(subscriptions: dict, pending: QuerySet, payloads: dict, function: str) -> None:
    """One interchange per subscription of its deliveries, its messages of BGM 1225 ``function`` (:func:`build`)."""
    by_subscription: dict = {}
    for pk, subscription_id, event_id in pending.values_list("pk", "subscription_id", "event_id"):
        by_subscription.setdefault(subscription_id, []).append((pk, str(event_id)))
    created = []
    order = sorted(by_subscription, key=lambda pk: (subscriptions[pk].edi_recipient, str(pk)))  # one lock order
    for subscription_id in order:
        message = build(subscriptions[subscription_id], by_subscription[subscription_id], payloads, function)
        if message is not None and message.state == DeliveryState.PENDING:
            created.append(message.pk)
    enqueue_on_commit(created)


def changed(subscriptions: dict, pending: QuerySet, events: list[Event], kind: str) -> None:
    """One interchange per EDIFACT subscription for its ``pending`` deliveries of withdrawn or restored events.

    Withdrawn: each message repeats the event as it was sent, its BGM function 1 (cancellation) and its
    message date (DTM 137) the withdrawing report's creation. Restored: the message is sent again as an
    original (9), dated now, after the cancellation it undoes.
    """
    function = "1" if kind == DeliveryKind.WITHDRAWN else "9"
    now = timezone.now().isoformat()
    payloads = {}
    for event in events:
        created = event.withdrawn_by.created.isoformat() if event.withdrawn_by and function == "1" else now
        payloads[str(event.event_id)] = {**event.payload, "eventCreatedDateTime": created}
    _batch(subscriptions, pending, payloads, function)


def build(
    subscription: Subscription, deliveries: list[tuple[int, str]], payloads: dict, function: str = "9"
) -> OutboundMessage | None:
    """Write, check and store the interchange of ``deliveries``; those its type cannot carry are dropped.

    ``function``: BGM 1225 of every message, 9 (original) or 1 (cancellation of what was sent before).
    """
    events = [{**payloads[event_id], "eventID": event_id} for _pk, event_id in deliveries]
    control = next_control_reference(subscription.edi_recipient)
    out = emit(
        events,
        subscription.message_type,
        sender=settings.PLATFORM_EDI_ID,
        recipient=subscription.edi_recipient,
        control_reference=control,
        reference_prefix=control,
        function_code=function,
    )
    skipped = {event["eventID"] for event, _reason in out.skipped}
    if skipped:  # like a filter: an IFTSTA subscriber gets no planned event, a COARRI one no gate move
        Delivery.objects.filter(pk__in=[pk for pk, event_id in deliveries if event_id in skipped]).delete()
    if out.text is None:
        return None
    body = edifact_bytes(out.text)  # as its UNB declares (ISO 8859-1)
    validation = validate_interchange(body)
    errors = [f"{issue.code} {issue.message}" for issue in validation.errors]
    carried = [(pk, event_id) for pk, event_id in deliveries if event_id not in skipped]
    message = OutboundMessage.objects.create(
        subscription=subscription,
        party_id=subscription.party_id,
        message_type=subscription.message_type,
        sender=settings.PLATFORM_EDI_ID,
        recipient=subscription.edi_recipient,
        control_reference=control,
        message_references=[m.reference for m in validation.messages],
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        event_ids=[event_id for _pk, event_id in carried],
        state=DeliveryState.DEAD if errors else DeliveryState.PENDING,
        last_error="; ".join(errors)[:500],
        next_attempt_at=timezone.now(),
    )
    Delivery.objects.filter(pk__in=[pk for pk, _e in carried]).update(
        message=message, state=message.state, last_error=message.last_error
    )
    if errors:  # a defect of ours: never send what our own validator refuses; operators see why
        log.error("outbound %s %s is invalid, not sent: %s", message.message_type, control, errors)
    return message


def _post(message: OutboundMessage) -> int:
    return webhooks.send_signed(
        message.subscription,
        bytes(message.body),
        CONTENT_TYPE,
        {"X-Logihub-Message": str(message.pk), "X-Logihub-Interchange": message.control_reference},
    )


def deliver(message_id: int) -> str:
    """One attempt at sending an outbound interchange (see :func:`tracking.webhooks.attempt`)."""
    return webhooks.attempt(OutboundMessage, message_id, _post)


def enqueue_on_commit(message_ids: list[int]) -> None:
    """After commit, one task per message (embedded: a background thread, as for JSON deliveries)."""
    from tracking.tasks import deliver_outbound

    webhooks.enqueue_on_commit(deliver_outbound, message_ids)


def due(limit: int = 1000) -> list[int]:
    """Ids of outbound messages whose next attempt is due (for ``manage.py tracking deliver``)."""
    return list(
        OutboundMessage.objects.filter(
            state__in=[DeliveryState.PENDING, DeliveryState.RETRYING], next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)[:limit]
    )


def answered(acknowledgement: dict, sender: str) -> OutboundMessage | None:
    """The outbound message a partner's CONTRL (by UNB 0020) or APERAK (by UNH 0062) answers, if ours."""
    answers = acknowledgement.get("answers") or {}
    mine = OutboundMessage.objects.filter(recipient=sender)
    if acknowledgement.get("type") == "CONTRL":
        return mine.filter(control_reference=answers.get("controlReference", "")).first()
    reference = answers.get("messageReference", "")
    found = mine.filter(control_reference=reference[:REFERENCE_DIGITS]).first()
    return found if found is not None and reference in found.message_references else None


def answer(acknowledgement: dict, sender: str) -> int | None:
    """Mark the outbound message ``acknowledgement`` answers; a rejection is never overwritten by a later accept.

    Returns the message's id, or None when the acknowledgement answers nothing we sent.
    """
    message = answered(acknowledgement, sender)
    if message is None:
        return None
    rejected = acknowledgement.get("status") == "rejected"
    if message.answer == AnswerState.REJECTED and not rejected:
        return message.pk
    detail = {k: acknowledgement.get(k) for k in ("type", "messageReference", "status", "errors")}
    OutboundMessage.objects.filter(pk=message.pk).update(
        answer=AnswerState.REJECTED if rejected else AnswerState.ACKNOWLEDGED,
        answer_detail=detail,
        answered_at=timezone.now(),
    )
    return message.pk
