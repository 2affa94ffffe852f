"""Webhooks: subscriptions, fan-out of new events to deliveries, HMAC signing, delivery with back-off.

Signature (see docs/webhooks.md): ``X-Logihub-Signature: t=<unix seconds>,v1=<hex>`` where
``hex = HMAC-SHA256(secret, "<t>." + body)``. Deliveries are rows; :func:`fan_out` creates them
inside ``record_events``' transaction and enqueues ``deliver_webhook`` only after commit, so a
slow or failing receiver never holds up ingestion. A failed attempt is retried after
``backoff(attempt)``; after ``MAX_ATTEMPTS`` the delivery is dead (replayable in the admin).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracking import destinations, filters
from tracking.choices import DeliveryKind, DeliveryState, PushFormat
from tracking.exceptions import (
    DeliveryFailed,
    DuplicateSubscription,
    InvalidFilter,
    InvalidSubscription,
    UnsafeDestination,
)
from tracking.models import Delivery, Event, OutboundMessage, Party, Subscription
from tracking.visibility import Viewer, visible_events

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600
TIMEOUT_SECONDS = 5  # to connect, and between any two reads or writes of an attempt
DEADLINE_SECONDS = 15  # the whole attempt: a receiver trickling its answer cannot hold a worker longer
LEASE_SECONDS = 60
SIGNATURE_HEADER = "X-Logihub-Signature"
USER_AGENT = "logihub-webhooks/1"


def backoff(attempt: int) -> int:
    """Seconds to wait after the ``attempt``-th failure: 30 s, 60 s, 2 min, ... at most 6 h."""
    return min(BACKOFF_BASE_SECONDS * 2 ** max(attempt - 1, 0), BACKOFF_MAX_SECONDS)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The header value ``t=<timestamp>,v1=<HMAC-SHA256 hex over "<timestamp>." + body>``."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def subscribe(
    party: Party | None,
    callback_url: str,
    event_filters: dict,
    *,
    format: str = PushFormat.JSON,  # noqa: A002 (the API's own name)
    message_type: str = "IFTSTA",
    edi_recipient: str = "",
) -> Subscription:
    """Create a subscription (filters checked; raises InvalidFilter); its ``secret`` is shown once.

    The callback must reach a public address (raises UnsafeDestination, see tracking.destinations).
    ``format="edifact"``: events go out as ``message_type`` interchanges addressed (UNB recipient)
    to ``edi_recipient``, by default the party's own EDI identity. The same callback, filters and
    format subscribed again by the same party raises DuplicateSubscription.
    """
    filters.parse(event_filters)
    destinations.check_url(callback_url)
    if format == PushFormat.EDIFACT and not edi_recipient:
        edi_recipient = party.edi_id if party is not None else ""
        if not edi_recipient:
            raise InvalidSubscription(str(_("an EDIFACT subscription needs the recipient's EDI identity")))
    edi_recipient = edi_recipient if format == PushFormat.EDIFACT else ""
    same = Subscription.objects.filter(
        party=party,
        active=True,
        callback_url=callback_url,
        format=format,
        message_type=message_type,
        edi_recipient=edi_recipient,
    )
    existing = next((row for row in same if row.filters == event_filters), None)
    if existing is not None:
        raise DuplicateSubscription(
            str(
                _("This callback is subscribed with these filters already (subscription %(id)s).") % {"id": existing.pk}
            )
        )
    return Subscription.objects.create(
        party=party,
        callback_url=callback_url,
        filters=event_filters,
        secret=secrets.token_urlsafe(32),
        format=format,
        message_type=message_type,
        edi_recipient=edi_recipient,
    )


#: Embedded mode (SQLite): tries of one attempt that another connection locked out of a table.
LOCKED_TRIES = 5
#: The name of the embedded mode's delivery threads (tests wait for them by it).
BACKGROUND_THREAD = "logihub-deliver"


def _attempt_in_background(task: Any, pks: list[int]) -> None:
    """Run ``task`` for each id in this thread; an attempt SQLite locked out is tried again shortly."""
    try:
        for pk in pks:
            for n in range(1, LOCKED_TRIES + 1):
                try:
                    task.apply(args=(pk,))
                    break
                except OperationalError:
                    if n == LOCKED_TRIES:  # the row stays due: `manage.py tracking deliver` sends it
                        log.warning("background %s(%s) gave up: the database stayed locked", task.name, pk)
                    else:
                        time.sleep(0.05 * n)
    finally:
        connections.close_all()


def enqueue_on_commit(task: Any, pks: list[int]) -> None:
    """After commit: one ``task`` per id on the broker; embedded (eager Celery), a background thread,
    so that even then a slow receiver never holds up the request or message that recorded the event."""
    if not pks:
        return

    def enqueue() -> None:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            threading.Thread(
                target=_attempt_in_background, args=(task, pks), name=BACKGROUND_THREAD, daemon=True
            ).start()
            return
        for pk in pks:
            task.delay(pk)

    transaction.on_commit(enqueue)


def _enqueue_on_commit(delivery_ids: list[int]) -> None:
    from tracking.tasks import deliver_webhook

    enqueue_on_commit(deliver_webhook, delivery_ids)


def fan_out(rows: list[Event]) -> None:
    """Create a delivery for every active subscription that matches a new event its party may see."""
    if not rows:
        return
    subscriptions = list(Subscription.objects.filter(active=True))
    if not subscriptions:
        return
    ids = [row.event_id for row in rows]
    visible: dict[int | None, set[str]] = {None: {str(i) for i in ids}}
    now = timezone.now()
    deliveries = []
    for subscription in subscriptions:
        if subscription.party_id not in visible:
            viewer = Viewer(party_ids=(subscription.party_id,))
            query = visible_events(viewer, Event.objects.filter(pk__in=ids)).values_list("event_id", flat=True)
            visible[subscription.party_id] = {str(i) for i in query}
        try:
            criteria = filters.parse(subscription.filters)
        except InvalidFilter as exc:  # checked when subscribed; a stale one must not stop ingestion
            log.warning("subscription %s has an unusable filter: %s", subscription.pk, exc.message)
            continue
        for row in rows:
            if str(row.event_id) in visible[subscription.party_id] and filters.matches(criteria, row):
                deliveries.append(Delivery(subscription=subscription, event_id=row.event_id, next_attempt_at=now))
    if not deliveries:
        return
    deliveries.sort(key=lambda d: (str(d.subscription_id), str(d.event_id)))
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    query = Q()
    for d in deliveries:  # ids are not returned when conflicts are ignored: read them back
        query |= Q(subscription_id=d.subscription_id, event_id=d.event_id)
    pending = Delivery.objects.filter(query, kind=DeliveryKind.EVENT, state=DeliveryState.PENDING, message__isnull=True)
    edifact = {s.pk: s for s in subscriptions if s.format == PushFormat.EDIFACT}
    _enqueue_on_commit(list(pending.exclude(subscription_id__in=edifact).values_list("pk", flat=True)))
    if edifact:
        from tracking import outbound

        outbound.batch(edifact, pending.filter(subscription_id__in=edifact), rows)


#: who hears of a change of an event: the subscribers sent it hear it was withdrawn; those told so hear it is back
TOLD_BEFORE = {DeliveryKind.WITHDRAWN: DeliveryKind.EVENT, DeliveryKind.RESTORED: DeliveryKind.WITHDRAWN}


def fan_out_change(event_ids: list[str], kind: str) -> None:
    """Tell the subscribers these events reached that they were withdrawn, or (``kind`` restored) that the
    withdrawal was undone by a later report; sent after commit, once per subscription and event.

    A JSON subscriber gets a delivery per event (a notice, or the event again); an EDIFACT subscriber one
    interchange (:func:`tracking.outbound.changed`): the messages cancelled, or sent again as originals.
    """
    told = (
        Delivery.objects.filter(event_id__in=event_ids, kind=TOLD_BEFORE[kind], subscription__active=True)
        .values_list("subscription_id", "event_id")
        .distinct()
    )
    now = timezone.now()
    notices = [
        Delivery(subscription_id=s, event_id=e, kind=kind, next_attempt_at=now) for s, e in sorted(set(told), key=str)
    ]
    if not notices:
        return
    before = set(Delivery.objects.filter(event_id__in=event_ids, kind=kind).values_list("pk", flat=True))
    Delivery.objects.bulk_create(notices, ignore_conflicts=True)
    pending = Delivery.objects.filter(event_id__in=event_ids, kind=kind).exclude(pk__in=before)
    edifact = {s.pk: s for s in Subscription.objects.filter(pk__in={s for s, _e in told}, format=PushFormat.EDIFACT)}
    _enqueue_on_commit(list(pending.exclude(subscription_id__in=edifact).values_list("pk", flat=True)))
    if edifact:
        from tracking import outbound

        events = list(Event.every.filter(pk__in=event_ids).select_related("withdrawn_by"))
        outbound.changed(edifact, pending.filter(subscription_id__in=edifact), events, kind)


def _claim(delivery_id: int, model: type = Delivery):
    """Take a due delivery (or outbound message) for one attempt (a lease), so two workers never send it at once."""
    now = timezone.now()
    rows = model.objects.filter(
        pk=delivery_id,
        state__in=[DeliveryState.PENDING, DeliveryState.RETRYING],
        next_attempt_at__lte=now,
    )
    if model is Delivery:
        rows = rows.filter(message__isnull=True)  # an EDIFACT subscriber's events travel in their interchange
    claimed = rows.update(attempts=F("attempts") + 1, next_attempt_at=now + timedelta(seconds=LEASE_SECONDS))
    if not claimed:
        return None
    if model is Delivery:
        return Delivery.objects.select_related("subscription", "event", "event__withdrawn_by").get(pk=delivery_id)
    return model.objects.select_related("subscription").get(pk=delivery_id)


def body_of(delivery: Delivery) -> bytes:
    document = {"subscriptionID": str(delivery.subscription_id), "deliveryID": delivery.pk}
    if delivery.kind == DeliveryKind.WITHDRAWN:
        document["withdrawn"] = withdrawn_notice(delivery.event)
    else:  # an event, or an event current again (X-Logihub-Delivery-Kind: restored)
        document["event"] = delivery.event.payload
    return json.dumps(document, cls=DjangoJSONEncoder, separators=(",", ":")).encode("utf-8")


def withdrawn_notice(event: Event) -> dict:
    """What a subscriber is told of a withdrawn event: its ID and the report that withdrew it."""
    notice: dict = {"eventID": str(event.event_id)}
    withdrawal = event.withdrawn_by
    if withdrawal is not None:
        notice["withdrawnBy"] = {
            "document": withdrawal.document_key,
            "messageFunction": withdrawal.function,
            "messageReference": withdrawal.message_reference,
            "created": withdrawal.created.isoformat(),
        }
    return notice


def send_signed(subscription: Subscription, body: bytes, content_type: str, headers: dict[str, str]) -> int:
    """POST ``body`` signed to the subscription's callback (JSON event or EDIFACT interchange); the answer's status.

    Through :func:`tracking.destinations.post`: public addresses only, checked at this attempt, no redirects.
    """
    signed = {
        "Content-Type": content_type,
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(subscription.secret, int(time.time()), body),
        **headers,
    }
    return destinations.post(
        subscription.callback_url, body, signed, timeout=TIMEOUT_SECONDS, deadline=DEADLINE_SECONDS
    )


def _post(delivery: Delivery) -> int:
    return send_signed(
        delivery.subscription,
        body_of(delivery),
        "application/json",
        {
            "X-Logihub-Delivery": str(delivery.pk),
            "X-Logihub-Event-Id": str(delivery.event_id),
            "X-Logihub-Delivery-Kind": delivery.kind,
        },
    )


def deliver(delivery_id: int) -> str:
    """One attempt at a delivery; return its new state. Raises DeliveryFailed when a retry is due."""
    return attempt(Delivery, delivery_id, _post)


def attempt(model: type, pk: int, post: Callable[[Any], int]) -> str:
    """One attempt at sending a row of ``model`` (Delivery or OutboundMessage) with ``post``.

    Delivered on a 2xx; a redirect is not followed (a failed attempt, as is a refused destination); otherwise retrying after ``backoff(attempts)``, dead after ``MAX_ATTEMPTS``
    (raises DeliveryFailed when a retry is due). An outbound message's deliveries mirror its state.
    """
    row = _claim(pk, model)
    if row is None:
        return "skipped"
    status, error = None, ""
    try:
        status = post(row)
    except UnsafeDestination as exc:
        error = exc.message[:500]
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    now = timezone.now()
    if status is not None and 200 <= status < 300:
        _update(row, state=DeliveryState.DELIVERED, delivered_at=now, last_status_code=status, last_error="")
        return DeliveryState.DELIVERED
    if not error and status is not None and 300 <= status < 400:
        error = f"HTTP {status}: redirects are not followed"
    error = error or f"HTTP {status}"
    if row.attempts >= MAX_ATTEMPTS:
        _update(row, state=DeliveryState.DEAD, last_status_code=status, last_error=error)
        log.warning("webhook %s %s is dead after %s attempts: %s", model.__name__, row.pk, row.attempts, error)
        return DeliveryState.DEAD
    wait = backoff(row.attempts)
    _update(
        row,
        state=DeliveryState.RETRYING,
        last_status_code=status,
        last_error=error,
        next_attempt_at=now + timedelta(seconds=wait),
    )
    raise DeliveryFailed(error, retryable=True, retry_in=wait)


def _update(row: Any, **fields: Any) -> None:
    type(row).objects.filter(pk=row.pk).update(**fields)
    if not isinstance(row, Delivery):
        row.deliveries.update(**{k: v for k, v in fields.items() if k != "next_attempt_at"}, attempts=row.attempts)


def replay(delivery_ids: list[int]) -> int:
    """Make deliveries (dead, delivered or waiting) due again now, with fresh attempts; enqueue after commit.

    A delivery that travelled in an EDIFACT interchange replays that interchange (the same bytes).
    """
    from tracking import outbound

    with transaction.atomic():
        fresh = {"state": DeliveryState.PENDING, "attempts": 0, "next_attempt_at": timezone.now(), "last_error": ""}
        count = Delivery.objects.filter(pk__in=delivery_ids).update(**fresh)
        messages = set(
            Delivery.objects.filter(pk__in=delivery_ids, message__isnull=False).values_list("message_id", flat=True)
        )
        OutboundMessage.objects.filter(pk__in=messages).update(**fresh)
        _enqueue_on_commit(
            list(Delivery.objects.filter(pk__in=delivery_ids, message__isnull=True).values_list("pk", flat=True))
        )
        outbound.enqueue_on_commit(sorted(messages))
    return count


def due(limit: int = 1000) -> list[int]:
    """Ids of deliveries whose next attempt is due (for the sweep after lost tasks or eager mode)."""
    return list(
        Delivery.objects.filter(
            state__in=[DeliveryState.PENDING, DeliveryState.RETRYING],
            next_attempt_at__lte=timezone.now(),
            message__isnull=True,
        ).values_list("pk", flat=True)[:limit]
    )
