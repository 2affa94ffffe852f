"""Replacements and cancellations of reports: which stored events are no longer current.

A partner's report (an IFTSTA, CODECO, COARRI ... with a document number in BGM) can be replaced
(UN/EDIFACT 1225 ``5``) or cancelled (``1``, ``3``) by a later message naming the same document. The
store keeps every event (append-only); a withdrawal marks the ones no longer stated:

- a document is named by its sender's EDI id, message type and number (:func:`key_of`);
- a :class:`~tracking.models.Withdrawal` records the replacing or cancelling message, when it was
  created and the eventIDs it restates (none for a cancellation);
- an event stated by a report created at or before the document's latest withdrawal, and not
  restated by it, is withdrawn; an event another report also stated (an
  :class:`~tracking.models.EventAssertion`) stays current while any of its reports does.

The rule reads only what is stored, never the order messages arrived in: an original that arrives
after its replacement is withdrawn as it is stored, a second replacement restating an event makes
it current again, and replaying any message changes nothing. :func:`settle` applies it to the
events of some documents and re-folds the statuses it changed (``tracking.statuses.refold``).

Two workers committing an original and its replacement side by side would each miss what the other
has not committed yet. On PostgreSQL a document is an advisory lock: storing its events takes it
shared, a withdrawal exclusive, each only *tried* (a worker already holds status rows the other may
want: waiting could deadlock). Whoever finds it taken settles the document again once committed,
in a transaction of its own that waits for the lock and so sees the other's work. SQLite runs one
writer at a time and needs none of this.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from tracking import statuses, webhooks
from tracking.bulk import insert
from tracking.choices import DeliveryKind
from tracking.models import Event, EventAssertion, Withdrawal
from tracking.push import push_on_commit, push_withdrawn_on_commit

log = logging.getLogger(__name__)
LOCK_CLASS = 0x4C48  # the first key of the two-key advisory locks: a document of tracking.withdrawals

#: UN/EDIFACT 1225 message functions that withdraw what an earlier report of that document said.
FUNCTIONS = {"5": "replacement", "1": "cancellation", "3": "deletion", "50": "withdrawal"}
KEY_LENGTH = Withdrawal._meta.get_field("document_key").max_length


def key_of(event: dict) -> str:
    """The document an event was reported in, ``sender/type/number``; "" when its source names none."""
    source = event.get("source") or {}
    document = source.get("document") or {}
    return document_key(source.get("party") or "", document.get("type") or "", document.get("number") or "")


def document_key(sender: str, message_type: str, number: str) -> str:
    """``sender/type/number``, the sender and type with ``%`` and ``/`` escaped: one partner's document
    number can never spell another partner's key (a partner may withdraw its own reports only)."""
    if not (sender and message_type and number):
        return ""
    return f"{_escaped(sender)}/{_escaped(message_type)}/{number}"[:KEY_LENGTH]  # a cut number: the same sender's


def _escaped(part: str) -> str:
    return part.replace("%", "%25").replace("/", "%2F")


@dataclass
class Settled:
    """What :func:`settle` changed: events newly withdrawn, events current again."""

    withdrawn: list[str]
    restored: list[str]


def withdraw(
    key: str,
    *,
    function: str,
    created: datetime,
    kept: Iterable[str],
    raw_message: str | None = None,
    message_reference: str = "",
) -> Settled:
    """Record a replacement or cancellation of document ``key`` and withdraw what it no longer states.

    ``kept``: the eventIDs the replacement states (stored before this is called); empty for a
    cancellation. Recording the same message twice changes nothing.
    """
    if function not in FUNCTIONS:
        raise ValueError(f"UN/EDIFACT 1225 {function!r} withdraws nothing")
    if not key:
        raise ValueError("a withdrawal names a document")
    kept_ids = [] if function != "5" else sorted({str(eid) for eid in kept})
    names = ["document_key", "function", "created", "raw_message", "message_reference", "kept", "recorded_at"]
    row = (key, function, created, raw_message, message_reference, kept_ids, timezone.now())
    busy = try_lock([key], shared=False)
    insert(Withdrawal, names, [row], unique=["document_key", "raw_message", "message_reference"])
    settled = settle([key])
    settle_after_commit(busy)
    return settled


def try_lock(keys: Iterable[str], *, shared: bool) -> list[str]:
    """Take these documents' advisory locks for this transaction where free; return the keys another holds.

    Storing events takes its documents shared (side by side with other stores), a withdrawal exclusive.
    """
    keys = sorted({key for key in keys if key})
    if not keys or connection.vendor != "postgresql":
        return []
    kind = "pg_try_advisory_xact_lock_shared" if shared else "pg_try_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT k FROM unnest(%s::text[]) WITH ORDINALITY AS t(k, n) WHERE NOT {kind}(%s, hashtext(k)) ORDER BY n",
            [keys, LOCK_CLASS],
        )
        return [key for (key,) in cursor.fetchall()]


def settle_after_commit(keys: list[str]) -> None:
    """Once this transaction commits, settle these documents again, after whoever holds their locks is done."""
    if keys:
        transaction.on_commit(lambda: _settle_when_free(keys))


def _settle_when_free(keys: list[str]) -> None:
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:  # waits for the other transaction; holds nothing else meanwhile
                cursor.execute(
                    "SELECT count(pg_advisory_xact_lock(%s, hashtext(k))) FROM unnest(%s::text[]) AS k",
                    [LOCK_CLASS, sorted(keys)],
                )
            settle(keys)
    except Exception:  # the commit it follows stands; the document's next message or `tracking rebuild` settles it
        log.exception(
            "settling documents %s after a concurrent withdrawal failed (tracking rebuild settles them)", keys
        )


def settle_all(batch: int = 500) -> Settled:
    """Settle every document ever replaced or cancelled again (``tracking rebuild``): a repair, normally a no-op."""
    keys = sorted(set(Withdrawal.objects.values_list("document_key", flat=True)))
    total = Settled([], [])
    for start in range(0, len(keys), batch):
        with transaction.atomic():
            part = settle(keys[start : start + batch])
        total.withdrawn.extend(part.withdrawn)
        total.restored.extend(part.restored)
    return total


def _latest(keys: Iterable[str]) -> dict[str, Withdrawal]:
    """Each document's latest withdrawal: by the withdrawing report's creation, then arrival."""
    latest: dict[str, Withdrawal] = {}
    for withdrawal in Withdrawal.objects.filter(document_key__in=set(keys)).order_by("created", "recorded_at", "pk"):
        latest[withdrawal.document_key] = withdrawal
    return latest


def any_withdrawn(keys: Iterable[str]) -> bool:
    """Whether any of these documents was ever replaced or cancelled (one index probe)."""
    keys = [key for key in set(keys) if key]
    return bool(keys) and Withdrawal.objects.filter(document_key__in=keys).exists()


def restated(repeated: list[dict]) -> bool:
    """Events already stored, stated again: record the reports that did so (a replay records nothing).

    True when one of them is withdrawn: the report stating it again may make it current.
    """
    repeated = [event for event in repeated if key_of(event)]
    if not repeated:
        return False
    rows = Event.every.filter(pk__in=[e["eventID"] for e in repeated]).values_list(
        "event_id", "document_key", "event_created_datetime", "withdrawn_by"
    )
    stored, withdrawn = {}, False
    for pk, key, created, by in rows:
        stored[str(pk)] = (key, created)
        withdrawn = withdrawn or by is not None
    again = set()
    for event in repeated:
        before = stored.get(event["eventID"])
        created = datetime.fromisoformat(event["eventCreatedDateTime"])
        if before is not None and (key_of(event), created) != before:
            again.add((event["eventID"], key_of(event), created))
    insert(
        EventAssertion, ["event", "document_key", "created"], sorted(again), unique=["event", "document_key", "created"]
    )
    return withdrawn


def settle(keys: Iterable[str]) -> Settled:
    """Apply the withdrawal rule to every event these documents stated; re-fold the statuses it changed."""
    keys = {key for key in keys if key}
    if not keys:
        return Settled([], [])
    restated = EventAssertion.objects.filter(document_key__in=keys).values("event_id")
    candidates = list(
        Event.every.filter(Q(document_key__in=keys) | Q(pk__in=restated)).only(
            "event_id",
            "document_key",
            "event_created_datetime",
            "withdrawn_by",
            "equipment_reference",
            "carrier_booking_reference",
            "transport_document_reference",
        )
    )
    if not candidates:
        return Settled([], [])
    reports: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    for event in candidates:
        reports[str(event.event_id)].append((event.document_key, event.event_created_datetime))
    for event_id, key, created in EventAssertion.objects.filter(event__in=candidates).values_list(
        "event_id", "document_key", "created"
    ):
        reports[str(event_id)].append((key, created))
    latest = _latest(key for stated in reports.values() for key, _created in stated)
    kept = {key: set(withdrawal.kept) for key, withdrawal in latest.items()}
    changed: list[Event] = []
    result = Settled([], [])
    for event in candidates:
        eid = str(event.event_id)
        by = _withdrawn_by(eid, reports[eid], latest, kept)
        if (by.pk if by else None) != event.withdrawn_by_id:
            event.withdrawn_by = by
            changed.append(event)
            (result.withdrawn if by else result.restored).append(eid)
    if changed:
        Event.every.bulk_update(changed, ["withdrawn_by"], batch_size=500)
        statuses.refold(changed)
        _tell(changed, result)
    return result


def _tell(changed: list[Event], result: Settled) -> None:
    """Live subscribers hear of withdrawn events (their rows change) and get restored ones again, once committed."""
    withdrawn = set(result.withdrawn)
    notices = []
    for event in changed:
        if str(event.event_id) not in withdrawn:
            continue
        references = [
            {"documentReferenceType": kind, "documentReferenceValue": value}
            for kind, value in (("BKG", event.carrier_booking_reference), ("TRD", event.transport_document_reference))
            if value
        ]
        notice = {"eventID": str(event.event_id), "equipmentReference": event.equipment_reference or None}
        notices.append({**notice, "documentReferences": references})
    push_withdrawn_on_commit(notices)
    webhooks.fan_out_change(sorted(withdrawn), DeliveryKind.WITHDRAWN)
    if result.restored:
        push_on_commit(list(Event.objects.filter(pk__in=result.restored).values_list("payload", flat=True)))
        webhooks.fan_out_change(sorted(result.restored), DeliveryKind.RESTORED)


def _withdrawn_by(
    event_id: str, stated: list[tuple[str, datetime]], latest: dict[str, Withdrawal], kept: dict[str, set[str]]
) -> Withdrawal | None:
    """The withdrawal that took the event's last current report away, or None while one still states it."""
    by = None
    for key, created in stated:
        withdrawal = latest.get(key)
        if withdrawal is None or created > withdrawal.created or event_id in kept[key]:
            return None
        if by is None or (withdrawal.created, withdrawal.recorded_at) > (by.created, by.recorded_at):
            by = withdrawal
    return by
