"""Partners on the AMQP channel of the ingestion tests: one that waits for each reply (``Partner``) and one
that publishes a batch in the background through broker restarts (``Publisher``)."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
import uuid

import pika
import pytest

from tests.integration.ingest_helpers import PARTNER_EDI_ID, broker_params

ROUTING_KEY = "partner.inbound"


def delivery_properties(key: str | None, **more) -> pika.BasicProperties:
    headers = {} if key is None else {"authorization": f"Api-Key {key}"}
    return pika.BasicProperties(content_type="application/edifact", delivery_mode=2, headers=headers, **more)


class Partner:
    """A partner on the AMQP channel: publishes with confirms, reads its replies and acknowledgements."""

    def __init__(self, channel, key: str):
        from django.conf import settings

        from edi.management.commands.consume_edi import declare

        self.channel, self.key = channel, key
        declare(channel)
        channel.queue_purge(settings.PARTNER_QUEUE)
        channel.queue_purge(f"{settings.PARTNER_QUEUE}.dead")
        channel.confirm_delivery()
        self.replies = channel.queue_declare("", exclusive=True).method.queue
        self.acks = channel.queue_declare("", exclusive=True).method.queue
        channel.queue_bind(self.acks, settings.PARTNER_REPLY_EXCHANGE, routing_key=PARTNER_EDI_ID)
        self.exchange = settings.PARTNER_EXCHANGE
        self.received: dict[str, dict] = {}

    def publish(self, body: bytes, name: str, key: str | None = "") -> str:
        correlation = f"{name}-{uuid.uuid4().hex[:6]}"
        headers = {} if key is None else {"authorization": f"Api-Key {key or self.key}"}
        self.channel.basic_publish(
            self.exchange,
            "partner.inbound",
            body,
            pika.BasicProperties(
                content_type="application/edifact",
                delivery_mode=2,
                headers=headers,
                reply_to=self.replies,
                correlation_id=correlation,
            ),
            mandatory=True,
        )
        return correlation

    def reply(self, correlation: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while correlation not in self.received:
            method, properties, body = self.channel.basic_get(self.replies, auto_ack=True)
            if method is None:
                assert time.monotonic() < deadline, f"no reply to {correlation} within {timeout:.0f}s"
                time.sleep(0.05)
                continue
            self.received[properties.correlation_id] = json.loads(body)
        return self.received.pop(correlation)

    def acknowledgements(self) -> dict[str, bytes]:
        """The acknowledgements published to this partner so far, by raw message id."""
        found = {}
        while True:
            method, properties, body = self.channel.basic_get(self.acks, auto_ack=True)
            if method is None:
                return found
            found[properties.correlation_id] = body

    def dead_letters(self) -> list[tuple[dict, bytes]]:
        from django.conf import settings

        dead = []
        while True:
            method, properties, body = self.channel.basic_get(f"{settings.PARTNER_QUEUE}.dead", auto_ack=True)
            if method is None:
                return dead
            dead.append((properties.headers or {}, body))


class Publisher:
    """Publishes ``bodies`` to the partners' exchange in the background, ``rate`` a second, as a partner's
    system would: with publisher confirms, and when the broker goes away, connecting again and publishing
    again every body the broker had not confirmed. A body whose confirm was lost with the connection may so
    reach the broker twice: the consumer must answer the second one as a duplicate."""

    def __init__(self, key: str, bodies: list[bytes], rate: float, deadline_s: float = 240):
        from django.conf import settings

        self.key, self.bodies, self.interval = key, bodies, 1 / rate
        self.exchange = settings.PARTNER_EXCHANGE
        self.deadline = time.monotonic() + deadline_s
        self.confirmed = 0
        self.published_again = 0
        self.reconnects = 0
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name="amqp-publisher")

    def _run(self) -> None:
        connection = channel = None
        unconfirmed = False
        logging.getLogger("pika").setLevel(logging.CRITICAL)  # every refused reconnection is logged at ERROR
        try:
            while self.confirmed < len(self.bodies):
                if time.monotonic() > self.deadline:
                    raise TimeoutError(f"{self.confirmed}/{len(self.bodies)} confirmed before the deadline")
                try:
                    if channel is None:
                        connection = pika.BlockingConnection(broker_params())
                        channel = connection.channel()
                        channel.confirm_delivery()
                    self.published_again += unconfirmed
                    unconfirmed = True
                    body = self.bodies[self.confirmed]
                    channel.basic_publish(
                        self.exchange, ROUTING_KEY, body, delivery_properties(self.key), mandatory=True
                    )
                    unconfirmed = False
                    self.confirmed += 1
                    time.sleep(self.interval)
                except (pika.exceptions.AMQPError, OSError):
                    if connection is not None:
                        self.reconnects += 1
                        with contextlib.suppress(Exception):
                            connection.close()
                    connection = channel = None
                    time.sleep(0.5)
        except BaseException as exc:  # reported by join()
            self.error = exc
        finally:
            if connection is not None:
                with contextlib.suppress(Exception):
                    connection.close()

    def start(self) -> Publisher:
        self._thread.start()
        return self

    def join(self, timeout: float = 300) -> None:
        self._thread.join(timeout)
        if self._thread.is_alive():
            pytest.fail(f"publishing did not finish within {timeout:.0f}s ({self.confirmed}/{len(self.bodies)})")
        if self.error is not None:
            raise self.error
