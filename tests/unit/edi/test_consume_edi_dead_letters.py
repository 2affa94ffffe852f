"""consume_edi's dead letters: published without the key and acknowledged once confirmed, else rejected whole.

The broker side runs for real in tests/integration/test_ingest_bad_input.py; here a recording
channel answers ``basic_publish`` as pika's confirm mode does (returns, or raises NackError /
UnroutableError), so both branches of the decision are seen.
"""

from types import SimpleNamespace

import pika
import pytest

from edi.management.commands.consume_edi import Command

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _connection_kept_in_the_test_transaction(monkeypatch):
    """consume_edi closes stale connections before each delivery; here that one holds the test's transaction
    (on PostgreSQL every later query would find it closed), as Django's test client keeps it too."""
    monkeypatch.setattr("edi.management.commands.consume_edi.close_old_connections", lambda: None)


class RecordingChannel:
    def __init__(self, refuse: Exception | None = None) -> None:
        self.refuse = refuse
        self.calls: list[tuple] = []

    def basic_publish(self, exchange, routing_key, body, properties, mandatory=False):
        self.calls.append(("publish", exchange, body, properties.headers, mandatory))
        if self.refuse is not None:
            raise self.refuse

    def basic_ack(self, tag):
        self.calls.append(("ack", tag))

    def basic_reject(self, tag, requeue):
        self.calls.append(("reject", tag, requeue))


def deliver(channel, key: str) -> None:
    command = Command()
    command.handled = 0
    method = SimpleNamespace(delivery_tag=7, routing_key="partner.x", exchange="partners.inbound")
    properties = pika.BasicProperties(headers={"authorization": f"Api-Key {key}"}, content_type="text/plain")
    command.deliver(channel, method, properties, b"not a message at all")


def test_garbage_is_copied_to_the_dead_letters_without_the_key_then_acknowledged(party_key, settings):
    channel = RecordingChannel()
    deliver(channel, party_key)
    (publish, exchange, body, headers, mandatory), ack = channel.calls
    assert (publish, exchange, body, mandatory) == (
        "publish",
        settings.PARTNER_DEAD_LETTER_EXCHANGE,
        b"not a message at all",
        True,
    )
    assert "authorization" not in headers and party_key.split(".")[1] not in repr(headers)
    assert headers["x-logihub-routing-key"] == "partner.x" and headers["x-logihub-error-code"]
    assert ack == ("ack", 7)


@pytest.mark.parametrize("refusal", [pika.exceptions.NackError([]), pika.exceptions.UnroutableError([])])
def test_a_dead_letter_the_broker_does_not_confirm_leaves_the_delivery_to_the_queues_own_dead_lettering(
    party_key, refusal
):
    channel = RecordingChannel(refuse=refusal)
    deliver(channel, party_key)
    assert [call[0] for call in channel.calls] == ["publish", "reject"]
    assert channel.calls[-1] == ("reject", 7, False)  # never acknowledged: nothing lost
