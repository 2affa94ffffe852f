"""A container page for a forwarder: timeline in local times, documents, customs history, gate moves;
and a shipment page: a bill of lading's or booking's containers with their status, and its timeline.

Built on :func:`tracking.queries.container_detail`, which raises ``NotFound`` for an unknown
container and for one the viewer may not see alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal import charts
from portal.dashboard import customs_label, milestone_label
from portal.localtime import event_local_time, local_time, offset_label
from portal.milestones import references
from portal.places import place_label
from tracking.choices import DocumentReferenceType
from tracking.exceptions import NotFound
from tracking.queries import container_detail, shipment_detail
from tracking.visibility import Viewer

GATE_CODES = {"GTIN", "GTOT"}


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    classifier: str
    at: object
    offset: str
    place: str
    facility: str
    vessel: str
    voyage: str
    authority: str
    reasons: list
    gate: str
    customs: bool = False


def _step(event: dict) -> Step:
    call = event.get("transportCall") or {}
    code = (
        event.get("equipmentEventTypeCode")
        or event.get("transportEventTypeCode")
        or event.get("shipmentEventTypeCode")
        or event.get("customsEventTypeCode")
        or ""
    )
    at = event_local_time(event)
    where = ((event.get("source") or {}).get("position") or {}) if code in GATE_CODES else {}
    gate = " ".join(str(where[k]) for k in ("gate", "lane") if where.get(k))
    reasons = [r.get("text") or r.get("code") or "" for r in event.get("reasons") or [] if isinstance(r, dict)]
    return Step(
        code=code,
        label=milestone_label(code, event.get("eventType", "")),
        classifier=event.get("eventClassifierCode", ""),
        at=at,
        offset=offset_label(at),
        place=call.get("UNLocationCode", ""),
        facility=call.get("facilityCode", ""),
        vessel=(call.get("vessel") or {}).get("vesselName", ""),
        voyage=call.get("carrierVoyageNumber", ""),
        authority=event.get("customsAuthority", ""),
        reasons=reasons,
        gate=gate,
        customs=event.get("eventType") == "CUSTOMS",
    )


def documents(timeline: list[dict], shipments: list[dict]) -> list[tuple[str, str]]:
    """(type label, number) of every document the container's events name, each once."""
    found: dict[tuple[str, str], None] = {}
    for ref in shipments:
        found[(ref["documentReferenceType"], ref["documentReferenceValue"])] = None
    for event in timeline:
        for ref in event.get("documentReferences") or []:
            found[(ref.get("documentReferenceType", ""), ref.get("documentReferenceValue", ""))] = None
    labels = dict(DocumentReferenceType.choices)
    return [(str(labels.get(kind, kind)), value) for kind, value in found if value]


def journey_svg(steps: list[Step]) -> str:
    actual = [s for s in steps if s.classifier == "ACT" and s.place]
    ports = list(dict.fromkeys(s.place for s in actual))
    last = {s.place: s.label for s in actual}
    planned = [s.place for s in steps if s.classifier != "ACT" and s.place and s.place not in ports]
    stops = [(place_label(p), last[p], True) for p in ports]
    stops += [(place_label(p), _("expected"), False) for p in dict.fromkeys(planned)]
    if not stops:
        return ""
    return charts.journey(_("Journey"), _("The ports of the journey in order, with the last milestone at each."), stops)


def container_page(viewer: Viewer, number: str) -> dict:
    """Everything the container page shows; raises ``tracking.exceptions.NotFound``."""
    detail = container_detail(viewer, number)
    steps = [_step(event) for event in detail["timeline"]]
    status = detail["status"]
    milestone = status.get("milestone") or {}
    at = local_time(milestone.get("eventDateTime"), status.get("UNLocationCode", ""))
    customs = detail["customs"]
    eta_call = status.get("ETA") or {}
    eta = local_time(eta_call.get("eventDateTime"), eta_call.get("UNLocationCode", ""))
    return {
        "number": detail["equipmentReference"],
        "iso_code": detail["ISOEquipmentCode"],
        "status_label": milestone_label(milestone.get("code", ""), milestone.get("eventType", "")) if milestone else "",
        "status_place": status.get("UNLocationCode", ""),
        "status_at": at,
        "status_offset": offset_label(at),
        "vessel": (status.get("vessel") or {}).get("vesselName", ""),
        "voyage": status.get("carrierVoyageNumber", ""),
        "eta": eta,
        "eta_offset": offset_label(eta),
        "eta_place": eta_call.get("UNLocationCode", ""),
        "customs_state": customs_label(customs.get("state", "")),
        "holds": [{**h, "label": customs_label(h.get("code", ""))} for h in customs.get("holds") or []],
        "steps": steps,
        "customs_steps": [s for s in steps if s.customs],
        "gate_moves": [s for s in steps if s.code in GATE_CODES],
        "documents": documents(detail["timeline"], detail["shipments"]),
        "journey": journey_svg(steps),
    }


def _status(status: dict) -> dict:
    milestone = status.get("milestone") or {}
    at = local_time(milestone.get("eventDateTime"), status.get("UNLocationCode", ""))
    return {
        "label": milestone_label(milestone.get("code", ""), milestone.get("eventType", "")) if milestone else "",
        "place": status.get("UNLocationCode", ""),
        "at": at,
        "offset": offset_label(at),
    }


def shipment_page(viewer: Viewer, reference: str) -> dict:
    """Everything the shipment page shows; raises ``tracking.exceptions.NotFound`` (unknown or not the viewer's)."""
    for candidate in references(reference)[:-1]:  # as typed, in capitals; the last form is tried below
        try:
            detail = shipment_detail(viewer, candidate)
            break
        except NotFound:
            continue
    else:
        detail = shipment_detail(viewer, references(reference)[-1])
    steps = [_step(event) for event in detail["timeline"]]
    labels = dict(DocumentReferenceType.choices)
    return {
        "reference": detail["documentReferenceValue"],
        "kind_label": str(labels.get(detail["documentReferenceType"], detail["documentReferenceType"])),
        "status": _status(detail["status"]),
        "customs_state": customs_label(detail["customs"].get("state", "")),
        "containers": [
            {
                "number": box["equipmentReference"],
                "iso_code": box["ISOEquipmentCode"],
                "status": _status(box["status"]),
                "customs_state": customs_label(box["customs"].get("state", "")),
            }
            for box in detail["containers"]
        ],
        "steps": steps,
        "journey": journey_svg(steps),
    }
