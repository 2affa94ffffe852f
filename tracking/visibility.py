"""Who sees what, as query filters: operators everything, a party what it is named on or proved.

    >>> viewer = viewer_of(request.user)        # staff user, partner key, portal user or anonymous
    >>> visible_events(viewer, Event.objects.all())
    >>> can_see_container(viewer, "MSKU1234565")

A party sees a shipment (booking or bill of lading) it holds an :class:`Access` grant for, and a
container it holds a grant for or that belongs to a shipment it sees. Everyone else (the public)
sees milestones only, through :mod:`tracking.public`. Unknown and not-visible answer the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from tracking.choices import AccessKind
from tracking.models import Access, Shipment, ShipmentEquipment


@dataclass(frozen=True)
class Viewer:
    """Operators (``everything``), the parties a caller acts for, or nobody in particular (public)."""

    everything: bool = False
    party_ids: tuple[int, ...] = ()

    @property
    def is_public(self) -> bool:
        return not self.everything and not self.party_ids


PUBLIC = Viewer()
LITERAL_LIMIT = 5000


def viewer_of(user) -> Viewer:
    """The viewer behind ``request.user`` (or a websocket scope's user / key principal)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return PUBLIC
    if user.is_staff:
        return Viewer(everything=True)
    key = getattr(user, "key", None)
    if key is not None:  # an API key principal: its party, or nothing for a gate reader
        return Viewer(party_ids=(key.party_id,)) if key.party_id else PUBLIC
    return Viewer(party_ids=tuple(user.parties.values_list("pk", flat=True)))


def _grants(viewer: Viewer, kind: str) -> QuerySet:
    return Access.objects.filter(party_id__in=viewer.party_ids, kind=kind).values("reference")


def visible_shipments(viewer: Viewer) -> QuerySet:
    if viewer.everything:
        return Shipment.objects.all()
    grants = Access.objects.filter(
        party_id__in=viewer.party_ids, kind=OuterRef("kind"), reference=OuterRef("reference")
    )
    return Shipment.objects.filter(Exists(grants))


def _containers_of_visible_shipments(viewer: Viewer) -> QuerySet:
    return ShipmentEquipment.objects.filter(shipment__in=visible_shipments(viewer)).values("equipment__reference")


def visible_events(viewer: Viewer, events: QuerySet) -> QuerySet:
    """The events of ``events`` the viewer may read in full.

    A party's grants are read first and put in the query as literal lists, so that PostgreSQL
    plans with real selectivity: a forwarder with a hundred containers among millions of events
    gets index scans on the reference columns, not a walk along the whole event order. Past
    ``LITERAL_LIMIT`` grants (a carrier seeing most of the store) subqueries serve better.
    """
    if viewer.everything:
        return events
    if viewer.is_public:
        return events.none()
    grants = list(
        Access.objects.filter(party_id__in=viewer.party_ids).values_list("kind", "reference")[: LITERAL_LIMIT + 1]
    )
    if len(grants) > LITERAL_LIMIT:
        return events.filter(
            Q(equipment_reference__in=_grants(viewer, AccessKind.EQUIPMENT))
            | Q(equipment_reference__in=_containers_of_visible_shipments(viewer))
            | Q(carrier_booking_reference__in=_grants(viewer, AccessKind.BKG))
            | Q(transport_document_reference__in=_grants(viewer, AccessKind.TRD))
        )
    refs: dict[str, set[str]] = {kind: set() for kind in AccessKind.values}
    for kind, reference in grants:
        refs[kind].add(reference)
    if refs[AccessKind.BKG] or refs[AccessKind.TRD]:
        of_shipments = ShipmentEquipment.objects.filter(
            Q(shipment__kind=AccessKind.BKG, shipment__reference__in=refs[AccessKind.BKG])
            | Q(shipment__kind=AccessKind.TRD, shipment__reference__in=refs[AccessKind.TRD])
        )
        refs[AccessKind.EQUIPMENT].update(of_shipments.values_list("equipment__reference", flat=True))
    columns = {
        AccessKind.EQUIPMENT: "equipment_reference__in",
        AccessKind.BKG: "carrier_booking_reference__in",
        AccessKind.TRD: "transport_document_reference__in",
    }
    query = Q()
    for kind, lookup in columns.items():
        if refs[kind]:
            query |= Q(**{lookup: sorted(refs[kind])})
    return events.filter(query) if query else events.none()


def with_container_grant(equipment: QuerySet, viewer: Viewer) -> QuerySet:
    """Annotate ``granted``: the viewer holds a direct grant for the container (saves a query)."""
    if viewer.everything or viewer.is_public:
        return equipment
    grants = Access.objects.filter(
        party_id__in=viewer.party_ids, kind=AccessKind.EQUIPMENT, reference=OuterRef("reference")
    )
    return equipment.annotate(granted=Exists(grants))


def can_see_container(viewer: Viewer, reference: str) -> bool:
    if viewer.everything:
        return True
    if viewer.is_public:
        return False
    if Access.objects.filter(party_id__in=viewer.party_ids, kind=AccessKind.EQUIPMENT, reference=reference).exists():
        return True
    return visible_shipments(viewer).filter(equipment__reference=reference).exists()


def can_see_shipment(viewer: Viewer, kind: str, reference: str) -> bool:
    if viewer.everything:
        return True
    return Access.objects.filter(party_id__in=viewer.party_ids, kind=kind, reference=reference).exists()
