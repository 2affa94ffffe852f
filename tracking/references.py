"""Reference rows for a batch of events: locations, vessels, transport calls, containers, shipments.

Every row is created insert-if-absent (``ON CONFLICT DO NOTHING``) and then read back, so two
workers seeing the same container at once both end up with the one row. Numbers failing their
check digit (ISO 6346 for containers, IMO for vessels) are stored with ``valid=False`` and a
``problem``, and reported to the caller as :class:`Flag`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from stdnum import imo, iso6346
from stdnum.exceptions import ValidationError

from tracking.choices import ShipmentKind
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
    Location.objects.bulk_create(
        [Location(un_location_code=u, facility_code=f) for u, f in sorted(keys)], ignore_conflicts=True
    )
    query = Q()
    for unloc, facility in keys:
        query |= Q(un_location_code=unloc, facility_code=facility)
    return {(loc.un_location_code, loc.facility_code): loc.pk for loc in Location.objects.filter(query)}


def _vessels(calls: list[dict], links: Links) -> dict[str, int]:
    names = {}
    for call in calls:
        vessel = call.get("vessel") or {}
        if vessel.get("vesselIMONumber"):
            names[vessel["vesselIMONumber"]] = vessel.get("vesselName") or ""
    rows = []
    for number, name in sorted(names.items()):
        problem = vessel_problem(number)
        if problem:
            links.flags.append(Flag("vesselIMONumber", number, problem))
        rows.append(Vessel(imo_number=number, name=name, valid=not problem, problem=problem))
    Vessel.objects.bulk_create(rows, ignore_conflicts=True)
    return dict(Vessel.objects.filter(imo_number__in=names).values_list("imo_number", "pk"))


def _transport_calls(events: list[dict], links: Links) -> None:
    calls = [e["transportCall"] for e in events if (e.get("transportCall") or {}).get("UNLocationCode")]
    if not calls:
        return
    locations = _locations(calls)
    vessels = _vessels(calls, links)
    rows = {}
    for call in calls:
        imo_number = (call.get("vessel") or {}).get("vesselIMONumber")
        rows[call_key(call)] = TransportCall(
            key=call_key(call),
            location_id=locations[(call["UNLocationCode"], call.get("facilityCode") or "")],
            vessel_id=vessels.get(imo_number) if imo_number else None,
            carrier_voyage_number=call.get("carrierVoyageNumber") or "",
            mode_of_transport=call.get("modeOfTransport") or "",
        )
    TransportCall.objects.bulk_create([rows[key] for key in sorted(rows)], ignore_conflicts=True)
    links.transport_calls = dict(TransportCall.objects.filter(key__in=rows).values_list("key", "pk"))


def _equipment(events: list[dict], links: Links) -> None:
    codes: dict[str, str] = {}
    for event in events:
        if event.get("equipmentReference"):
            codes[event["equipmentReference"]] = codes.get(event["equipmentReference"]) or event.get(
                "ISOEquipmentCode", ""
            )
    rows = []
    for number, code in sorted(codes.items()):
        problem = equipment_problem(number)
        if problem:
            links.flags.append(Flag("equipmentReference", number, problem))
        rows.append(Equipment(reference=number, iso_equipment_code=code, valid=not problem, problem=problem))
    Equipment.objects.bulk_create(rows, ignore_conflicts=True)
    links.equipment = dict(Equipment.objects.filter(reference__in=codes).values_list("reference", "pk"))


def _shipments(events: list[dict], links: Links) -> None:
    keys: set[tuple[str, str]] = set()
    pairs: set[tuple[tuple[str, str], str]] = set()
    for event in events:
        for kind in ShipmentKind.values:
            reference = document_reference(event, kind)
            if reference:
                keys.add((kind, reference))
                if event.get("equipmentReference"):
                    pairs.add(((kind, reference), event["equipmentReference"]))
    if not keys:
        return
    Shipment.objects.bulk_create([Shipment(kind=k, reference=r) for k, r in sorted(keys)], ignore_conflicts=True)
    query = Q()
    for kind, reference in keys:
        query |= Q(kind=kind, reference=reference)
    links.shipments = {(s.kind, s.reference): s.pk for s in Shipment.objects.filter(query)}
    ShipmentEquipment.objects.bulk_create(
        [
            ShipmentEquipment(shipment_id=links.shipments[key], equipment_id=links.equipment[eq])
            for key, eq in sorted(pairs)
        ],
        ignore_conflicts=True,
    )
    links.pairs = {(key[1], eq) for key, eq in pairs if key[0] == ShipmentKind.TRD}


def link(events: list[dict]) -> Links:
    """Create the reference rows the events name (if absent) and return their ids and flags."""
    links = Links()
    _transport_calls(events, links)
    _equipment(events, links)
    _shipments(events, links)
    return links
