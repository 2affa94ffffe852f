"""The three servers of the integration stack answer, and this process's Django uses them."""

from __future__ import annotations

import os
import uuid

import pytest

pytestmark = pytest.mark.integration


@pytest.mark.django_db
def test_postgresql_15_answers_and_is_the_django_database(integration_stack):
    from django.db import connection

    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int, current_database()")
        version_num, database = cursor.fetchone()
    assert version_num >= 150000, f"PostgreSQL {version_num}: the platform targets 15 or later"
    assert database.startswith("test_"), "pytest-django's test database, not the real one"
    assert integration_stack.versions["postgresql"]["version"].startswith(str(version_num // 10000))


def test_rabbitmq_accepts_a_connection_and_round_trips_a_message(amqp_channel, integration_stack):
    import pika

    channel = amqp_channel()
    channel.confirm_delivery()
    queue = channel.queue_declare(queue="", exclusive=True, auto_delete=True).method.queue
    body = uuid.uuid4().hex.encode()
    channel.basic_publish(exchange="", routing_key=queue, body=body, properties=pika.BasicProperties(delivery_mode=2))
    method, _properties, received = channel.basic_get(queue, auto_ack=True)
    assert method is not None and received == body
    assert integration_stack.versions["rabbitmq"]["version"].startswith("3.")


def test_redis_answers_ping(integration_stack):
    import redis

    client = redis.Redis.from_url(os.environ["CHANNEL_LAYER_URL"], socket_timeout=5, socket_connect_timeout=5)
    try:
        assert client.ping() is True
        assert int(client.info("server")["redis_version"].split(".")[0]) >= 6
    finally:
        client.close()


def test_the_channel_layer_of_this_process_is_redis_and_carries_a_message():
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    assert type(layer).__name__ == "RedisChannelLayer"
    channel = async_to_sync(layer.new_channel)("itest.")
    marker = uuid.uuid4().hex
    async_to_sync(layer.send)(channel, {"type": "itest.ping", "marker": marker})
    assert async_to_sync(layer.receive)(channel)["marker"] == marker
