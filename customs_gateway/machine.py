"""Applying the clearance state machine: one locked transition, its audit entry and its CUSTOMS events.

    >>> move(declaration, "submit", actor="gateway", reason="sent to the authority")
    >>> answer(declaration, "hold", actor="CNSHA", message=msg, reasons=[{"code": "H1"}])

:func:`move` is for the gateway's and operators' own steps: an illegal one raises
:class:`~customs_gateway.exceptions.IllegalTransition`. :func:`answer` is for an authority's
or agency's response: it is applied only when it ranks at or above the current state and
is recorded (never raised) otherwise, since late and duplicated answers are normal.
Customs' release becomes ``released`` only when every required agency check has released
too; until then the goods stay held by the agency that has not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from customs_gateway import transitions
from customs_gateway.choices import AuditAction, CheckState
from customs_gateway.choices import ClearanceState as S
from customs_gateway.events import default_authority, events_for
from customs_gateway.exceptions import IllegalTransition
from customs_gateway.models import AuditEntry, Declaration, Message
from tracking.store import record_events


@dataclass
class Outcome:
    """What an answer did: ``applied`` (state moved), ``stale`` (recorded only), the states."""

    applied: bool
    from_state: str
    to_state: str
    note: str = ""
    event_ids: list[str] = field(default_factory=list)


def _locked(declaration: Declaration) -> Declaration:
    return Declaration.objects.select_for_update().select_related("party").get(pk=declaration.pk)


def _record(
    declaration: Declaration,
    trigger: str,
    to_state: str,
    *,
    actor: str,
    reason: str,
    message: Message | None,
    authority: str,
    reasons: list[dict],
    extra_events: list[tuple[str, str]] = (),
) -> Outcome:
    """Move ``declaration`` (already locked) to ``to_state`` and write the audit entry and events."""
    from_state = declaration.state
    now = timezone.now()
    declaration.transition_count += 1
    seq = declaration.transition_count
    code = transitions.EVENT_CODE.get(to_state, "")
    if code == "ACPT" and declaration.function_code == "5":
        code = "AMND"
    events: list[dict] = []
    for extra_code, extra_authority in extra_events:
        events += events_for(declaration, code=extra_code, seq=seq, at=now, authority=extra_authority, message=message)
    if code:
        later = now + timezone.timedelta(microseconds=1) if extra_events else now
        events += events_for(
            declaration, code=code, seq=seq, at=later, authority=authority, reasons=reasons, message=message
        )
    declaration.state = to_state
    if reasons:
        declaration.reasons = reasons
    declaration.save()
    if events:
        record_events(events)
    ids = [e["eventID"] for e in events]
    AuditEntry.objects.create(
        declaration=declaration,
        action=AuditAction.TRANSITION,
        actor=actor[:120],
        reason=reason,
        trigger=trigger,
        from_state=from_state,
        to_state=to_state,
        version=declaration.version,
        message=message,
        event_code=code,
        event_ids=ids,
        detail={"reasons": reasons, "authority": authority} if reasons or authority else {},
    )
    return Outcome(True, from_state, to_state, event_ids=ids)


def move(
    declaration: Declaration,
    trigger: str,
    *,
    actor: str,
    reason: str = "",
    message: Message | None = None,
    authority: str = "",
    reasons: list[dict] | None = None,
) -> Outcome:
    """Apply one of the gateway's own steps; raises :class:`IllegalTransition` when the table has none."""
    with transaction.atomic():
        locked = _locked(declaration)
        try:
            to_state = transitions.target(trigger, locked.state)
        except IllegalTransition as exc:
            AuditEntry.objects.create(
                declaration=locked,
                action=AuditAction.REFUSED,
                actor=actor[:120],
                reason=str(exc),
                trigger=trigger,
                from_state=locked.state,
                version=locked.version,
                message=message,
            )
            raise
        outcome = _record(
            locked,
            trigger,
            to_state,
            actor=actor,
            reason=reason,
            message=message,
            authority=authority,
            reasons=reasons or [],
        )
    declaration.refresh_from_db()
    return outcome


def _pending_agencies(declaration: Declaration) -> list[str]:
    checks = declaration.agency_checks.exclude(state=CheckState.RELEASED)
    return sorted({c.agency for c in checks})


def _released_agencies(declaration: Declaration) -> list[str]:
    held_before = declaration.audit_entries.filter(event_code__in=["HOLD", "INSP", "DOCR"]).values_list(
        "detail", flat=True
    )
    agencies = {c.agency for c in declaration.agency_checks.all()}
    named = {(d or {}).get("authority") for d in held_before}
    return sorted(a for a in agencies if a in named)


def _resolve_release(declaration: Declaration, trigger: str, authority: str) -> tuple[str, str, str, list, list]:
    """Customs' or an agency's release: ``(trigger, to_state, authority, reasons, extra events)``."""
    pending = _pending_agencies(declaration)
    if not declaration.customs_released or pending:
        waiting = pending[0] if pending else (declaration.authority or default_authority())
        reasons = [{"code": "WAIT", "text": f"awaiting release by {', '.join(pending) or waiting}"}]
        return "agency_hold" if pending else trigger, S.HELD, waiting, reasons, []
    customs = declaration.authority or default_authority()
    extra = [("RLSD", agency) for agency in _released_agencies(declaration) if agency != customs]
    return trigger, S.RELEASED, customs, [], extra


def answer(
    declaration: Declaration,
    trigger: str,
    *,
    actor: str,
    message: Message | None = None,
    authority: str = "",
    reasons: list[dict] | None = None,
    reason: str = "",
    agency: bool = False,
) -> Outcome:
    """Apply an authority's or agency's answer if it ranks at or above the current state; else record it."""
    reasons = reasons or []
    with transaction.atomic():
        locked = _locked(declaration)
        current = locked.state
        if trigger == "release" and not agency:
            locked.customs_released = True
        extra: list = []
        if trigger in ("release", "agency_release"):
            trigger, to_state, authority, wait_reasons, extra = _resolve_release(locked, trigger, authority)
            reasons = reasons or wait_reasons
            if to_state == S.HELD and current == S.HELD:
                locked.save()
                return _stale(locked, trigger, actor, message, "still held: not every required check has released")
        else:
            to_state = transitions.TABLE.get(trigger, {}).get(str(current))
            if to_state is None:
                return _stale(locked, trigger, actor, message, f"no transition {trigger} from {current}")
        if trigger not in ("agency_hold", "agency_refuse") and not transitions.ranks_at_or_above(to_state, current):
            return _stale(locked, trigger, actor, message, f"{to_state} ranks below {current}")
        if transitions.TABLE.get(trigger, {}).get(str(current)) != to_state:  # the release join stays in the table
            return _stale(locked, trigger, actor, message, f"no transition {trigger} from {current}")
        if to_state == current and not extra:
            locked.reasons = reasons or locked.reasons
            locked.save()
            return Outcome(False, current, current, note="already in this state")
        outcome = _record(
            locked,
            trigger,
            to_state,
            actor=actor,
            reason=reason,
            message=message,
            authority=authority,
            reasons=reasons,
            extra_events=extra,
        )
    declaration.refresh_from_db()
    return outcome


def _stale(declaration: Declaration, trigger: str, actor: str, message: Message | None, note: str) -> Outcome:
    AuditEntry.objects.create(
        declaration=declaration,
        action=AuditAction.MESSAGE,
        actor=actor[:120],
        reason=f"not applied: {note}",
        trigger=trigger,
        from_state=declaration.state,
        to_state=declaration.state,
        version=declaration.version,
        message=message,
    )
    return Outcome(False, declaration.state, declaration.state, note=note)


def note(
    declaration: Declaration,
    code: str,
    *,
    actor: str,
    message: Message | None,
    authority: str,
    reasons: list[dict],
    containers: list[tuple[str, str]] | None = None,
) -> Outcome:
    """An agency's decision that does not move the customs state: audited, and a CUSTOMS event if ``code``.

    An agency hold while customs is still deciding is a HOLD event of that agency (the gate stays
    shut) without changing the declaration's state; an agency's release is only recorded, never
    an RLSD of its own, since RLSD means customs and every agency have released. ``containers``
    narrows the events to some containers (an authority's per-container instruction).
    """
    with transaction.atomic():
        locked = _locked(declaration)
        ids: list[str] = []
        if code:
            locked.transition_count += 1
            locked.save(update_fields=["transition_count", "updated_at"])
            events = events_for(
                locked,
                code=code,
                seq=locked.transition_count,
                at=timezone.now(),
                authority=authority,
                reasons=reasons,
                message=message,
                containers=containers,
            )
            record_events(events)
            ids = [e["eventID"] for e in events]
        AuditEntry.objects.create(
            declaration=locked,
            action=AuditAction.AGENCY,
            actor=actor[:120],
            reason=("per-container instruction" if containers else "agency decision")
            + ("" if code else " recorded (no state change)"),
            from_state=locked.state,
            to_state=locked.state,
            version=locked.version,
            message=message,
            event_code=code,
            event_ids=ids,
            detail={"reasons": reasons, "authority": authority},
        )
    declaration.refresh_from_db()
    return Outcome(True, declaration.state, declaration.state, note="agency decision recorded", event_ids=ids)
