"""Celery tasks of the tracking store: thin, ids in, one service call, a retry decision."""

from __future__ import annotations

from celery import shared_task

from tracking import webhooks
from tracking.exceptions import DeliveryFailed


@shared_task(bind=True, name="tracking.deliver_webhook", max_retries=None, acks_late=True)
def deliver_webhook(self, delivery_id: int) -> str:
    """One attempt at a webhook delivery; on failure, come back after the delivery's back-off.

    Run eagerly (embedded mode), a failed delivery is not retried inline, which would hold up
    the request that recorded the event: it waits for ``manage.py tracking deliver``.
    """
    try:
        return webhooks.deliver(delivery_id)
    except DeliveryFailed as exc:
        if exc.retryable and not self.request.is_eager:
            raise self.retry(countdown=exc.retry_in, exc=exc) from exc
        return "retrying"


@shared_task(bind=True, name="tracking.deliver_outbound", max_retries=None, acks_late=True)
def deliver_outbound(self, message_id: int) -> str:
    """One attempt at sending an outbound EDIFACT interchange; retried like a webhook delivery."""
    from tracking import outbound

    try:
        return outbound.deliver(message_id)
    except DeliveryFailed as exc:
        if exc.retryable and not self.request.is_eager:
            raise self.retry(countdown=exc.retry_in, exc=exc) from exc
        return "retrying"
