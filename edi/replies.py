"""Acknowledgements back on the channel a message came in: the partner's AMQP reply queue.

Published to the reply exchange (``PARTNER_REPLY_EXCHANGE``, direct) with the party's EDI
identity as routing key, persistent and with publisher confirms. Without an AMQP broker
(embedded mode) there is no AMQP channel to answer on; HTTP senders fetch theirs from
``/api/v1/edi/messages/{id}/ack``.
"""

from __future__ import annotations

import logging

import pika
from django.conf import settings

log = logging.getLogger(__name__)


def publish_reply(edi_id: str, body: bytes, message_id: str, content_type: str = "application/edifact") -> bool:
    """Publish one acknowledgement (a CONTRL/APERAK, or an XML receipt); False (logged) when the broker cannot take it now."""
    if not settings.PARTNER_AMQP_URL:
        return False
    try:
        from edi.amqp import connection_parameters

        connection = pika.BlockingConnection(connection_parameters(settings.PARTNER_AMQP_URL))
        try:
            channel = connection.channel()
            channel.confirm_delivery()
            channel.exchange_declare(settings.PARTNER_REPLY_EXCHANGE, exchange_type="direct", durable=True)
            channel.basic_publish(
                settings.PARTNER_REPLY_EXCHANGE,
                edi_id,
                body,
                pika.BasicProperties(
                    content_type=content_type,
                    delivery_mode=2,
                    correlation_id=message_id,
                    type="acknowledgement",
                ),
                mandatory=False,
            )
        finally:
            connection.close()
    except pika.exceptions.AMQPError as exc:
        log.warning("acknowledgement for %s not published to %s: %s", message_id, edi_id, exc)
        return False
    return True
