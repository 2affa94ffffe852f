"""``consume_edi``: consume the partners' AMQP exchange; ack each delivery only after it is committed.

Reconnects with back-off when the broker restarts; prefetch 1 with manual acks, so a killed
consumer loses nothing (the broker redelivers what was not acknowledged). What can never be
stored is copied to the dead-letter exchange without its key (``edi.amqp.dead_letter_headers``)
and acknowledged only once the broker confirmed the copy.
"""

from __future__ import annotations

import time

import pika
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from edi.amqp import Decision, connection_parameters, dead_letter_headers, encode_reply, handle_delivery


def declare(channel) -> None:
    """The exchange, the durable queue and its dead-letter queue (idempotent)."""
    channel.exchange_declare(settings.PARTNER_EXCHANGE, exchange_type="topic", durable=True)
    channel.exchange_declare(settings.PARTNER_DEAD_LETTER_EXCHANGE, exchange_type="fanout", durable=True)
    channel.exchange_declare(settings.PARTNER_REPLY_EXCHANGE, exchange_type="direct", durable=True)
    channel.queue_declare(f"{settings.PARTNER_QUEUE}.dead", durable=True)
    channel.queue_bind(f"{settings.PARTNER_QUEUE}.dead", settings.PARTNER_DEAD_LETTER_EXCHANGE)
    channel.queue_declare(
        settings.PARTNER_QUEUE,
        durable=True,
        arguments={"x-dead-letter-exchange": settings.PARTNER_DEAD_LETTER_EXCHANGE},
    )
    channel.queue_bind(settings.PARTNER_QUEUE, settings.PARTNER_EXCHANGE, routing_key="#")


class Command(BaseCommand):
    help = "Consume raw EDI/XML messages from the partners' AMQP exchange."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--max-messages", type=int, default=0, help="stop after this many deliveries (0: never)")
        parser.add_argument("--idle-exit", type=float, default=0, help="stop after this many idle seconds (0: never)")

    def handle(self, *args, **options) -> None:
        if not settings.PARTNER_AMQP_URL:
            raise CommandError("no AMQP broker configured: set PARTNER_AMQP_URL or CELERY_BROKER_URL")
        self.handled = 0
        self.max_messages = options["max_messages"]
        idle_exit = options["idle_exit"]
        delay = 1.0
        while True:
            self.connected = False
            try:
                self.consume(idle_exit)
                return
            except (pika.exceptions.AMQPConnectionError, pika.exceptions.ChannelWrongStateError) as exc:
                if self.connected:  # a broker that was up and went away: back-off starts over
                    delay = 1.0
                self.stderr.write(f"broker unavailable ({type(exc).__name__}); reconnecting in {delay:.0f} s")
                time.sleep(delay)
                delay = min(delay * 2, 30)

    def consume(self, idle_exit: float) -> None:
        params = connection_parameters(settings.PARTNER_AMQP_URL)
        params.heartbeat = 30
        connection = pika.BlockingConnection(params)
        try:
            channel = connection.channel()
            channel.confirm_delivery()
            declare(channel)
            channel.basic_qos(prefetch_count=1)
            self.connected = True
            self.stdout.write(f"consuming {settings.PARTNER_QUEUE}")
            for method, properties, body in channel.consume(settings.PARTNER_QUEUE, inactivity_timeout=idle_exit or 1):
                if method is None:
                    if idle_exit:
                        return
                    continue
                self.deliver(channel, method, properties, body)
                if self.max_messages and self.handled >= self.max_messages:
                    return
        finally:
            if connection.is_open:
                connection.close()

    def deliver(self, channel, method, properties, body: bytes) -> None:
        close_old_connections()
        headers = dict(properties.headers or {})
        headers.setdefault("content_type", properties.content_type or "")
        outcome = handle_delivery(body, headers)
        if outcome.decision is Decision.RETRY:
            time.sleep(1)
            channel.basic_nack(method.delivery_tag, requeue=True)
            return
        if properties.reply_to:
            channel.basic_publish(
                "",
                properties.reply_to,
                encode_reply(outcome.reply),
                pika.BasicProperties(
                    content_type="application/json", correlation_id=properties.correlation_id, delivery_mode=2
                ),
            )
        if outcome.decision is Decision.ACK:
            channel.basic_ack(method.delivery_tag)
        else:
            self.dead_letter(channel, method, properties, body, dead_letter_headers(properties.headers, outcome))
        self.handled += 1

    def dead_letter(self, channel, method, properties, body: bytes, headers: dict) -> None:
        """Copy the delivery, key removed, to the dead-letter exchange; ack it once confirmed, else reject it."""
        headers["x-logihub-routing-key"] = method.routing_key or ""
        copy = pika.BasicProperties(
            content_type=properties.content_type,
            content_encoding=properties.content_encoding,
            message_id=properties.message_id,
            correlation_id=properties.correlation_id,
            timestamp=properties.timestamp,
            app_id=properties.app_id,
            headers=headers,
            delivery_mode=2,
        )
        try:  # the channel is in confirm mode: this returns once the broker has the copy
            channel.basic_publish(settings.PARTNER_DEAD_LETTER_EXCHANGE, "", body, copy, mandatory=True)
        except (pika.exceptions.UnroutableError, pika.exceptions.NackError) as exc:
            self.stderr.write(f"dead letter not confirmed ({type(exc).__name__}): rejected to the queue's own")
            channel.basic_reject(method.delivery_tag, requeue=False)
            return
        channel.basic_ack(method.delivery_tag)
