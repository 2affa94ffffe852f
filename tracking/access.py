"""Granting access: parties named on events, and forwarders proving a shipment.

A party may see a container or a shipment when it sent a message about it (``source.party``),
is named in one (``parties``), or proved it by presenting the container number and the bill of
lading together (:func:`claim`). Grants are rows of :class:`tracking.models.Access`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracking.bulk import insert, select_in
from tracking.choices import SHIPMENT_KINDS, AccessKind, AccessReason, ClaimState, ShipmentKind
from tracking.events import document_reference
from tracking.exceptions import TooManyClaims
from tracking.models import Access, Claim, EventParty, Party, ShipmentEquipment

MAX_PENDING_CLAIMS = 20


def _named(event: dict) -> list[tuple[str, str]]:
    """(EDI identity, function) of every party the event names, its sender first."""
    names = []
    sender = (event.get("source") or {}).get("party")
    if sender:
        names.append((sender, "source"))
    for party in event.get("parties") or ():
        names.append((party["partyEDIIdentity"], party.get("partyFunction") or ""))
    return names


def _references(event: dict) -> list[tuple[str, str]]:
    refs = []
    if event.get("equipmentReference"):
        refs.append((AccessKind.EQUIPMENT, event["equipmentReference"]))
    for kind in SHIPMENT_KINDS:
        value = document_reference(event, kind)
        if value:
            refs.append((kind, value))
    return refs


def parties_by_edi_id(events: list[dict]) -> dict[str, Party]:
    ids = {edi_id for event in events for edi_id, _function in _named(event)}
    return {party.edi_id: party for party in Party.objects.filter(edi_id__in=ids)} if ids else {}


def grant_from_events(events: list[dict], parties: dict[str, Party]) -> None:
    """Link new events to the known parties they name and grant those parties access."""
    links, grants = set(), {}
    for event in events:
        for edi_id, function in _named(event):
            party = parties.get(edi_id)
            if party is None:
                continue
            links.add((event["eventID"], party.pk, function[:10]))
            reason = AccessReason.SOURCE if function == "source" else AccessReason.NAMED
            for kind, reference in _references(event):
                grants.setdefault((party.pk, kind, reference), reason)
    insert(EventParty, ["event", "party", "function"], sorted(links), unique=["event", "party", "function"])
    now = timezone.now()
    insert(
        Access,
        ["party", "kind", "reference", "reason", "created_at"],
        [(p, k, r, why, now) for (p, k, r), why in sorted(grants.items())],
        unique=["party", "kind", "reference"],
    )


def _prove(claims: list[Claim]) -> None:
    if not claims:
        return
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(state=ClaimState.PROVEN, proven_at=timezone.now())
    Access.objects.bulk_create(
        [
            Access(party_id=c.party_id, kind=AccessKind.TRD, reference=c.transport_document_reference, reason="proven")
            for c in claims
        ],
        ignore_conflicts=True,
    )
    for c in claims:
        c.state = ClaimState.PROVEN


def prove_pending(pairs: set[tuple[str, str]]) -> None:
    """Prove the pending claims whose (bill of lading, container) pair the new events linked."""
    if not pairs:
        return
    names = ["pk", "state", "transport_document_reference", "equipment_reference"]
    claimed = select_in(Claim, names, "equipment_reference", {container for _bill, container in pairs})
    ids = [pk for pk, state, *pair in claimed if state == ClaimState.PENDING and tuple(pair) in pairs]
    if ids:
        _prove(list(Claim.objects.filter(pk__in=ids)))


def pair_is_known(container: str, bill_of_lading: str) -> bool:
    return ShipmentEquipment.objects.filter(
        shipment__kind=ShipmentKind.TRD, shipment__reference=bill_of_lading, equipment__reference=container
    ).exists()


@transaction.atomic
def claim(party: Party, container: str, bill_of_lading: str) -> Claim:
    """Record a party's claim to a shipment; prove it now if an event already links the two numbers.

    A claim on numbers no event has linked yet stays pending and is proven when such an event
    arrives. A party may hold at most ``MAX_PENDING_CLAIMS`` pending claims, so guessing bills of
    lading for a known container number soon stops (:class:`TooManyClaims`).
    """
    Party.objects.select_for_update().filter(pk=party.pk).first()  # one claim at a time per party
    existing = Claim.objects.filter(
        party=party, equipment_reference=container.upper(), transport_document_reference=bill_of_lading
    ).first()
    if existing is None and Claim.objects.filter(party=party, state=ClaimState.PENDING).count() >= MAX_PENDING_CLAIMS:
        raise TooManyClaims(
            _("%(n)d claims of your party are still unproven; no more until they are") % {"n": MAX_PENDING_CLAIMS}
        )
    row = existing or Claim.objects.create(
        party=party, equipment_reference=container.upper(), transport_document_reference=bill_of_lading
    )
    if row.state == ClaimState.PENDING and pair_is_known(row.equipment_reference, bill_of_lading):
        _prove([row])
    return row
