"""The forwarders' dashboard: rows of the watched containers and shipments, alerts, export, pictures.

A constant number of queries whatever the watchlist's length: the watchlist, one visibility
query through :func:`tracking.visibility.visible_events` / ``visible_shipments``, and the
status rows. A row the party may no longer see is left out, in pages and exports alike.

    >>> rows = watched_rows(party, viewer)       # [Row(kind, reference, status, ...), ...]
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hub.spreadsheet import safe_cell
from portal.choices import WatchKind
from portal.localtime import local_time, offset_label
from portal.models import WatchItem
from tracking.choices import CustomsEventType, EquipmentEventType, ShipmentEventType, TransportEventType
from tracking.models import Equipment, Event, Party
from tracking.projections import HOLDING
from tracking.visibility import Viewer, visible_events, visible_shipments

HELD_CODES = {str(code) for code in HOLDING}
RELEASED_CODES = {str(CustomsEventType.RLSD)}
DWELL_BUCKETS = [
    (1, gettext_lazy("under 1 day")),
    (3, gettext_lazy("1–3 days")),
    (7, gettext_lazy("3–7 days")),
    (14, gettext_lazy("7–14 days")),
    (None, gettext_lazy("14 days or more")),
]


def milestone_label(code: str, event_type: str = "") -> str:
    """The translated name of an event type code (customs codes when the event is a customs one)."""
    tables = [EquipmentEventType, TransportEventType, ShipmentEventType, CustomsEventType]
    if event_type == "CUSTOMS":
        tables = [CustomsEventType]
    for table in tables:
        if code in table.values:
            return str(table(code).label)
    return code


def customs_label(code: str) -> str:
    return str(CustomsEventType(code).label) if code in CustomsEventType.values else code


@dataclass
class Row:
    kind: str
    reference: str
    milestone: str = ""
    milestone_label: str = ""
    place: str = ""
    at: datetime | None = None
    offset: str = ""
    vessel: str = ""
    voyage: str = ""
    eta: datetime | None = None
    eta_place: str = ""
    eta_offset: str = ""
    customs: str = ""
    customs_label: str = ""
    holds: list[dict] = field(default_factory=list)
    since: datetime | None = None  # UTC time of the current milestone, for dwell
    customs_log: list = field(default_factory=list)

    @property
    def held(self) -> bool:
        return bool(self.holds)


def _row(kind: str, reference: str, status) -> Row:
    row = Row(kind=kind, reference=reference)
    if status is None:
        return row
    at = local_time(status.milestone_at, status.un_location_code)
    row.milestone = status.milestone
    row.milestone_label = milestone_label(status.milestone, status.milestone_event_type) if status.milestone else ""
    row.place, row.at, row.offset, row.since = status.un_location_code, at, offset_label(at), status.milestone_at
    row.vessel, row.voyage = status.vessel_name, status.carrier_voyage_number
    row.eta, row.eta_place = local_time(status.eta, status.eta_location), status.eta_location
    row.eta_offset = offset_label(row.eta) if row.eta else ""
    row.customs, row.customs_label = status.customs_state, customs_label(status.customs_state)
    row.customs_log = status.customs_log or []
    row.holds = [{**hold, "label": customs_label(hold.get("code", ""))} for hold in status.holds or []]
    return row


def _visible_containers(viewer: Viewer, references: list[str]) -> dict[str, Equipment]:
    if not references:
        return {}
    seen = visible_events(viewer, Event.objects.filter(equipment_reference__in=references))
    visible = seen.values("equipment_reference")
    rows = Equipment.objects.filter(reference__in=references).filter(reference__in=visible)
    return {box.reference: box for box in rows.select_related("status")}


def watched_rows(party: Party, viewer: Viewer) -> list[Row]:
    """The party's watched containers and shipments that the viewer may see, with their status."""
    items = list(WatchItem.objects.filter(party=party).values_list("kind", "reference"))
    containers = [ref for kind, ref in items if kind == WatchKind.CONTAINER]
    shipments = [ref for kind, ref in items if kind == WatchKind.SHIPMENT]
    boxes = _visible_containers(viewer, containers)
    rows = [_row(WatchKind.CONTAINER, ref, getattr(boxes[ref], "status", None)) for ref in containers if ref in boxes]
    if shipments:
        seen = {}
        for shipment in visible_shipments(viewer).filter(reference__in=shipments).select_related("status"):
            seen.setdefault(shipment.reference, shipment)  # a bill of lading and a booking may share a number
        rows += [_row(WatchKind.SHIPMENT, ref, getattr(seen[ref], "status", None)) for ref in shipments if ref in seen]
    return rows


def one_row(party: Party, viewer: Viewer, kind: str, reference: str) -> Row | None:
    """One watched row (for the live update of a dashboard), or None when not watched or not visible."""
    if not WatchItem.objects.filter(party=party, kind=kind, reference=reference).exists():
        return None
    if kind == WatchKind.CONTAINER:
        boxes = _visible_containers(viewer, [reference])
        return _row(kind, reference, getattr(boxes[reference], "status", None)) if reference in boxes else None
    shipment = visible_shipments(viewer).filter(reference=reference).select_related("status").first()
    return _row(kind, reference, getattr(shipment, "status", None)) if shipment else None


@dataclass(frozen=True)
class Alert:
    reference: str
    code: str
    label: str
    authority: str
    at: datetime
    released: bool

    @property
    def rest(self) -> str:
        """The alert's sentence after its container number (which the page makes a link), in the reader's language."""
        text = _("%(container)s: %(state)s") % {"container": self.reference, "state": self.label}
        return text[len(self.reference) :] if text.startswith(self.reference) else " " + text


def alerts(rows: list[Row], limit: int = 10) -> list[Alert]:
    """The latest holds and releases of the watched containers, newest first."""
    found = []
    for row in rows:
        if row.kind != WatchKind.CONTAINER:
            continue
        for at, _event_id, code, authority in row.customs_log:
            if code in HELD_CODES or code in RELEASED_CODES:
                moment = datetime.fromisoformat(at)
                found.append(Alert(row.reference, code, customs_label(code), authority, moment, code in RELEASED_CODES))
    return sorted(found, key=lambda a: a.at, reverse=True)[:limit]


def status_counts(rows: list[Row]) -> tuple[list[str], list[int]]:
    """Watched containers per current milestone (categories and counts, most first)."""
    counts: dict[str, int] = {}
    for row in rows:
        if row.kind == WatchKind.CONTAINER:
            label = row.milestone_label or _("No event yet")
            counts[label] = counts.get(label, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [label for label, _n in ordered], [n for _label, n in ordered]


def dwell_counts(rows: list[Row], now: datetime | None = None) -> tuple[list[str], list[int]]:
    """Watched containers by time since their current milestone, in buckets."""
    now = now or timezone.now()
    counts = [0] * len(DWELL_BUCKETS)
    for row in rows:
        if row.kind != WatchKind.CONTAINER or row.since is None:
            continue
        days = (now - row.since).total_seconds() / 86400
        for i, (upper, _label) in enumerate(DWELL_BUCKETS):
            if upper is None or days < upper:
                counts[i] += 1
                break
    return [str(label) for _upper, label in DWELL_BUCKETS], counts


def export_csv(rows: list[Row]) -> str:
    """The dashboard as CSV (UTF-8 with BOM so that spreadsheet programs read Chinese correctly)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Kind"),
            _("Reference"),
            _("Status"),
            _("Place"),
            _("Time (local)"),
            _("Vessel"),
            _("Voyage"),
            _("ETA (local)"),
            _("ETA place"),
            _("Customs"),
            _("Holds"),
        ]
    )
    for row in rows:
        holds = "; ".join(f"{h.get('authority', '')} {h.get('label', '')}".strip() for h in row.holds)
        writer.writerow(
            [
                safe_cell(WatchKind(row.kind).label),
                safe_cell(row.reference),
                safe_cell(row.milestone_label),
                safe_cell(row.place),
                safe_cell(row.at.isoformat() if row.at else ""),
                safe_cell(row.vessel),
                safe_cell(row.voyage),
                safe_cell(row.eta.isoformat() if row.eta else ""),
                safe_cell(row.eta_place),
                safe_cell(row.customs_label),
                safe_cell(holds),
            ]
        )
    return "\ufeff" + out.getvalue()
