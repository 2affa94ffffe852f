"""Operators' figures: message flow per hour, gate throughput per lane, readers, declarations by state.

Each function reads a bounded window (the last 24 hours by default) with one or two queries
and returns plain numbers for :mod:`portal.charts` and the tables beside the charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Max
from django.utils import timezone

from customs_gateway.choices import ClearanceState
from customs_gateway.models import Declaration
from edi import queries as edi_queries
from edi.models import MessageState, RawMessage
from portal.charts import Series
from portal.models import WorkerHeartbeat
from rfid.choices import Decision, Direction
from rfid.models import GateTransaction, Reader

HOURS = 24
MAX_ROWS = 100_000
STATE_COLOURS = {
    MessageState.PROCESSED: "#15803d",
    MessageState.PARTIAL: "#b45309",
    MessageState.REJECTED: "#b91c1c",
    MessageState.REFUSED: "#a21caf",
    MessageState.DUPLICATE: "#4a5563",
    MessageState.FAILED: "#6d28d9",
    MessageState.RECEIVED: "#0b5cad",
}


@dataclass(frozen=True)
class Flow:
    hours: list[str]
    by_hour: list[Series]
    partners: list[str]
    by_partner: list[Series]
    total: int
    stamps: list[str]  # each hour's start, ISO 8601 UTC (the chart shows it on the reader's clock)


def _hour_start(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=HOURS - 1)


def message_flow(now: datetime | None = None) -> Flow:
    """Inbound messages of the last 24 hours per hour and per partner, each split by state."""
    now = now or timezone.now()
    start = _hour_start(now)
    rows = RawMessage.objects.filter(received_at__gte=start).values_list(
        "received_at", "state", "party__name", "sender"
    )
    hours = [(start + timedelta(hours=i)) for i in range(HOURS)]
    per_hour = {state: [0] * HOURS for state in MessageState.values}
    per_partner: dict[str, dict[str, int]] = {}
    total = 0
    for received_at, state, party, sender in rows[:MAX_ROWS]:
        index = int((received_at - start).total_seconds() // 3600)
        if 0 <= index < HOURS and state in per_hour:
            per_hour[state][index] += 1
        partner = party or sender or "?"
        per_partner.setdefault(partner, {}).setdefault(state, 0)
        per_partner[partner][state] += 1
        total += 1
    used = [s for s in MessageState.values if any(per_hour[s])]
    by_hour = [Series(str(MessageState(s).label), per_hour[s], STATE_COLOURS[s]) for s in used]
    partners = sorted(per_partner, key=lambda p: (-sum(per_partner[p].values()), p))[:15]
    by_partner = [
        Series(str(MessageState(s).label), [per_partner[p].get(s, 0) for p in partners], STATE_COLOURS[s]) for s in used
    ]
    stamps = [h.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for h in hours]
    return Flow([f"{h:%H}:00" for h in hours], by_hour, partners, by_partner, total, stamps)


@dataclass(frozen=True)
class Sent:
    hours: list[str]
    stamps: list[str]
    by_hour: list[Series]
    total: int


def sent_flow(now: datetime | None = None) -> Sent:
    """What the platform sent in the last 24 hours per hour: acknowledgements by verdict, customs by outcome."""
    from customs_gateway import queries as customs
    from customs_gateway.choices import MessageOutcome
    from portal.traffic import VERDICTS

    now = now or timezone.now()
    start = _hour_start(now)
    counts: dict[str, list[int]] = {}
    rows = [(at, state) for at, _kind, state in edi_queries.acknowledgements_sent_since(start, MAX_ROWS)]
    rows += customs.sent_since(start, MAX_ROWS)
    for at, state in rows:
        index = int((at - start).total_seconds() // 3600)
        if 0 <= index < HOURS:
            counts.setdefault(state, [0] * HOURS)[index] += 1
    labels = {**{str(k): v for k, v in VERDICTS.items()}, **dict(MessageOutcome.choices)}
    colours = {**{str(k): v for k, v in STATE_COLOURS.items()}, MessageOutcome.SENT: "#0b5cad"}
    colours[MessageOutcome.SEND_FAILED] = "#6d28d9"
    order = [*VERDICTS, *customs.OUT_OUTCOMES]
    by_hour = [Series(str(labels[s]), counts[s], colours.get(s, "")) for s in order if s in counts]
    hours = [start + timedelta(hours=i) for i in range(HOURS)]
    stamps = [h.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for h in hours]
    return Sent([f"{h:%H}:00" for h in hours], stamps, by_hour, sum(sum(v) for v in counts.values()))


@dataclass(frozen=True)
class Lanes:
    lanes: list[str]
    series: list[Series]


def gate_throughput(now: datetime | None = None) -> Lanes:
    """Gate transactions of the last 24 hours per gate, lane and direction, split by decision."""
    now = now or timezone.now()
    rows = (
        GateTransaction.objects.filter(last_read_at__gte=now - timedelta(hours=HOURS))
        .values("gate", "lane", "direction", "decision")
        .annotate(n=Count("id"))
        .order_by("gate", "lane", "direction")
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        direction = Direction(row["direction"]).label if row["direction"] in Direction.values else row["direction"]
        lane = f"{row['gate']} {row['lane'] or '-'} {direction}"
        counts.setdefault(lane, {})
        key = row["decision"] or Decision.HOLD
        counts[lane][key] = counts[lane].get(key, 0) + row["n"]
    lanes = list(counts)
    series = [
        Series(str(Decision.OPEN.label), [counts[lane].get(Decision.OPEN, 0) for lane in lanes], "#15803d"),
        Series(str(Decision.HOLD.label), [counts[lane].get(Decision.HOLD, 0) for lane in lanes], "#b91c1c"),
    ]
    return Lanes(lanes, series)


def readers() -> list[Reader]:
    """Every reader, silent ones first (no read or heartbeat for RFID_READER_SILENT_SECONDS)."""
    found = list(Reader.objects.order_by("gate", "lane", "reader_id"))
    return sorted(found, key=lambda r: not r.silent)


def latest_transactions(limit: int = 25) -> list[GateTransaction]:
    """The gates' latest transactions, newest first: what each lane decided, for whom and why."""
    return list(GateTransaction.objects.order_by("-last_read_at")[:limit])


def workers() -> list[WorkerHeartbeat]:
    return list(WorkerHeartbeat.objects.order_by("-last_seen_at")[:50])


def declarations_by_state() -> tuple[list[str], list[str], list[int]]:
    """(state codes, their labels, counts) of customs declarations and manifests, in the states' order."""
    counts = dict(Declaration.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    states = [s for s in ClearanceState.values if counts.get(s)]
    return states, [str(ClearanceState(s).label) for s in states], [counts[s] for s in states]


def declarations(state: str):
    rows = (
        Declaration.objects.select_related("party").annotate(last_message=Max("messages__id")).order_by("-updated_at")
    )
    if state in ClearanceState.values:
        rows = rows.filter(state=state)
    return rows
