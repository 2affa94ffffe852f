"""The gate decision for a transaction: OPEN, or HOLD with reasons. Bindings and clearance in one round trip.

    >>> decide(transaction, at=now)
    Verdict(decision="HOLD", reasons=[{"code": "NOT_RELEASED", ...}], equipment=[...], containers=[...])

Every tag of the pass must be known: bound (for its validity period) to a truck, trailer or
container, or a container tag that names its container itself; an unknown tag holds. Leaving a
bonded zone (direction out) needs, for every container, customs release and no open hold of an
authority or agency (``customs_gateway.clearance``, whose statement goes out beside the bindings');
a container customs has never heard of holds too. An operator's override decides over all of it, and says so first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from customs_gateway.clearance import Clearance, clearance_from_rows, clearance_sql
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


def _bindings_sql(tags: str, kind: str = "") -> str:
    """The bindings of the tags ``tags`` (an SQL condition on ``tag``) valid at a time given twice."""
    table = rows.table(TagBinding)
    valid = "valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)"
    if kind:  # the container numbers the tags are bound to, for the clearance lookup
        return f"SELECT UPPER(reference) FROM {table} WHERE {tags} AND kind = %s AND {valid}"
    return f"SELECT tag, kind, reference FROM {table} WHERE {tags} AND {valid} ORDER BY tag, valid_from DESC"


Looked = tuple[list[str], list[dict], list[str], dict[str, Clearance]]


def lookup(tags: list[str], at: datetime) -> Looked:
    """Containers, vehicles (``{"kind", "reference", "tag"}``), unknown tags among ``tags`` at ``at``, and the
    containers' clearance: two statements, one round trip on PostgreSQL.

    The clearance statement asks for the containers the tags name themselves and for those they are
    bound to (a subquery over the same bindings), so it need not wait for the bindings' answer.
    """
    if not tags:
        return [], [], [], {}
    window = [rows.prep(TagBinding, "valid_from", at), rows.prep(TagBinding, "valid_to", at)]
    named = sorted({t[len(BIC_PREFIX) :].upper() for t in tags if t.startswith(BIC_PREFIX)})
    of_tags, tag_params = rows.any_of("tag", tags)
    with rows.pipelined():
        bindings = rows.query_later(_bindings_sql(of_tags), [*tag_params, *window])
        numbers = clearance_sql(
            len(named), also=_bindings_sql(of_tags, kind=TagKind.CONTAINER), array=rows.server_side()
        )
        clearance = rows.query_later(
            numbers, [*([named] if rows.server_side() else named), *tag_params, TagKind.CONTAINER.value, *window]
        )
        bound, cleared = bindings.fetch(), clearance.fetch()
    return _interpret(tags, bound, cleared)


class PassLookup:
    """The bindings and clearance of a pass, asked (PostgreSQL) in the round trip that finds its transaction.

    The pass's tags are the post's and those of the lane's transaction the post joins (selected by
    the same condition as ``ingest.transaction_later``, after the lane lock); the bindings are taken
    as valid at the later of the post's last read and the transaction's: what :func:`lookup` would
    be asked after the merge, one round trip sooner.
    """

    def __init__(self, tags: list[str], last: datetime, joins: tuple[str, list]):
        where, lane = joins
        table = rows.table(GateTransaction)
        at = rows.prep(TagBinding, "valid_from", last)
        head = (
            f"WITH tx AS (SELECT tags, last_read_at FROM {table} WHERE {where}), "
            "wanted AS (SELECT unnest(%s::text[]) AS tag UNION SELECT jsonb_array_elements_text(tags) FROM tx), "
            "at AS (SELECT GREATEST(%s::timestamptz, (SELECT last_read_at FROM tx)) AS at) "
        )
        params = [*lane, list(tags), at]
        bound = f"{rows.table(TagBinding)} b, at WHERE b.tag IN (SELECT tag FROM wanted) AND b.valid_from <= at.at "
        bound += "AND (b.valid_to IS NULL OR b.valid_to > at.at)"
        numbers = (
            f"SELECT UPPER(b.reference) FROM {bound} AND b.kind = %s UNION "
            f"SELECT UPPER(SUBSTR(tag, {len(BIC_PREFIX) + 1})) FROM wanted WHERE tag LIKE %s"
        )
        self._bindings = rows.query_later(
            f"{head}SELECT b.tag, b.kind, b.reference FROM {bound} ORDER BY b.tag, b.valid_from DESC", params
        )
        self._clearance = rows.query_later(
            head + clearance_sql(0, also=numbers), [*params, TagKind.CONTAINER.value, BIC_PREFIX + "%"]
        )

    def fetch(self, tags: list[str]) -> Looked:
        """The answer for the merged transaction's ``tags`` (the same set as asked, in the transaction's order)."""
        return _interpret(tags, self._bindings.fetch(), self._clearance.fetch())


def _interpret(tags: list[str], bound: list, cleared: list) -> Looked:
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
    return containers, vehicles, unknown, clearance_from_rows(containers, cleared)


def decide(tx: GateTransaction, *, at: datetime, asked: PassLookup | None = None) -> Verdict:
    """The decision for the tags of ``tx`` as they stand (``asked``: their lookup, already sent)."""
    tags = list(tx.tags)
    containers, vehicles, unknown, clearance = asked.fetch(tags) if asked is not None else lookup(tags, at)
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
