"""Read side of the store: a container's and a shipment's status, customs state and timeline.

Views, the websocket consumer and the portal call these with a :class:`Viewer`; a reference
the viewer may not see raises :class:`NotFound` exactly as an unknown one does.
"""

from __future__ import annotations

import json

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.utils.encoders import JSONEncoder
from stdnum import iso6346

from tracking import readsql
from tracking.choices import ShipmentKind
from tracking.exceptions import NotFound
from tracking.models import ContainerStatus, Event, Shipment, ShipmentStatus
from tracking.visibility import Viewer, can_see_shipment

TIMELINE_LIMIT = 1000


def normalise_container(number: str) -> str:
    return iso6346.compact(number or "")[:15]


def not_found(reference: str) -> NotFound:
    return NotFound(_("Nothing is known about %(reference)s.") % {"reference": reference[:35]})


def timeline(events: QuerySet) -> list[dict]:
    """The last events of a timeline (at most TIMELINE_LIMIT), oldest first, as canonical events."""
    rows = events.order_by("-event_datetime", "-event_id").values_list("payload", flat=True)[:TIMELINE_LIMIT]
    return list(reversed(rows))


def status_of(row: ContainerStatus | ShipmentStatus | readsql.StatusRow | None) -> dict:
    if row is None or not row.milestone:
        milestone = None
    else:
        milestone = {
            "code": row.milestone,
            "eventType": row.milestone_event_type,
            "eventDateTime": row.milestone_at,
            "eventID": row.milestone_event_id,
        }
    return {
        "milestone": milestone,
        "UNLocationCode": row.un_location_code if row else "",
        "facilityCode": row.facility_code if row else "",
        "vessel": (
            {"vesselIMONumber": row.vessel_imo_number, "vesselName": row.vessel_name}
            if row and row.vessel_imo_number
            else None
        ),
        "carrierVoyageNumber": row.carrier_voyage_number if row else "",
        "ETA": {"eventDateTime": row.eta, "UNLocationCode": row.eta_location} if row and row.eta else None,
    }


def customs_of(row: ContainerStatus | ShipmentStatus | readsql.StatusRow | None) -> dict:
    if row is None:
        return {"state": "", "since": None, "holds": []}
    return {"state": row.customs_state, "since": row.customs_at, "holds": row.holds}


def container_detail(viewer: Viewer, number: str) -> dict:
    """Status, customs state, holds, shipments and timeline of a container the viewer may see."""
    head, timeline = container_rows(viewer, number)
    return {**head, "timeline": json.loads(f"[{timeline}]")}


def container_json(viewer: Viewer, number: str) -> bytes:
    """:func:`container_detail` as the API's JSON body, the stored events spliced in as stored.

    The events are never decoded and re-encoded: their stored JSON text is the answer.
    """
    return container_body(*container_rows(viewer, number))


def container_body(head: dict, timeline: str) -> bytes:
    """The JSON body of a container's answer: its detail, then its events' stored texts spliced in."""
    opening = json.dumps(head, cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"))[:-1]
    return f'{opening},"timeline":[{timeline}]}}'.encode()


def container_rows(viewer: Viewer, number: str) -> tuple[dict, str]:
    """A visible container's detail without its timeline, and the timeline: the inside of a JSON array,
    its events as stored JSON texts, oldest first.

    One query (:mod:`tracking.readsql`): container, status, shipments, the viewer's right to see it
    and the last TIMELINE_LIMIT events; an unknown and a not-visible container raise the same NotFound.
    """
    reference = normalise_container(number)
    rows = readsql.fetch(*readsql.container(viewer, reference, TIMELINE_LIMIT))
    if not rows or not rows[0][readsql.VISIBLE]:
        raise not_found(reference or number)
    return container_answer(reference, rows[0])


def container_answer(reference: str, row: tuple) -> tuple[dict, str]:
    """:func:`container_rows`' answer from the statement's row for a visible container (the event loop's
    container answer, ``tracking/fastlane.py``, reads the same row)."""
    status = readsql.status_row(row)
    shipments = sorted(readsql.pairs(row[readsql.SHIPMENTS]))
    head = {
        "equipmentReference": reference,
        "ISOEquipmentCode": row[0],
        "valid": bool(row[1]),
        "problem": row[2],
        "status": status_of(status),
        "customs": customs_of(status),
        "shipments": [{"documentReferenceType": kind, "documentReferenceValue": ref} for kind, ref in shipments],
    }
    return head, row[readsql.TIMELINE_TEXT] or ""


def find_shipment(viewer: Viewer, reference: str, kind: str | None = None) -> Shipment:
    """The bill of lading (first) or booking with this reference that the viewer may see."""
    kinds = [kind] if kind else [ShipmentKind.TRD, ShipmentKind.BKG]
    rows = {s.kind: s for s in Shipment.objects.filter(reference=reference, kind__in=kinds).select_related("status")}
    for candidate in kinds:
        if candidate in rows and can_see_shipment(viewer, candidate, reference):
            return rows[candidate]
    raise not_found(reference)


def shipment_detail(viewer: Viewer, reference: str, kind: str | None = None) -> dict:
    """A booking or bill of lading with its containers (and their status) and its timeline."""
    shipment = find_shipment(viewer, reference.strip()[:35], kind)
    column = "transport_document_reference" if shipment.kind == ShipmentKind.TRD else "carrier_booking_reference"
    row = getattr(shipment, "status", None)
    containers = shipment.equipment.select_related("status").order_by("reference")
    return {
        "documentReferenceType": shipment.kind,
        "documentReferenceValue": shipment.reference,
        "status": status_of(row),
        "customs": customs_of(row),
        "containers": [
            {
                "equipmentReference": box.reference,
                "ISOEquipmentCode": box.iso_equipment_code,
                "valid": box.valid,
                "status": status_of(getattr(box, "status", None)),
                "customs": customs_of(getattr(box, "status", None)),
            }
            for box in containers
        ],
        "timeline": timeline(Event.objects.filter(**{column: shipment.reference})),
    }
