"""What the public may see of a container's journey: milestones, places and local times, nothing else.

No party names, no customs authorities, reasons or declaration numbers, no holds: only the
actual events of the milestone codes of :data:`tracking.public.MILESTONES`, with place, the
place's local time and the vessel name.

    >>> lookup("BOLU1234565").milestones[0].label
    'Gate in'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _
from stdnum import iso6346
from stdnum.exceptions import ValidationError

from portal.localtime import local_time, offset_label
from tracking.choices import EventClassifier
from tracking.models import Event
from tracking.public import MILESTONES
from tracking.queries import normalise_container

LIMIT = 200
SEPARATORS = re.compile(r"[\s\-./]+")


@dataclass(frozen=True)
class Milestone:
    code: str
    label: str
    at: datetime
    offset: str
    location: str
    vessel: str
    container: str = ""


@dataclass(frozen=True)
class Lookup:
    query: str
    kind: str  # container, shipment, unknown
    milestones: list[Milestone]
    hint: str = ""
    suggestion: str = ""  # the container number the query likely meant (check digit completed or corrected)
    ports: list[str] = field(default_factory=list)


def container_hint(number: str) -> tuple[str, str]:
    """A helpful word about a mistyped container number (ISO 6346 check digit), and the number it likely meant."""
    compact = iso6346.compact(number)
    if len(compact) == 10 and compact[:4].isalpha() and compact[4:].isdigit():
        full = compact + iso6346.calc_check_digit(compact)
        return _("The check digit is missing: with it the number reads %(number)s.") % {"number": full}, full
    if len(compact) != 11 or not compact[:4].isalpha() or not compact[4:].isdigit():
        if compact[:4].isalpha() and compact[4:].isdigit() and 7 <= len(compact) <= 12:
            return _("A container number has four letters and seven digits, for example MSKU1234565."), ""
        return "", ""
    try:
        iso6346.validate(compact)
    except ValidationError:
        expected = iso6346.calc_check_digit(compact[:10])
        text = _("The check digit of %(number)s should be %(digit)s: please check the number.") % {
            "number": compact,
            "digit": expected,
        }
        return text, compact[:10] + expected
    return "", ""


def _milestone(event: Event, with_container: bool) -> Milestone:
    call = event.payload.get("transportCall") or {}
    at = local_time(event.event_datetime, event.un_location_code, event.payload.get("eventDateTime") or "")
    return Milestone(
        code=event.type_code,
        label=str(MILESTONES[event.type_code]),
        at=at,
        offset=offset_label(at),
        location=event.un_location_code,
        vessel=(call.get("vessel") or {}).get("vesselName", ""),
        container=event.equipment_reference if with_container else "",
    )


def ports_of(milestones: list[Milestone]) -> list[str]:
    """The places of a journey in the order they were reached, each once."""
    return list(dict.fromkeys(m.location for m in milestones if m.location))


def references(query: str) -> list[str]:
    """The forms a bill of lading or booking may be stored under: as typed, in capitals, without separators."""
    typed = query[:35]
    return list(dict.fromkeys([typed, typed.upper(), SEPARATORS.sub("", query).upper()[:35]]))


def lookup(query: str) -> Lookup:
    """Milestones of a container number, bill of lading or booking; ``kind`` is unknown when none.

    A number is found however it was typed: in lower case, with spaces or dashes
    (``bolu 123456-4``, ``bkgdemo 001``), in full-width characters; the answer names it in its stored form.
    """
    query = unicodedata.normalize("NFKC", query or "").strip()[:64]  # full-width ＢＯＬＵ１２３ from a Chinese IME
    number = normalise_container(SEPARATORS.sub("", query))
    rows = Event.objects.filter(event_classifier=EventClassifier.ACTUAL, type_code__in=list(MILESTONES)).only(
        "type_code",
        "event_datetime",
        "un_location_code",
        "equipment_reference",
        "carrier_booking_reference",
        "transport_document_reference",
        "payload",
    )
    kind, found, name = (
        "container",
        list(rows.filter(equipment_reference=number).order_by("event_datetime")[:LIMIT]),
        number,
    )
    if not found and query:
        candidates = references(query)
        kind = "shipment"
        shipments = rows.filter(
            Q(carrier_booking_reference__in=candidates) | Q(transport_document_reference__in=candidates)
        )
        found = list(shipments.order_by("event_datetime", "equipment_reference")[:LIMIT])
        if found:
            first = found[0]
            name = next(
                r for r in (first.transport_document_reference, first.carrier_booking_reference) if r in candidates
            )
    if not found:
        hint, suggestion = container_hint(number)
        return Lookup(query=query, kind="unknown", milestones=[], hint=hint, suggestion=suggestion)
    milestones = [_milestone(event, kind == "shipment") for event in found]
    return Lookup(query=name, kind=kind, milestones=milestones, ports=ports_of(milestones))
