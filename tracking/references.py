"""Reference rows for a batch of events: locations, vessels, transport calls, containers, shipments.

Every row is read by its natural key and inserted if absent (``ON CONFLICT DO NOTHING``, the new ids
returned, :func:`tracking.bulk.ensure`), a fixed number of statements per table whatever the batch,
so two workers seeing the same container at once both end up with the one row. Numbers failing their
check digit (ISO 6346 for containers, IMO for vessels) are stored with ``valid=False`` and a
``problem``, and reported to the caller as :class:`Flag`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from stdnum import imo, iso6346
from stdnum.exceptions import ValidationError

from tracking.bulk import ensure, insert
from tracking.choices import SHIPMENT_KINDS, ShipmentKind
from tracking.events import document_reference
from tracking.models import Equipment, Location, Shipment, ShipmentEquipment, TransportCall, Vessel


@dataclass(frozen=True)
class Flag:
    """A number stored but flagged: which field, which value, what is wrong with it."""

    field: str
    value: str
    problem: str


@dataclass
class Links:
    """Ids of the reference rows of a batch, by their natural keys."""

    transport_calls: dict[str, int] = field(default_factory=dict)
    equipment: dict[str, int] = field(default_factory=dict)
    shipments: dict[tuple[str, str], int] = field(default_factory=dict)
    pairs: set[tuple[str, str]] = field(default_factory=set)  # (bill of lading, container)
    flags: list[Flag] = field(default_factory=list)


def equipment_problem(number: str) -> str:
    """Why ``number`` is not a valid ISO 6346 container number; empty when it is."""
    try:
        iso6346.validate(number)
    except ValidationError as exc:
        if len(number) == 11 and number[:4].isalpha() and number[4:].isdigit():
            return f"ISO 6346 check digit should be {iso6346.calc_check_digit(number[:10])}"
        return f"not an ISO 6346 container number ({exc})"
    return ""


def vessel_problem(number: str) -> str:
    """Why ``number`` is not a valid IMO ship number; empty when it is."""
    return "" if imo.is_valid(number) else "IMO check digit does not match"


def call_key(call: dict) -> str:
    vessel = call.get("vessel") or {}
    parts = (
        call.get("UNLocationCode"),
        call.get("facilityCode"),
        vessel.get("vesselIMONumber"),
        call.get("carrierVoyageNumber"),
        call.get("modeOfTransport"),
    )
    return "|".join(part or "" for part in parts)


def _locations(calls: list[dict]) -> dict[tuple[str, str], int]:
    keys = {(c["UNLocationCode"], c.get("facilityCode") or "") for c in calls}
    rows = {key: (*key, "") for key in keys}
    return ensure(Location, ["un_location_code", "facility_code"], rows, ["un_location_code", "facility_code", "name"])


def _vessels(calls: list[dict], links: Links) -> dict[str, int]:
    names = {}
    for call in calls:
        vessel = call.get("vessel") or {}
        if vessel.get("vesselIMONumber"):
            names[vessel["vesselIMONumber"]] = vessel.get("vesselName") or ""
    rows = {}
    for number, name in sorted(names.items()):
        problem = vessel_problem(number)
        if problem:
            links.flags.append(Flag("vesselIMONumber", number, problem))
        rows[(number,)] = (number, name, not problem, problem)
    ids = ensure(Vessel, ["imo_number"], rows, ["imo_number", "name", "valid", "problem"])
    return {number: pk for (number,), pk in ids.items()}


def _transport_calls(events: list[dict], links: Links) -> None:
    calls = [e["transportCall"] for e in events if (e.get("transportCall") or {}).get("UNLocationCode")]
    if not calls:
        return
    locations = _locations(calls)
    vessels = _vessels(calls, links)
    rows = {}
    for call in calls:
        imo_number = (call.get("vessel") or {}).get("vesselIMONumber")
        key = call_key(call)
        rows[(key,)] = (
            key,
            locations[(call["UNLocationCode"], call.get("facilityCode") or "")],
            vessels.get(imo_number) if imo_number else None,
            call.get("carrierVoyageNumber") or "",
            call.get("modeOfTransport") or "",
        )
    names = ["key", "location", "vessel", "carrier_voyage_number", "mode_of_transport"]
    links.transport_calls = {key: pk for (key,), pk in ensure(TransportCall, ["key"], rows, names).items()}


def _equipment(events: list[dict], links: Links) -> None:
    codes: dict[str, str] = {}
    for event in events:
        if event.get("equipmentReference"):
            codes[event["equipmentReference"]] = codes.get(event["equipmentReference"]) or event.get(
                "ISOEquipmentCode", ""
            )
    now = timezone.now()
    rows = {}
    for number, code in sorted(codes.items()):
        problem = equipment_problem(number)
        if problem:
            links.flags.append(Flag("equipmentReference", number, problem))
        rows[(number,)] = (number, code, not problem, problem, now)
    names = ["reference", "iso_equipment_code", "valid", "problem", "created_at"]
    links.equipment = {number: pk for (number,), pk in ensure(Equipment, ["reference"], rows, names).items()}


def _shipments(events: list[dict], links: Links) -> None:
    keys: set[tuple[str, str]] = set()
    pairs: set[tuple[tuple[str, str], str]] = set()
    for event in events:
        for kind in SHIPMENT_KINDS:
            reference = document_reference(event, kind)
            if reference:
                keys.add((kind, reference))
                if event.get("equipmentReference"):
                    pairs.add(((kind, reference), event["equipmentReference"]))
    if not keys:
        return
    now = timezone.now()
    # keyed (reference, kind): the reference narrows the read, the kind rarely does
    rows = {(reference, kind): (kind, reference, now) for kind, reference in keys}
    ids = ensure(Shipment, ["reference", "kind"], rows, ["kind", "reference", "created_at"])
    links.shipments = {(kind, reference): pk for (reference, kind), pk in ids.items()}
    insert(
        ShipmentEquipment,
        ["shipment", "equipment"],
        sorted({(links.shipments[key], links.equipment[eq]) for key, eq in pairs}),
        unique=["shipment", "equipment"],
    )
    links.pairs = {(key[1], eq) for key, eq in pairs if key[0] == ShipmentKind.TRD}


def link(events: list[dict]) -> Links:
    """Create the reference rows the events name (if absent) and return their ids and flags."""
    links = Links()
    _transport_calls(events, links)
    _equipment(events, links)
    _shipments(events, links)
    return links
