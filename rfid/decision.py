"""The gate decision for a transaction: OPEN, or HOLD with reasons. Two queries: bindings and clearance.

    >>> decide(transaction, at=now)
    Verdict(decision="HOLD", reasons=[{"code": "NOT_RELEASED", ...}], equipment=[...], containers=[...])

Every tag of the pass must be known: bound (for its validity period) to a truck, trailer or
container, or a container tag that names its container itself; an unknown tag holds. Leaving a
bonded zone (direction out) needs, for every container, customs release and no open hold of an
authority or agency (``customs_gateway.clearance.gate_clearance``); a container customs has never
heard of holds too. An operator's override decides over all of it, and says so first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.utils.translation import gettext as _

from customs_gateway.clearance import gate_clearance
from rfid import rows
from rfid.choices import Decision, Direction, HoldReason, TagKind
from rfid.epc import BIC_PREFIX
from rfid.models import GateTransaction, TagBinding


@dataclass
class Verdict:
    decision: str
    reasons: list[dict] = field(default_factory=list)
    equipment: list[dict] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    vehicles: list[dict] = field(default_factory=list)


def _reason(code: str, message: str, **extra: object) -> dict:
    return {"code": code, "message": message, **extra}


def identify(tags: list[str], at: datetime) -> tuple[list[str], list[dict], list[str]]:
    """Containers, vehicles (``{"kind", "reference"}``) and unknown tags among ``tags``, at time ``at``."""
    if not tags:
        return [], [], []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tag, kind, reference FROM {rows.table(TagBinding)} WHERE tag IN ({rows.placeholders(len(tags))})"
            " AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s) ORDER BY tag, valid_from DESC",
            [*tags, rows.prep(TagBinding, "valid_from", at), rows.prep(TagBinding, "valid_to", at)],
        )
        bound = cursor.fetchall()
    binding: dict[str, tuple[str, str]] = {}
    for tag, kind, reference in bound:
        binding.setdefault(tag, (kind, reference))
    containers: list[str] = []
    vehicles: list[dict] = []
    unknown: list[str] = []
    for tag in tags:
        kind, reference = binding.get(tag, ("", ""))
        if not kind and tag.startswith(BIC_PREFIX):
            kind, reference = TagKind.CONTAINER, tag[len(BIC_PREFIX) :]
        if kind == TagKind.CONTAINER:
            if reference.upper() not in containers:
                containers.append(reference.upper())
        elif kind:
            vehicles.append({"kind": kind, "reference": reference, "tag": tag})
        else:
            unknown.append(tag)
    return containers, vehicles, unknown


def decide(tx: GateTransaction, *, at: datetime) -> Verdict:
    """The decision for the tags of ``tx`` as they stand."""
    containers, vehicles, unknown = identify(list(tx.tags), at)
    clearance = gate_clearance(containers) if containers else {}
    reasons = [
        _reason(
            HoldReason.UNKNOWN_TAG, _("Tag %(tag)s is not bound to a truck, trailer or container.") % {"tag": t}, tag=t
        )
        for t in unknown
    ]
    if containers and not vehicles:
        reasons.append(
            _reason(
                HoldReason.NO_VEHICLE,
                _("Containers %(n)s are on no known truck or trailer.") % {"n": " ".join(containers)},
            )
        )
    equipment = []
    leaving_bond = tx.bonded and tx.direction == Direction.OUT
    for number in containers:
        state = clearance.get(number)
        equipment.append({"equipmentReference": number, "customsState": (state.state or None) if state else None})
        if not leaving_bond or state is None:
            continue
        if not state.known:
            reasons.append(
                _reason(
                    HoldReason.NO_CUSTOMS_RECORD,
                    _("Container %(n)s has no customs record.") % {"n": number},
                    equipmentReference=number,
                )
            )
        elif state.holds:
            reasons.append(
                _reason(
                    HoldReason.ON_HOLD,
                    _("Container %(n)s is held.") % {"n": number},
                    equipmentReference=number,
                    holds=list(state.holds),
                )
            )
        elif not state.released:
            reasons.append(
                _reason(
                    HoldReason.NOT_RELEASED,
                    _("Container %(n)s is not released by customs (state %(s)s).")
                    % {"n": number, "s": state.state or "-"},
                    equipmentReference=number,
                    customsState=state.state or None,
                )
            )
    decision = Decision.HOLD if reasons else Decision.OPEN
    if tx.override_decision:
        decision = tx.override_decision
        reasons.insert(0, _reason(HoldReason.OVERRIDE, tx.override_reason, decision=tx.override_decision))
    return Verdict(str(decision), reasons, equipment, containers, vehicles)
