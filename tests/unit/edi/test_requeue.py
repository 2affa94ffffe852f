"""A message whose processing task the broker could not take at commit is kept and enqueued again later;
a database outage answers 503 with the error JSON; retries back off without using themselves up at once."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from edi.models import MessageState, RawMessage
from edi.services import enqueue, receive, requeue_stuck
from edi.tasks import backoff

pytestmark = pytest.mark.django_db

CODECO = (
    b"UNB+UNOA:2+TESTCARRIER+LOGIHUB+261125:0800+CTRL0042'UNH+1+CODECO:D:95B:UN'BGM+34+X+9'"
    b"EQD+CN+MSKU1234565'CNT+16:1'UNT+5+1'UNZ+1+CTRL0042'"
)


def broker_down(*args, **kwargs):
    raise BrokerError("[Errno 111] Connection refused")


def test_a_message_whose_task_the_broker_refused_is_stored_and_enqueued_again(
    party, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("edi.tasks.process_message.delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receive(CODECO, channel="http", party=party, content_type="application/edifact")
    stored = RawMessage.objects.get(pk=receipt.message.pk)
    assert (stored.state, stored.enqueued_at) == (MessageState.RECEIVED, None)

    assert requeue_stuck(grace=0) == (0, 1), "the broker is still down: it waits"
    sent = []
    monkeypatch.setattr("edi.tasks.process_message.delay", sent.append)
    assert requeue_stuck(grace=3600) == (0, 0), "not before its grace time"
    assert requeue_stuck(grace=0) == (1, 0)
    assert sent == [str(stored.pk)]
    assert RawMessage.objects.get(pk=stored.pk).enqueued_at is not None
    assert requeue_stuck(grace=0) == (0, 0), "enqueued once: not again until it is stale"


def test_an_enqueued_message_that_never_ran_is_enqueued_again_once_stale(party, monkeypatch):
    sent = []
    monkeypatch.setattr("edi.tasks.process_message.delay", sent.append)
    message = receive(CODECO, channel="http", party=party).message
    RawMessage.objects.filter(pk=message.pk).update(enqueued_at=timezone.now() - timedelta(hours=2))
    assert requeue_stuck(grace=0, stale=3600) == (1, 0)
    assert sent == [str(message.pk)]


def test_enqueue_says_whether_the_broker_took_the_task(party, monkeypatch):
    message = receive(CODECO, channel="http", party=party).message
    monkeypatch.setattr("edi.tasks.process_message.delay", broker_down)
    assert enqueue(str(message.pk)) is False
    monkeypatch.setattr("edi.tasks.process_message.delay", lambda message_id: None)
    assert enqueue(str(message.pk)) is True


def test_retries_back_off_exponentially_and_never_below_half_the_step():
    for retries, (low, high) in enumerate([(1, 2), (2, 4), (4, 8), (8, 16), (16, 32)]):
        for _ in range(50):
            assert low <= backoff(retries) <= high
    assert backoff(20) <= 120


def test_a_database_outage_is_answered_503_with_the_error_json(api_client, party_key, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr("edi.api.views.receive", down)
    response = api_client.post(
        "/api/v1/edi/inbound",
        data=CODECO,
        content_type="application/edifact",
        HTTP_AUTHORIZATION=f"Api-Key {party_key}",
    )
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["error"]["code"] == "unavailable"


def test_the_enqueue_time_is_recorded_only_for_a_message_still_waiting(party, monkeypatch):
    monkeypatch.setattr("edi.tasks.process_message.delay", lambda message_id: None)
    message = receive(CODECO, channel="http", party=party).message
    RawMessage.objects.filter(pk=message.pk).update(state=MessageState.PROCESSED)
    assert enqueue(str(message.pk)) is True
    assert RawMessage.objects.get(pk=message.pk).enqueued_at is None, "done already: nothing to requeue"
    RawMessage.objects.filter(pk=message.pk).update(state=MessageState.RECEIVED)
    assert enqueue(str(message.pk)) is True
    assert RawMessage.objects.get(pk=message.pk).enqueued_at is not None
