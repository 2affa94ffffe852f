"""Applying a verified, correlated answer: to the declaration, its bills and containers, its agency checks.

    >>> apply(declaration, answer, message, authority)     # -> InboundResult

Customs' answers move the declaration through :mod:`customs_gateway.machine` (an instruction
for some containers only gives those containers' events); an agency's decisions are kept per
item and per check, and join the declaration's state only as the machine allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from customs_gateway import machine, responses
from customs_gateway.choices import CheckState, Direction, ItemState, MessageOutcome
from customs_gateway.choices import ClearanceState as S
from customs_gateway.events import default_authority
from customs_gateway.models import AgencyCheck, Declaration, Message

ITEM_STATE = {
    "accept": ItemState.ACCEPTED,
    "reject": ItemState.REJECTED,
    "review": ItemState.UNDER_REVIEW,
    "inspect": ItemState.HELD,
    "hold": ItemState.HELD,
    "release": ItemState.RELEASED,
}


@dataclass
class InboundResult:
    """What became of a response: ``applied``, ``stale``, ``duplicate`` or ``quarantined``, and why."""

    status: str
    message: Message | None = None
    declaration: Declaration | None = None
    note: str = ""


def _stale_version(declaration: Declaration, answer: responses.Answer) -> bool:
    return answer.version is not None and answer.version < declaration.version


def apply(declaration: Declaration, answer: responses.Answer, message: Message, authority: str) -> InboundResult:
    """Apply one answer unless it answers an older version; record the message's outcome."""
    if _stale_version(declaration, answer):
        note = f"answers version {answer.version}; the declaration is at version {declaration.version}"
        Message.objects.filter(pk=message.pk).update(outcome=MessageOutcome.STALE, note=note)
        machine.answer(declaration, "stale", actor=authority, message=message, reason=note)
        return InboundResult("stale", message, declaration, note)
    if answer.trigger == "agency":
        outcome = _apply_agency(declaration, answer, message, answer.agency or authority)
    else:
        outcome = _apply_customs(declaration, answer, message, authority)
    status = "applied" if outcome.applied else "stale"
    Message.objects.filter(pk=message.pk).update(
        outcome=MessageOutcome.APPLIED if outcome.applied else MessageOutcome.STALE, note=outcome.note
    )
    declaration.refresh_from_db()
    return InboundResult(status, message, declaration, outcome.note)


def _apply_customs(
    declaration: Declaration, answer: responses.Answer, message: Message, authority: str
) -> machine.Outcome:
    for item in answer.bills:
        declaration.bills.filter(number=item.number).update(
            state=ITEM_STATE.get(item.trigger, ItemState.PENDING),
            response_code=item.code,
            response_text=item.text[:512],
        )
    for item in answer.containers:
        declaration.containers.filter(number=item.number).update(
            state=ITEM_STATE.get(item.trigger, ItemState.PENDING),
            response_code=item.code,
            response_text=item.text[:512],
        )
    trigger = _deletion_answered(declaration, answer)
    if not trigger and answer.containers and not answer.bills:
        return _per_container(declaration, answer, message, authority)
    with transaction.atomic():
        fields = {"receipt_due_at": None}
        if answer.registration_number and not declaration.registration_number and trigger != "reject":
            fields["registration_number"] = answer.registration_number[:70]
        if not declaration.authority:
            fields["authority"] = authority or default_authority()
        Declaration.objects.filter(pk=declaration.pk).update(**fields)
        declaration.refresh_from_db()
        if not trigger:
            return machine.Outcome(False, declaration.state, declaration.state, note="informational answer")
        return machine.answer(
            declaration, trigger, actor=authority, message=message, authority=authority, reasons=answer.reasons
        )


def _deletion_answered(declaration: Declaration, answer: responses.Answer) -> str:
    """An acceptance of the deletion (function code 3) the declaration's version asked for cancels it.

    The manifest system answers a deletion as it answers any lodgement: the bill's receipt type 01
    (审核通过, "24301 预配舱单删除申请审核通过"), which reads as an acceptance of what was asked. A late
    acceptance of an earlier version (the message it answers says which) is no such thing.
    """
    if answer.trigger != "accept" or declaration.function_code != "3":
        return answer.trigger
    if answer.answers_message_id:
        answered = Message.objects.filter(direction=Direction.OUT, message_id=answer.answers_message_id)
        version = answered.values_list("version", flat=True).first()
        if version is not None and version != declaration.version:
            return answer.trigger
    return "cancel"


CONTAINER_CODE = {"hold": "HOLD", "inspect": "INSP", "release": "RLSD", "refuse": "REFU"}


def _per_container(
    declaration: Declaration, answer: responses.Answer, message: Message, authority: str
) -> machine.Outcome:
    """An authority's instruction for some containers only: CUSTOMS events for those, the declaration unmoved.

    A container's RLSD is written only when no agency check on the declaration is still open.
    """
    bills = dict(declaration.containers.values_list("number", "bill__number"))
    open_checks = declaration.agency_checks.exclude(state=CheckState.RELEASED).exists()
    outcome = machine.Outcome(False, declaration.state, declaration.state, note="no container instruction")
    for item in answer.containers:
        code = CONTAINER_CODE.get(item.trigger, "")
        if item.number not in bills or (code == "RLSD" and open_checks):
            code = ""
        outcome = machine.note(
            declaration,
            code,
            actor=authority,
            message=message,
            authority=authority,
            reasons=[{"code": item.code, "text": item.text}],
            containers=[(item.number, bills.get(item.number) or "")],
        )
    return outcome


def _apply_agency(declaration: Declaration, answer: responses.Answer, message: Message, agency: str) -> machine.Outcome:
    changed = False
    for decision in answer.checks:
        check, _created = AgencyCheck.objects.get_or_create(
            declaration=declaration, agency=agency, item_number=decision.item_number, check_code=decision.check_code
        )
        if answer.decision_number < check.decision_number:
            continue
        check.decision_code, check.state = decision.decision_code, decision.state
        check.reasons, check.decision_number, check.message = decision.reasons, answer.decision_number, message
        check.save()
        changed = True
    if not changed:
        return machine.answer(declaration, "stale", actor=agency, message=message, reason="older agency decision")
    checks = list(declaration.agency_checks.filter(agency=agency))
    reasons = [{"code": c.decision_code, "text": "; ".join(c.reasons)[:512]} for c in checks if c.state != "released"]
    states = {c.state for c in checks}
    if CheckState.REFUSED in states:
        return machine.answer(
            declaration, "agency_refuse", actor=agency, message=message, authority=agency, reasons=reasons, agency=True
        )
    if CheckState.HELD in states:
        if declaration.state == S.RELEASED:
            return machine.answer(
                declaration,
                "agency_hold",
                actor=agency,
                message=message,
                authority=agency,
                reasons=reasons,
                agency=True,
            )
        return machine.note(declaration, "HOLD", actor=agency, message=message, authority=agency, reasons=reasons)
    if declaration.state == S.HELD:
        return machine.answer(
            declaration, "agency_release", actor=agency, message=message, authority=agency, agency=True
        )
    return machine.note(declaration, "", actor=agency, message=message, authority=agency, reasons=[])
