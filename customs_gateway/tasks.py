"""Celery tasks of the customs gateway: ids in, one service call, a retry decision."""

from __future__ import annotations

from celery import shared_task

from customs_gateway.exceptions import TransportError


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=30)
def send_declaration(self, declaration_id: str) -> None:
    """Build, sign and send a declaration's current version to the authority."""
    from customs_gateway.outbound import dispatch

    try:
        dispatch(declaration_id)
    except TransportError as exc:
        if exc.retryable:
            raise self.retry(exc=exc) from exc
        raise


@shared_task(acks_late=True)
def check_overdue_receipts() -> list[str]:
    """Alert on and resubmit declarations whose receipt is overdue (run periodically)."""
    from customs_gateway.retries import check_overdue

    return check_overdue()
