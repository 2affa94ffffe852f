"""No receipt in time: raise an alert and resubmit with a new message id, same business reference and version.

    >>> check_overdue()         # -> the declarations resubmitted; run by the Celery task and the command

A declaration waits for a business answer from the moment it is sent (``receipt_due_at``).
When that passes, the gateway logs an alert, writes it to the audit trail and sends the same
version again under a new message id; the authority therefore sees the same declaration, never
a second one. After ``CUSTOMS_MAX_ATTEMPTS`` sends it only alerts, for operators to act.
Rows are claimed with a conditional update, so two workers never resubmit one declaration twice.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone

from customs_gateway.choices import AuditAction
from customs_gateway.choices import ClearanceState as S
from customs_gateway.models import AuditEntry, Declaration

log = logging.getLogger("customs_gateway.retries")
WAITING = (S.SUBMITTED, S.TRANSPORT_ACK, S.TRANSPORT_FAILED)


def max_attempts() -> int:
    return settings.CUSTOMS_MAX_ATTEMPTS


def check_overdue(now=None) -> list[str]:
    """Alert on and resubmit every declaration whose receipt is overdue; returns their ids."""
    from customs_gateway.outbound import dispatch

    now = now or timezone.now()
    due = Declaration.objects.filter(state__in=WAITING, receipt_due_at__lte=now).values_list("pk", "receipt_due_at")
    resubmitted = []
    for pk, due_at in due:
        claimed = Declaration.objects.filter(pk=pk, receipt_due_at=due_at).update(receipt_due_at=None)
        if not claimed:
            continue
        declaration = Declaration.objects.get(pk=pk)
        reason = f"no receipt for message {declaration.current_message_id} since {due_at:%Y-%m-%d %H:%M:%S} UTC"
        log.warning("customs receipt overdue: %s %s", declaration.business_reference, reason)
        AuditEntry.objects.create(
            declaration=declaration,
            action=AuditAction.ALERT,
            actor="gateway",
            reason=reason,
            version=declaration.version,
            from_state=declaration.state,
            to_state=declaration.state,
        )
        if declaration.attempts >= max_attempts():
            continue
        AuditEntry.objects.create(
            declaration=declaration,
            action=AuditAction.RETRY,
            actor="gateway",
            reason=f"resubmission {declaration.attempts + 1} of version {declaration.version}",
            version=declaration.version,
        )
        dispatch(pk, actor="gateway", reason=reason, resend=True)
        resubmitted.append(str(pk))
    return resubmitted
