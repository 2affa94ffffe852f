"""What the public may see of a container's journey: milestones, places and times, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum import iso6346
from stdnum.exceptions import ValidationError

from tracking.models import Event

MILESTONES = {
    "GTIN": _("Gate in"),
    "LOAD": _("Loaded"),
    "DEPA": _("Departed"),
    "ARRI": _("Arrived"),
    "DISC": _("Discharged"),
    "RLSD": _("Customs released"),
    "GTOT": _("Gate out"),
}


@dataclass(frozen=True)
class Milestone:
    code: str
    label: str
    at: datetime
    location: str
    vessel: str


@dataclass(frozen=True)
class Lookup:
    query: str
    kind: str  # container, shipment, unknown
    milestones: list[Milestone]
    hint: str = ""


def container_hint(number: str) -> str:
    """A helpful word about a mistyped container number, from the ISO 6346 check digit."""
    compact = iso6346.compact(number)
    if len(compact) != 11 or not compact[:4].isalpha() or not compact[4:].isdigit():
        return ""
    try:
        iso6346.validate(compact)
    except ValidationError:
        expected = iso6346.calc_check_digit(compact[:10])
        return str(
            _("The check digit of %(number)s should be %(digit)s: please check the number.")
            % {"number": compact, "digit": expected}
        )
    return ""


def lookup(query: str) -> Lookup:
    number = iso6346.compact(query or "")[:35]
    if not number:
        return Lookup(query=query, kind="unknown", milestones=[])
    rows = Event.objects.filter(event_classifier="ACT", type_code__in=list(MILESTONES))
    containers = rows.filter(equipment_reference=number)
    kind = "container"
    if not containers.exists():
        containers = rows.filter(
            Q(carrier_booking_reference=query.strip()) | Q(transport_document_reference=query.strip())
        )
        kind = "shipment"
    milestones = []
    for event in containers.order_by("event_datetime")[:200]:
        call = event.payload.get("transportCall") or {}
        vessel = (call.get("vessel") or {}).get("vesselName", "")
        milestones.append(
            Milestone(
                event.type_code, str(MILESTONES[event.type_code]), event.event_datetime, event.un_location_code, vessel
            )
        )
    if not milestones:
        return Lookup(query=query, kind="unknown", milestones=[], hint=container_hint(number))
    return Lookup(query=query, kind=kind, milestones=milestones)
