"""What the public may see: milestones (what, where, when, which vessel) and nothing else.

No party names, no customs authorities or reasons, no declaration numbers, no holds: only the
actual events of the milestone codes below, with place, time and vessel name.

    >>> public_milestones("MSKU1234565")["milestones"][0]["code"]
    'GTIN'
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracking.choices import EventClassifier
from tracking.exceptions import NotFound
from tracking.models import Event
from tracking.queries import normalise_container, not_found

MILESTONES = {
    "GTIN": _("Gate in"),
    "LOAD": _("Loaded"),
    "DEPA": _("Departed"),
    "ARRI": _("Arrived"),
    "DISC": _("Discharged"),
    "RLSD": _("Customs released"),
    "GTOT": _("Gate out"),
}
LIMIT = 200


def _milestone(event: Event) -> dict:
    call = event.payload.get("transportCall") or {}
    return {
        "code": event.type_code,
        "label": str(MILESTONES[event.type_code]),
        "eventDateTime": event.event_datetime,
        "UNLocationCode": event.un_location_code,
        "vesselName": (call.get("vessel") or {}).get("vesselName", ""),
    }


def public_milestones(query: str) -> dict:
    """Milestones of a container, bill of lading or booking; raises NotFound when there are none."""
    rows = Event.objects.filter(event_classifier=EventClassifier.ACTUAL, type_code__in=list(MILESTONES)).only(
        "type_code", "event_datetime", "un_location_code", "payload"
    )
    number = normalise_container(query)
    kind, found = "container", rows.filter(equipment_reference=number) if number else rows.none()
    if not found.exists():
        reference = (query or "").strip()[:35]
        kind = "shipment"
        found = rows.filter(Q(carrier_booking_reference=reference) | Q(transport_document_reference=reference))
    milestones = [_milestone(e) for e in found.order_by("event_datetime", "event_id")[:LIMIT]]
    if not milestones:
        raise not_found(query or "")
    return {"reference": number if kind == "container" else query.strip(), "kind": kind, "milestones": milestones}


__all__ = ["MILESTONES", "NotFound", "public_milestones"]
