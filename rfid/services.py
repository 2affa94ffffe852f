"""The gate's business rules, called by the HTTP API, the admin, the commands and the simulator.

>>> reader, key = add_reader("GATE1-OUT-L1", gate="GATE1", direction="out", bonded=True, lane="L1")
>>> answer = process_reads(reader, payload)      # {"decision", "reasons", "transaction", ...}
>>> bind_tag("urn:epc:id:grai:...", kind="truck", reference="沪A12345", by="operator")
>>> override(transaction_id, decision="OPEN", reason="inspected at the gate", by="operator")
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iso6346

from rfid import ingest, rows
from rfid.choices import Decision, HoldReason, TagKind
from rfid.decision import PassLookup, decide
from rfid.dedupe import Collapsed, collapse, passes
from rfid.epc import CONTAINER as CONTAINER_NUMBER
from rfid.epc import normalise
from rfid.exceptions import InvalidPayload, NotYourGate, UnknownTransaction
from rfid.gate_events import gate_event
from rfid.models import Gate, GateOverride, GateTransaction, Reader, TagBinding
from rfid.parse import Payload, Read
from tracking.apikeys import issue_key
from tracking.exceptions import TrackingError
from tracking.store import record_events

log = logging.getLogger(__name__)
TOUCH_EVERY_SECONDS = 10
GATE_CACHE_SECONDS = 30
TRANSACTION_FIELDS = [
    "started_at",
    "last_read_at",
    "tags",
    "decision",
    "reasons",
    "equipment",
    "decided_in_ms",
    "events_pending",
    "posts",
]
BAD_READS_TOLD = 10  # the first bad reads of a batch are named in the answer; one is enough to hold
POSTS_KEPT = 64  # digests of a transaction's latest posts: a reader retries within seconds, not 64 posts later
_gates: dict[str, tuple[float, Gate | None]] = {}
_last_batch = -1e9


class ReaderExists(Exception):
    """A reader with this id is already registered."""


@transaction.atomic
def add_reader(
    reader_id: str, *, gate: str, direction: str, bonded: bool = False, lane: str = ""
) -> tuple[Reader, str]:
    """Register a reader (and its gate, on first sight) and issue its own API key; return the reader and the key."""
    if Reader.objects.filter(reader_id=reader_id).exists():
        raise ReaderExists(f"reader {reader_id!r} is already registered")
    reader = Reader.objects.create(reader_id=reader_id, gate=gate, direction=direction, bonded=bonded, lane=lane)
    Gate.objects.get_or_create(code=gate, defaults={"un_location_code": settings.RFID_UN_LOCATION_CODE})
    _key, clear = issue_key(reader=reader, name=f"reader {reader_id}")
    return reader, clear


def touch(reader: Reader, now: datetime, heartbeat: dict | None = None) -> None:
    """Mark the reader alive; written at most every few seconds unless a heartbeat is to be kept."""
    fresh = reader.last_seen_at and (now - reader.last_seen_at).total_seconds() < TOUCH_EVERY_SECONDS
    if fresh and heartbeat is None:
        return
    fields = {"last_seen_at": now}
    if heartbeat is not None:
        fields["last_heartbeat"] = heartbeat
    Reader.objects.filter(pk=reader.pk).update(**fields)
    reader.last_seen_at = now


def heartbeat(reader: Reader, body: dict) -> datetime:
    """A reader's proof of life; keeps a short summary of what it said."""
    now = timezone.now()
    summary = {k: body[k] for k in list(body)[:20] if isinstance(body[k], str | int | float | bool)}
    touch(reader, now, heartbeat=summary)
    record_soon()
    return now


def check_binding(reader: Reader, payload: Payload, *, reader_id: str | None = None, gate: str | None = None) -> None:
    """403 when the payload (or the query) names another reader or another gate than the key's reader."""
    for claimed in (payload.reader, reader_id):
        if claimed is not None and claimed != reader.reader_id:
            raise NotYourGate(
                _("This key belongs to reader %(mine)s, not %(other)s.")
                % {"mine": reader.reader_id, "other": claimed[:64]},
                position="$.reader",
            )
    for claimed in (payload.gate, gate):
        if claimed is not None and claimed != reader.gate:
            raise NotYourGate(
                _("Reader %(r)s is not bound to gate %(g)s.") % {"r": reader.reader_id, "g": claimed[:64]},
                position="$.gate",
            )


def gate_of(code: str) -> Gate | None:
    """The gate (with its zone), cached for a few seconds per process: asked on every post, changed rarely."""
    now = time.monotonic()
    cached = _gates.get(code)
    if cached is not None and cached[0] > now:
        return cached[1]
    gate = Gate.objects.select_related("zone").filter(code=code).first()
    _gates[code] = (now + GATE_CACHE_SECONDS, gate)
    return gate


def _answer(tx: GateTransaction | None, started: float, verdict_fields: dict) -> dict:
    return {
        **verdict_fields,
        "transaction": str(tx.id) if tx is not None else None,
        "decidedIn_ms": round((time.perf_counter() - started) * 1000, 3),
    }


def _bonded(reader: Reader, gate: Gate | None) -> bool:
    return reader.bonded or bool(gate is not None and gate.zone_id and gate.zone.bonded)


def _pend(tx: GateTransaction, containers: list[str]) -> bool:
    """Mark an opened transaction's missing gate events to record; True when it was not marked yet
    (the caller then has a batch recorded soon, after its commit).

    A transaction already marked has its task queued: that task selects the marked rows when it runs,
    after this post's commit (it locks the row we hold), so it records this post's containers too.
    """
    if any(c not in tx.events for c in containers) and not tx.events_pending:
        tx.events_pending = True
        return True
    return False


def record_soon() -> None:
    """After commit, have the pending gate events recorded, one batch per ``RFID_EVENT_BATCH_MS`` per process.

    One ``record_events`` call for every transaction opened meanwhile: the store's fixed cost per
    call is paid once a batch, not once a truck. With a broker the task runs that much later on a
    worker and takes everything opened by then; embedded, it runs at once, and a pass opened within
    the window after it waits for the next post or heartbeat of any reader (or ``rfid record-pending``).
    """
    global _last_batch
    now = time.monotonic()
    window = settings.RFID_EVENT_BATCH_MS / 1000
    if now - _last_batch < window:
        return
    _last_batch = now
    transaction.on_commit(lambda: _queue_batch(window))


def _queue_batch(countdown: float) -> None:
    """Queue the batch task: at once when tasks run in-process, else on this process's queuing thread, so
    that no reader's answer waits for the broker. A batch the broker did not take is not lost: the rows
    stay marked, and the next batch (or beat's ``rfid.record_pending_gate_events``) records them."""
    from rfid import tasks

    if settings.CELERY_TASK_ALWAYS_EAGER:
        tasks.record_pending_gate_events.apply_async(countdown=countdown)
        return
    _queuer.submit(countdown)


class _Queuer:
    """One thread per process that sends the batch task to the broker when woken."""

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._start = threading.Lock()
        self._thread: threading.Thread | None = None
        self._countdown = 0.0

    def submit(self, countdown: float) -> None:
        with self._start:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="rfid-queue-batch", daemon=True)
                self._thread.start()
        self._countdown = countdown
        self._wake.set()

    def _run(self) -> None:
        from rfid import tasks

        while True:
            self._wake.wait()
            self._wake.clear()
            try:
                tasks.record_pending_gate_events.apply_async(countdown=self._countdown)
            except Exception:  # noqa: BLE001 (the broker's trouble must not end the thread; the rows stay marked)
                log.exception("the gate event batch could not be queued; the next batch records it")


_queuer = _Queuer()


def _containers(tx: GateTransaction) -> list[str]:
    return [item["equipmentReference"] for item in tx.equipment]


def _events_of(tx: GateTransaction, now: datetime) -> list[dict]:
    return [gate_event(tx, c, gate_of(tx.gate), tx.reader, now) for c in _containers(tx) if c not in tx.events]


def _record(opened: list[GateTransaction], now: datetime) -> tuple[dict, int, set]:
    """(events by transaction, how many were new, transactions whose events the store refused)."""
    batch = {tx.pk: _events_of(tx, now) for tx in opened}
    events = [event for group in batch.values() for event in group]
    refused: set = set()
    try:
        return batch, (len(record_events(events).stored) if events else 0), refused
    except TrackingError as exc:  # one bad transaction must not block the others: one at a time
        log.warning("gate event batch refused (%s); recording one transaction at a time", exc.message)
    stored = 0
    for tx in opened:
        try:
            with transaction.atomic():
                stored += len(record_events(batch[tx.pk]).stored) if batch[tx.pk] else 0
        except TrackingError as one:
            log.error("gate events of transaction %s refused: %s (%s)", tx.pk, one.message, one.position)
            batch[tx.pk] = []
            refused.add(tx.pk)
    return batch, stored, refused


def record_pending_events(limit: int = 500) -> int:
    """Record the gate events of opened transactions not recorded yet, in one batch; return how many were new.

    The transactions are locked only after the store has the events (their eventIDs are deterministic,
    so recording twice doubles nothing): a reader's post of the same pass does not wait on the store.
    A container a post added meanwhile is still missing then: the row stays marked and another batch
    is queued after this commit.
    """
    now = timezone.now()
    with transaction.atomic():
        pending = list(
            GateTransaction.objects.select_related("reader__operator")
            .filter(events_pending=True)
            .order_by("last_read_at")[:limit]
        )
        opened = [tx for tx in pending if (tx.override_decision or tx.decision) == Decision.OPEN]
        batch, stored, refused = _record(opened, now)
        locked = list(GateTransaction.objects.select_for_update().filter(pk__in=[tx.pk for tx in pending]))
        again = False
        for tx in locked:
            for event in batch.get(tx.pk, []):
                tx.events[event["equipmentReference"]] = event["eventID"]
            is_open = (tx.override_decision or tx.decision) == Decision.OPEN
            tx.events_pending = is_open and tx.pk not in refused and any(c not in tx.events for c in _containers(tx))
            again = again or tx.events_pending
        rows.update(GateTransaction, locked, ["events", "events_pending"])
        if again or len(pending) == limit:  # more to record than one batch takes
            record_soon()
    return stored


def read_facts(reads: Iterable[Read]) -> bytes:
    """What a post of reads says, whatever its serialisation: each read's tag (upper-case hex, as parsed),
    antenna, RSSI, time and count, in a fixed order. Pickled floats and ints, not text: a quarter of the
    cost (50 us for 100 reads)."""
    facts = sorted((r.epc, r.antenna, r.rssi or 0.0, r.time.timestamp() if r.time else 0.0, r.count) for r in reads)
    return pickle.dumps(facts, protocol=5)


def reads_digest(reader: Reader, reads: list[Read]) -> str:
    """The digest (:func:`post_digest`) that recognises a retry of a post of reads, or '' when the post
    cannot be told from the next: reads without a reader time say the same thing every time the tag is
    seen again, so each such post counts (a retry of it adds to the read count, nothing more), and the
    pass's transaction goes on as long as the tag is read."""
    if any(r.time is None for r in reads):
        return ""
    return post_digest(reader, read_facts(reads))


def document_facts(doc: Any) -> str:
    """What a captured EPCIS document says, whatever its key order and spacing."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def post_digest(reader: Reader, facts: bytes | str) -> str:
    """What names a post for recognising its retry: the reader and what the post says (:func:`read_facts`,
    :func:`document_facts`). A reader that sends the same reads again serialised anew (another key order,
    spacing, number format) sends the same post; its bytes would not say so."""
    said = facts if isinstance(facts, bytes) else facts.encode()
    return hashlib.blake2b(reader.reader_id.encode() + b"\0" + said, digest_size=12).hexdigest()


def _bad_reads(rejected: Iterable[InvalidPayload]) -> list[dict]:
    return [
        {"code": HoldReason.BAD_READ, "message": exc.message, "position": exc.position}
        for exc in list(rejected)[:BAD_READS_TOLD]
    ]


def process_collapsed(
    reader: Reader,
    collapsed: Collapsed,
    *,
    now: datetime,
    started: float,
    digest: str = "",
    rejected: Iterable[InvalidPayload] = (),
) -> dict:
    """Observations, transaction, decision and (when it opens) gate events for a post's aggregates.

    ``digest`` (:func:`post_digest`): a post the transaction has already taken (a reader that did not
    get its answer and sent the same body again) is answered again without being counted again.
    ``rejected``: the bad reads of the post's batch (``Payload.rejected``); the good ones count, and the
    gate holds, naming them, since a tag it could not read may be the one that should hold it.

    On PostgreSQL two round trips in all: the lane's rows (``ingest``, with ``BEGIN``) beside the pass's
    bindings and clearance (``decision.PassLookup``), then the writes with ``COMMIT``.
    """
    bad = _bad_reads(rejected)
    if not collapsed.by_tag:
        touch(reader, now)
        reasons = [{"code": HoldReason.NO_TAGS, "message": _("No tag was read.")}, *bad]
        return _answer(None, started, {"decision": Decision.HOLD.value, "reasons": reasons, "equipment": []})
    gate = gate_of(reader.gate)
    first, last = collapsed.first, collapsed.last
    with rows.atomic_pipelined():
        lock = ingest.lock_lane_later(reader)
        found_tx = ingest.transaction_later(reader, first, last)
        found_observations = ingest.observations_later(reader, collapsed)
        asked = None
        if rows.server_side():  # the decision's lookup in this round trip, not one of its own
            asked = PassLookup(list(collapsed.by_tag), last, ingest.overlapping(reader, first, last))
        if lock is not None:
            lock.fetch()
        found = found_tx.fetch()
        tx = found[0] if found else ingest.new_transaction(reader, first, last, _bonded(reader, gate))
        observations = found_observations.fetch()
        if digest and digest in tx.posts:
            to_update, to_create = [], []  # a retry: its reads are in already
        else:
            to_update, to_create = ingest.merge(reader, collapsed, tx, observations)
            tx.posts = [*tx.posts[-(POSTS_KEPT - 1) :], digest] if digest else tx.posts
        verdict = decide(tx, at=tx.last_read_at, asked=asked)
        if bad:
            verdict.reasons.extend(bad)
            verdict.decision = tx.override_decision or Decision.HOLD.value
        tx.decision, tx.reasons, tx.equipment = verdict.decision, verdict.reasons, verdict.equipment
        answer = _answer(
            tx, started, {"decision": verdict.decision, "reasons": verdict.reasons, "equipment": verdict.equipment}
        )
        tx.decided_in_ms = answer["decidedIn_ms"]
        newly_pending = verdict.decision == Decision.OPEN and _pend(tx, verdict.containers)
        ingest.write(tx, new=not found, fields=TRANSACTION_FIELDS, to_update=to_update, to_create=to_create)
        touch(reader, now)
    if newly_pending:
        record_soon()  # committed: the task finds the row marked
    return answer


def process_reads(reader: Reader, payload: Payload, *, started: float | None = None, digest: str = "") -> dict:
    """The gate's answer to a post of reads (already parsed and checked against the key); ``digest`` as
    for :func:`process_collapsed`."""
    started = time.perf_counter() if started is None else started
    now = timezone.now()
    ports = set(reader.antenna_ports or ())
    reads = [r for r in payload.reads if r.antenna in ports] if ports else payload.reads
    skew, gap = settings.RFID_MAX_CLOCK_SKEW_SECONDS, settings.RFID_TRANSACTION_WINDOW_SECONDS
    collapsed = collapse(reads, received_at=now, max_skew=skew)
    if not collapsed.by_tag or (collapsed.last - collapsed.first).total_seconds() <= gap:  # one pass: the rule
        return process_collapsed(reader, collapsed, now=now, started=started, digest=digest, rejected=payload.rejected)
    # a buffered batch that holds several passes: each its own transaction, as if posted apart; the gate's
    # answer is the latest pass's (the truck at the barrier now), and a bad read of the batch holds that one
    split = passes(reads, received_at=now, max_skew=skew, gap=gap)
    answer: dict = {}
    for number, group in enumerate(split):
        answer = process_collapsed(
            reader,
            collapse(group, received_at=now, max_skew=skew),
            now=now,
            started=started,
            digest=f"{digest}:{number}" if digest else "",
            rejected=payload.rejected if number == len(split) - 1 else (),
        )
    return answer


@transaction.atomic
def bind_tag(
    tag: str,
    *,
    kind: str,
    reference: str,
    by: str = "",
    valid_from: datetime | None = None,
    valid_to: datetime | None = None,
    note: str = "",
) -> TagBinding:
    """Bind a tag (hex or EPC URI) to a truck, trailer or container; an open binding of the tag ends then."""
    try:
        key = normalise(tag)
    except ValueError as exc:
        raise InvalidPayload(str(exc), position="$.tag") from exc
    reference = reference.strip()
    if kind == TagKind.CONTAINER:
        reference = reference.upper()
        if not CONTAINER_NUMBER.fullmatch(reference) or not iso6346.is_valid(reference):
            raise InvalidPayload(_("A container is bound by its ISO 6346 number."), position="$.reference")
    elif not reference or len(reference) > 35:
        raise InvalidPayload(_("reference is the plate or number, 1 to 35 characters."), position="$.reference")
    start = valid_from or timezone.now()
    if valid_to is not None and valid_to <= start:
        raise InvalidPayload(_("validTo must be after validFrom."), position="$.validTo")
    TagBinding.objects.filter(tag=key, valid_to__isnull=True, valid_from__lt=start).update(valid_to=start)
    return TagBinding.objects.create(
        tag=key,
        kind=kind,
        reference=reference,
        valid_from=start,
        valid_to=valid_to,
        note=note,
        created_by=by[:150],
    )


def end_binding(binding: TagBinding, at: datetime | None = None) -> TagBinding:
    binding.valid_to = at or timezone.now()
    binding.save(update_fields=["valid_to"])
    return binding


@dataclass
class OverrideResult:
    transaction: GateTransaction
    override: GateOverride
    answer: dict


@transaction.atomic
def override(transaction_id: str, *, decision: str, reason: str, by: str) -> OverrideResult:
    """An operator opens or holds a transaction with a reason; audited, and recorded as gate events if opened."""
    if decision not in Decision.values:
        raise InvalidPayload(_("decision is OPEN or HOLD."), position="$.decision")
    if not reason or not reason.strip():
        raise InvalidPayload(_("An override needs a reason."), position="$.reason")
    tx = (
        GateTransaction.objects.select_for_update(of=("self",))
        .select_related("reader__operator")
        .filter(pk=transaction_id)
        .first()
    )
    if tx is None:
        raise UnknownTransaction(
            _("No gate transaction %(id)s.") % {"id": str(transaction_id)[:40]}, position="transaction"
        )
    started = time.perf_counter()
    entry = GateOverride.objects.create(transaction=tx, decision=decision, reason=reason.strip(), decided_by=by[:150])
    tx.override_decision, tx.override_reason = decision, entry.reason
    verdict = decide(tx, at=tx.last_read_at)
    tx.decision, tx.reasons, tx.equipment = verdict.decision, verdict.reasons, verdict.equipment
    if verdict.decision == Decision.OPEN and _pend(tx, verdict.containers):
        record_soon()  # on commit of this atomic block
    tx.save()
    answer = _answer(
        tx, started, {"decision": verdict.decision, "reasons": verdict.reasons, "equipment": verdict.equipment}
    )
    return OverrideResult(tx, entry, answer)
