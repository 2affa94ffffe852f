"""Recording that the broker took a message's task never waits for a worker's batch on PostgreSQL.

A worker's batch locks the waiting messages it takes (``FOR UPDATE SKIP LOCKED``) for the length of its
transaction; the HTTP request that just stored one of them must not wait that long for its 202. A message
being processed keeps no enqueue time; one whose batch rolled back is enqueued again by the sweeper.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from tests.integration.ingest_helpers import PARTNER_EDI_ID, interchange, make_partner

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_recording_the_enqueue_of_a_message_a_batch_holds_does_not_wait_for_that_batch(monkeypatch):
    from edi.models import MessageState, RawMessage
    from edi.services import enqueue, receive, requeue_stuck

    monkeypatch.setattr("edi.tasks.process_message.delay", lambda message_id: None)
    party, _key = make_partner()
    message = receive(interchange(PARTNER_EDI_ID, "ENQLOCK01", 0), channel="http", party=party).message
    RawMessage.objects.filter(pk=message.pk).update(enqueued_at=None)  # as if stored, its task not yet handed over
    locked, release, done = threading.Event(), threading.Event(), []

    def batch_holding_the_message() -> None:
        try:
            with transaction.atomic():
                list(RawMessage.objects.select_for_update(skip_locked=True).filter(pk=message.pk))
                locked.set()
                release.wait(timeout=30)
                transaction.set_rollback(True)  # the batch failed: the message waits again
        finally:
            connections.close_all()

    holder = threading.Thread(target=batch_holding_the_message)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        enqueuer = threading.Thread(target=lambda: done.append(enqueue(str(message.pk))))
        enqueuer.start()
        enqueuer.join(timeout=10)
        assert not enqueuer.is_alive(), "enqueue waited for the batch that holds the message"
        assert done == [True]
    finally:
        release.set()
        holder.join(timeout=30)
    stored = RawMessage.objects.get(pk=message.pk)
    assert (stored.state, stored.enqueued_at) == (MessageState.RECEIVED, None)
    assert requeue_stuck(grace=0) == (1, 0), "its batch rolled back: the sweeper enqueues it once more"
    assert RawMessage.objects.get(pk=message.pk).enqueued_at is not None
