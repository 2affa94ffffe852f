"""Status projections: a container's or shipment's current state, folded from its events.

The rules, each independent of the order events arrive in:
- milestone, place, vessel and voyage come from the latest ACTUAL (ACT) non-customs event by
  (eventDateTime, eventID): a late-arriving older event never overwrites a newer status;
- customs state is the code of the latest ACT CUSTOMS event; holds are folded from all ACT
  customs events in event-time order (HOLD/INSP/DOCR/REFU put a hold of that authority,
  RLSD/CNCL lift that authority's holds);
- ETA comes from planned or estimated (PLN/EST) arrivals only: the newest estimate by
  (eventCreatedDateTime, eventID) wins.
:func:`apply` folds one event into a state; the store applies new events incrementally and
``tracking rebuild`` folds each timeline from scratch; both give the same state.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tracking.choices import CustomsEventType, EventClassifier, EventType
from tracking.models import Event

HOLDING = {CustomsEventType.HOLD, CustomsEventType.INSP, CustomsEventType.DOCR, CustomsEventType.REFU}
LIFTING = {CustomsEventType.RLSD, CustomsEventType.CNCL}
ETA_CODES = {"ARRI"}
FIELDS = [
    "milestone",
    "milestone_event_type",
    "milestone_at",
    "milestone_event_id",
    "un_location_code",
    "facility_code",
    "vessel_imo_number",
    "vessel_name",
    "carrier_voyage_number",
    "customs_state",
    "customs_at",
    "customs_log",
    "holds",
    "eta",
    "eta_location",
    "eta_created_at",
    "eta_event_id",
]
EMPTY: dict[str, Any] = {
    name: None if name.endswith(("_at", "eta")) else [] if name in ("customs_log", "holds") else "" for name in FIELDS
}


def empty() -> dict[str, Any]:
    return {name: (list(value) if isinstance(value, list) else value) for name, value in EMPTY.items()}


def state_row(state: dict[str, Any]) -> tuple:
    """A state's values in the order of ``FIELDS`` (the status table's columns)."""
    return tuple(state[name] for name in FIELDS)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _later(at: datetime, event_id: str, seen_at: datetime | None, seen_id: str) -> bool:
    return seen_at is None or (at, event_id) > (seen_at, seen_id)


def holds_from(log: list[list[str]]) -> list[dict[str, str]]:
    """Fold customs history ``[time, eventID, code, authority]`` in time order into the open holds."""
    holds: dict[tuple[str, str], str] = {}
    for at, _event_id, code, authority in sorted(log):
        if code in HOLDING:
            holds.setdefault((authority, code), at)
        elif code in LIFTING:
            holds = {key: since for key, since in holds.items() if authority and key[0] != authority}
    return [{"authority": a, "code": c, "since": s} for (a, c), s in sorted(holds.items())]


def _milestone(state: dict, event: Event, eid: str) -> None:
    if not _later(event.event_datetime, eid, state["milestone_at"], state["milestone_event_id"]):
        return
    call = event.payload.get("transportCall") or {}
    vessel = call.get("vessel") or {}
    state.update(
        milestone=event.type_code,
        milestone_event_type=event.event_type,
        milestone_at=event.event_datetime,
        milestone_event_id=eid,
        un_location_code=call.get("UNLocationCode") or "",
        facility_code=call.get("facilityCode") or "",
        vessel_imo_number=vessel.get("vesselIMONumber") or "",
        vessel_name=vessel.get("vesselName") or "",
        carrier_voyage_number=call.get("carrierVoyageNumber") or "",
    )


def _customs(state: dict, event: Event, eid: str) -> None:
    entry = [_utc(event.event_datetime), eid, event.type_code, event.payload.get("customsAuthority") or ""]
    if entry in state["customs_log"]:
        return
    state["customs_log"] = sorted([*state["customs_log"], entry])
    latest = state["customs_log"][-1]
    state["customs_state"] = latest[2]
    state["customs_at"] = datetime.fromisoformat(latest[0])
    state["holds"] = holds_from(state["customs_log"])


def _eta(state: dict, event: Event, eid: str) -> None:
    if event.type_code not in ETA_CODES:
        return
    if not _later(event.event_created_datetime, eid, state["eta_created_at"], state["eta_event_id"]):
        return
    state.update(
        eta=event.event_datetime,
        eta_location=event.un_location_code,
        eta_created_at=event.event_created_datetime,
        eta_event_id=eid,
    )


def apply(state: dict[str, Any], event: Event) -> dict[str, Any]:
    """Fold one stored event into a status state (in place) and return it."""
    eid = str(event.event_id)
    if event.event_classifier != EventClassifier.ACTUAL:
        _eta(state, event, eid)
    elif event.event_type == EventType.CUSTOMS:
        _customs(state, event, eid)
    else:
        _milestone(state, event, eid)
    return state


def fold(events: list[Event]) -> dict[str, Any]:
    """The state of a timeline, from nothing."""
    state = empty()
    for event in events:
        apply(state, event)
    return state
