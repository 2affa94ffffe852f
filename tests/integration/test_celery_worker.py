"""A real ``celery -A hub worker`` process runs tasks published through RabbitMQ and writes to PostgreSQL."""

from __future__ import annotations

import signal
import sys
import time
import uuid

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DEAD_LETTER_ARGS = {"x-dead-letter-exchange": "logihub.dlx", "x-dead-letter-routing-key": "dead"}


def declare_app_queues() -> None:
    """Declare the queues exactly as the Celery app does (exchange, queue with its arguments, binding)."""
    from hub.celery import app

    with app.connection_for_write() as connection:
        channel = connection.default_channel
        for queue in app.amqp.queues.values():
            queue(channel).declare()


def queue_depth(amqp_channel, name: str) -> int:
    return amqp_channel().queue_declare(queue=name, passive=True).method.message_count


def test_the_celery_queue_is_durable_and_dead_letters_into_logihub_dead(amqp_channel):
    import pika
    from django.conf import settings

    assert settings.CELERY_TASK_DEFAULT_QUEUE == "logihub"
    declare_app_queues()
    channel = amqp_channel()
    # An equivalent declaration succeeds only if the queue is durable with exactly these arguments...
    channel.queue_declare(queue="logihub", durable=True, arguments=DEAD_LETTER_ARGS)
    channel.queue_declare(queue="logihub.dead", durable=True)
    # ...and a non-durable one is refused (406 PRECONDITION_FAILED) because the queue is durable.
    for name, arguments in (("logihub", DEAD_LETTER_ARGS), ("logihub.dead", None)):
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
            amqp_channel().queue_declare(queue=name, durable=False, arguments=arguments)
        assert refused.value.reply_code == 406, refused.value

    # The dead-letter route works: a message that expires in logihub lands in logihub.dead.
    channel.queue_purge("logihub")
    channel.queue_purge("logihub.dead")
    channel.confirm_delivery()
    marker = uuid.uuid4().hex
    properties = pika.BasicProperties(
        message_id=marker, expiration="1", delivery_mode=2, content_type="application/json"
    )
    channel.basic_publish(exchange="logihub", routing_key="logihub", body=b"{}", properties=properties)
    deadline = time.monotonic() + 10
    while True:
        method, props, _body = channel.basic_get("logihub.dead", auto_ack=False)
        if method is not None and props.message_id == marker:
            channel.basic_ack(method.delivery_tag)
            break
        if method is not None:
            channel.basic_nack(method.delivery_tag, requeue=True)
        assert time.monotonic() < deadline, "the expired message did not reach logihub.dead within 10s"
        time.sleep(0.05)
    death = props.headers["x-death"][0]
    assert death["queue"] == "logihub" and death["reason"] == "expired"


def start_worker(processes, subprocess_env):
    hostname = f"itest-{uuid.uuid4().hex[:8]}@localhost"
    cmd = [
        sys.executable, "-m", "celery", "-A", "hub", "worker", "-Q", "logihub", "-c", "1", "-P", "prefork",
        "-n", hostname, "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO",
        "-I", "tests.integration.itest_tasks",
    ]  # fmt: skip
    worker = processes("celery-worker", cmd, subprocess_env)
    worker.hostname = hostname
    return worker


@pytest.mark.django_db(transaction=True)
def test_a_task_published_to_rabbitmq_is_run_by_a_celery_worker_process_and_written_to_postgresql(
    processes, subprocess_env, amqp_channel
):
    from django.conf import settings

    from portal.models import WorkerHeartbeat
    from portal.tasks import record_heartbeat

    assert not settings.CELERY_TASK_ALWAYS_EAGER, "tasks must go through RabbitMQ here"
    declare_app_queues()
    amqp_channel().queue_purge("logihub")

    # Published while no worker runs: the task waits in the durable queue.
    record_heartbeat.delay()
    assert queue_depth(amqp_channel, "logihub") == 1

    worker = start_worker(processes, subprocess_env)
    beat = worker.wait_until(
        lambda: WorkerHeartbeat.objects.filter(hostname=worker.hostname).first(),
        timeout=90,
        what="the worker's heartbeat row in PostgreSQL",
    )
    assert beat.beats == 1

    for _ in range(3):
        record_heartbeat.delay()
    worker.wait_until(
        lambda: WorkerHeartbeat.objects.get(hostname=worker.hostname).beats == 4,
        timeout=30,
        what="three more heartbeats",
    )
    assert queue_depth(amqp_channel, "logihub") == 0, "every task acknowledged"

    # Warm shutdown: the main process exits by itself, its pool child with it.
    code = worker.stop()
    assert code == 0, f"worker exit status {code}:\n{worker.log()}"
    assert worker.killed_leftovers == [], "a pool child outlived the worker"
    assert "portal.record_heartbeat" in worker.log_path.read_text(errors="replace")


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_is_killed_mid_run_is_run_again_by_the_next_worker(processes, subprocess_env, amqp_channel):
    """Late acks: the broker keeps the message until a worker finishes it, so a SIGKILLed worker loses nothing."""
    from hub.celery import app
    from portal.models import WorkerHeartbeat

    declare_app_queues()
    amqp_channel().queue_purge("logihub")
    marker = f"itest-{uuid.uuid4().hex[:8]}"
    app.send_task("itest.slow_heartbeat", args=[marker, 4.0], queue="logihub")

    first = start_worker(processes, subprocess_env)
    first.wait_until(
        lambda: WorkerHeartbeat.objects.filter(hostname=f"{marker}-started").exists(), 90, "the task's start"
    )
    first.stop(sig=signal.SIGKILL)  # main process and pool child, mid-task
    assert not WorkerHeartbeat.objects.filter(hostname__startswith=f"{marker}-finished").exists()

    second = start_worker(processes, subprocess_env)
    finished = second.wait_until(
        lambda: WorkerHeartbeat.objects.filter(hostname__startswith=f"{marker}-finished").first(),
        90,
        "the task run to its end by the second worker",
    )
    assert finished.hostname == f"{marker}-finished-by-{second.hostname}"
    assert WorkerHeartbeat.objects.get(hostname=f"{marker}-started").beats == 2, "run twice: killed once, then done"
    assert queue_depth(amqp_channel, "logihub") == 0
    assert second.stop() == 0
