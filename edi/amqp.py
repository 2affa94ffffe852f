"""The partners' AMQP channel: one delivery in, one decision out (ack, dead-letter or retry).

Partners publish raw EDIFACT or XML to the ``partners.inbound`` exchange with their API key
in the ``authorization`` header (``Api-Key <key>``, as over HTTP). A delivery is acknowledged
only after its raw message has committed; what can never be stored (no or wrong key, not a
message, wrong sender, too large) is dead-lettered: the consumer publishes it whole to the
dead-letter exchange with its key taken out of the headers (``dead_letter_headers``: the key's
public prefix and the error instead; a dead-letter queue is read by operators and kept, a key
must not sit in it) and acknowledges it once the broker confirmed the copy; if the copy cannot
be published the delivery is rejected and the queue dead-letters it as it came. A database
outage leaves the delivery unacknowledged for redelivery. When the delivery names
``reply_to``, the receipt (or the error) is published there, correlated by
``correlation_id``; acknowledgements produced by processing go to the reply exchange,
routed by the party's EDI identity.
"""

from __future__ import annotations

import enum
import json
import logging
from dataclasses import dataclass

from django.db import DatabaseError, InterfaceError

from edi.exceptions import EdiError
from edi.models import Channel
from edi.services import receive
from tracking.apikeys import find_key, public_part

log = logging.getLogger(__name__)


class Decision(enum.Enum):
    ACK = "ack"  # stored (or a duplicate of something stored): remove from the queue
    DEAD = "dead"  # can never be stored: reject without requeue, the queue dead-letters it
    RETRY = "retry"  # transient failure: reject with requeue, try again later


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    reply: dict


def _error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message, "position": None}}


def handle_delivery(body: bytes, headers: dict | None) -> Outcome:
    """Store one delivery as a raw message; decide what to tell the broker and the sender."""
    headers = headers or {}
    raw_auth = headers.get("authorization") or headers.get("Authorization") or ""
    if isinstance(raw_auth, bytes):
        raw_auth = raw_auth.decode("latin-1")
    scheme, _sep, raw_key = str(raw_auth).partition(" ")
    try:
        key = find_key(raw_key.strip()) if scheme == "Api-Key" else None
    except (DatabaseError, InterfaceError) as exc:
        log.warning("database unavailable while checking a key: %s", exc)
        return Outcome(Decision.RETRY, _error("unavailable", "temporarily unavailable"))
    if key is None or key.party is None:
        return Outcome(
            Decision.DEAD, _error("invalid_key", "a partner's API key is required in the authorization header")
        )
    try:
        receipt = receive(
            body, channel=Channel.AMQP, party=key.party, content_type=str(headers.get("content_type", ""))
        )
    except EdiError as exc:
        return Outcome(Decision.DEAD, {"error": exc.as_dict()})
    except (DatabaseError, InterfaceError) as exc:
        log.warning("database unavailable while storing a delivery: %s", exc)
        return Outcome(Decision.RETRY, _error("unavailable", "temporarily unavailable"))
    reply = {
        "id": str(receipt.message.id),
        "state": receipt.message.state,
        "duplicate": receipt.duplicate,
        "duplicateOf": str(receipt.duplicate_of.id) if receipt.duplicate_of else None,
    }
    return Outcome(Decision.ACK, reply)


#: Headers of a delivery that may carry a credential: never copied into a dead letter.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "api-key", "x-api-key"})


def key_prefix(raw_auth: str) -> str:
    """The public part of an ``Api-Key lh_<prefix>.<secret>`` header (``lh_<prefix>``), or ''."""
    scheme, _sep, raw_key = raw_auth.partition(" ")
    return public_part(raw_key.strip()) if scheme == "Api-Key" else ""


def dead_letter_headers(headers: dict | None, outcome: Outcome) -> dict:
    """A dead letter's headers: the delivery's own without credentials, the key's prefix, the error.

    An operator reading the dead-letter queue sees which key (by its prefix, as the admin lists
    keys) sent what and why it was refused, and never a key that would let them send as the partner.
    """
    kept = {name: value for name, value in (headers or {}).items() if str(name).lower() not in SECRET_HEADERS}
    raw_auth = next((v for k, v in (headers or {}).items() if str(k).lower() == "authorization"), "")
    if isinstance(raw_auth, bytes):
        raw_auth = raw_auth.decode("latin-1")
    error = outcome.reply.get("error") or {}
    kept["x-logihub-key-prefix"] = key_prefix(str(raw_auth))
    kept["x-logihub-error-code"] = str(error.get("code", ""))
    kept["x-logihub-error"] = str(error.get("message", ""))[:1000]
    return kept


def connection_parameters(url: str):
    """pika parameters for a broker URL written as Celery/kombu write it.

    ``amqp://user:pass@host:5672//`` means the virtual host ``/`` to kombu (and in our settings), but
    pika reads the empty name between the two slashes and the broker refuses it (access denied).
    """
    from urllib.parse import urlsplit, urlunsplit

    import pika

    parts = urlsplit(url)
    if parts.path in ("", "/", "//"):
        url = urlunsplit((parts.scheme, parts.netloc, "/%2F", parts.query, parts.fragment))
    return pika.URLParameters(url)


def encode_reply(reply: dict) -> bytes:
    return json.dumps(reply).encode("utf-8")
