"""The partners' AMQP channel: one delivery in, one decision out (ack, dead-letter or retry).

Partners publish raw EDIFACT or XML to the ``partners.inbound`` exchange with their API key
in the ``authorization`` header (``Api-Key <key>``, as over HTTP). A delivery is acknowledged
only after its raw message has committed; what can never be stored (no or wrong key, not a
message, wrong sender, too large) is rejected without requeue and so dead-lettered; a
database outage leaves the delivery unacknowledged for redelivery. When the delivery names
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
from tracking.apikeys import find_key

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
