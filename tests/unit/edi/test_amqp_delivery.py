"""One AMQP delivery in, one decision out: ack after commit, dead-letter the unstorable, retry outages."""

import pytest
from django.db import OperationalError

from edi.amqp import Decision, handle_delivery
from edi.models import RawMessage

pytestmark = pytest.mark.django_db

CODECO = (
    b"UNB+UNOA:2+TESTCARRIER+LOGIHUB+261125:0800+CTRL0009'UNH+1+CODECO:D:95B:UN'BGM+34+X+9'"
    b"EQD+CN+MSKU1234565'CNT+16:1'UNT+5+1'UNZ+1+CTRL0009'"
)


def test_a_good_delivery_is_stored_then_acknowledged(party_key):
    outcome = handle_delivery(CODECO, {"authorization": f"Api-Key {party_key}"})
    assert outcome.decision is Decision.ACK
    assert RawMessage.objects.get(pk=outcome.reply["id"]).channel == "amqp"


def test_a_redelivered_interchange_is_acknowledged_as_a_duplicate(party_key):
    handle_delivery(CODECO, {"authorization": f"Api-Key {party_key}"})
    again = handle_delivery(CODECO, {"authorization": f"Api-Key {party_key}".encode()})
    assert again.decision is Decision.ACK and again.reply["duplicate"] is True


@pytest.mark.parametrize(
    "headers",
    [
        None,
        {},
        {"authorization": "Api-Key lh_0.x"},
        {"authorization": "Bearer x"},
        {"authorization": "Api-Key lh_\x00.x"},
    ],
)
def test_a_delivery_without_a_valid_key_is_dead_lettered(headers):
    outcome = handle_delivery(CODECO, headers)
    assert outcome.decision is Decision.DEAD
    assert outcome.reply["error"]["code"] == "invalid_key"


@pytest.mark.parametrize("body", [b"", b"\x00\x01\x02", b"PK\x03\x04" + b"\x00" * 100])
def test_garbage_is_dead_lettered_with_a_clear_error(party_key, body):
    outcome = handle_delivery(body, {"authorization": f"Api-Key {party_key}"})
    assert outcome.decision is Decision.DEAD
    assert outcome.reply["error"]["message"]


def test_a_database_outage_asks_for_redelivery(party_key, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("edi.amqp.receive", down)
    outcome = handle_delivery(CODECO, {"authorization": f"Api-Key {party_key}"})
    assert outcome.decision is Decision.RETRY


def test_a_content_type_with_control_characters_is_stored_without_them(party_key):
    # on PostgreSQL a NUL in it failed the insert, which read as an outage: redelivered for ever
    outcome = handle_delivery(CODECO, {"authorization": f"Api-Key {party_key}", "content_type": "text/plain\x00\n"})
    assert outcome.decision is Decision.ACK
    assert RawMessage.objects.get(pk=outcome.reply["id"]).content_type == "text/plain"


def test_a_dead_letter_keeps_the_headers_and_the_keys_prefix_never_the_key(party_key):
    from edi.amqp import dead_letter_headers

    headers = {"authorization": f"Api-Key {party_key}".encode(), "X-Api-Key": party_key, "batch": "7"}
    outcome = handle_delivery(b"not a message", headers)
    dead = dead_letter_headers(headers, outcome)
    assert outcome.decision is Decision.DEAD
    assert party_key.split(".")[1] not in repr(dead)
    assert dead["x-logihub-key-prefix"] == party_key.split(".")[0] and dead["batch"] == "7"
    assert dead["x-logihub-error-code"] == outcome.reply["error"]["code"] and dead["x-logihub-error"]


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "Bearer lh_ab.cd",
        "Api-Key",
        "Api-Key lh_ab",
        "Api-Key nokey.x",
        "Api-Key lh_\x00.x",
        "Api-Key lh_" + "a" * 99 + ".x",
    ],
)
def test_a_header_that_is_no_key_leaves_no_prefix_in_the_dead_letter(raw):
    from edi.amqp import dead_letter_headers

    outcome = handle_delivery(CODECO, {"authorization": raw})
    dead = dead_letter_headers({"authorization": raw}, outcome)
    assert "authorization" not in dead and dead["x-logihub-key-prefix"] == ""
    assert dead["x-logihub-error-code"] == "invalid_key"
