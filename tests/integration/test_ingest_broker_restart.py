"""RabbitMQ restarted in the middle of a batch of 1,000 messages posted over HTTP and of 300 more published
to the partners' exchange and consumed by a running ``manage.py consume_edi``: nothing lost, nothing doubled.

Every message is an interchange of one CODECO (1,300 raw messages, 1,300 tasks, 1,300 events).
While the broker is down the HTTP side keeps storing messages and answering 202 (the raw bytes are
committed), but their processing tasks cannot be published: those messages wait, never enqueued, until
``manage.py requeue_edi`` enqueues them once the broker is back. Tasks that were queued survive the restart
(durable queue, persistent messages); the worker reconnects; a task whose ack was lost runs again and
changes nothing. The same ``consume_edi`` process loses its connection, reconnects and consumes the rest of
the durable partner queue; a delivery it had stored but could not ack comes again and is answered as a
duplicate, as is a body the partner published again because its confirm was lost.
"""

from __future__ import annotations

import re
import sys
import time

import pytest

from tests.integration.amqp_helpers import Publisher
from tests.integration.ingest_helpers import (
    PARTNER_EDI_ID,
    PROCESS_DEAD,
    PROCESS_QUEUE,
    Poster,
    accepted_ids,
    all_final,
    amqp,
    assert_processed_exactly_once,
    batch,
    fresh_processing_queues,
    make_partner,
    server_down,
    start_sweeper,
    start_worker,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

MESSAGES = 1000
AMQP_MESSAGES = 300
DOWN_S = 4


@pytest.mark.django_db(transaction=True)
def test_a_broker_restart_mid_batch_loses_nothing_and_doubles_nothing(live_daphne, processes, subprocess_env):
    from edi.models import RawMessage

    fresh_processing_queues()
    _party, key = make_partner()
    bodies = batch(PARTNER_EDI_ID, MESSAGES)
    published = batch(PARTNER_EDI_ID, AMQP_MESSAGES, start=100_000)  # containers of their own
    worker = start_worker(processes, subprocess_env)
    sweeper = start_sweeper(processes, subprocess_env, grace=3, every=1)
    consumer = processes("consume-edi", [sys.executable, "manage.py", "consume_edi"], subprocess_env)
    consumer.wait_until(lambda: "consuming" in consumer.log(), 60, "consume_edi consuming")
    fresh_partner_queues()
    poster = Poster(live_daphne.http, key, bodies, rate=60).start()  # about 17 s of posting
    publisher = Publisher(key, published, rate=20).start()  # about 15 s of publishing
    watch = [worker, sweeper, consumer, live_daphne.process]
    wait_for(
        lambda: (
            poster.done >= len(bodies) // 4
            and RawMessage.objects.filter(state="processed", channel="amqp").exists()
            and RawMessage.objects.filter(state="processed", channel="http").exists()
        ),
        120,
        "a quarter of the batch posted and some processed from each channel",
        watch,
    )
    with server_down("rabbitmq") as timings:
        posted_before, published_before = poster.done, publisher.confirmed
        time.sleep(DOWN_S)  # the posts go on meanwhile
        posted_while_down = poster.done - posted_before
    began = time.monotonic()
    ids = accepted_ids(poster.join(timeout=300))
    assert len(ids) == len(bodies), "every post answered 202 with a stored message, broker or not"
    publisher.join(timeout=300)
    wait_for(
        lambda: len(amqp_originals()) == len(published) and all_final(ids + amqp_originals()),
        240,
        "every message processed after the broker restart",
        watch,
    )
    from edi.envelope import identify

    consumed = amqp_originals()
    references = RawMessage.objects.filter(pk__in=consumed).values_list("control_reference", flat=True)
    assert sorted(references) == sorted(identify(body).control_reference for body in published)
    verdict = assert_processed_exactly_once(
        ids + consumed, expected_events=MESSAGES + AMQP_MESSAGES, queues=queues_empty_at_the_end()
    )

    requeued = sum(int(n) for n in re.findall(r"requeued (\d+) messages", sweeper.log(10_000)))
    answered_twice = RawMessage.objects.filter(channel="amqp", state="duplicate").count()
    print(
        f"broker down {timings['stop_s']:.1f}+{DOWN_S}s, back in {timings['start_s']:.1f}s; "
        f"{posted_while_down} posts meanwhile, {requeued} messages requeued by requeue_edi; "
        f"AMQP: {published_before} confirmed before the restart, {publisher.published_again} published again, "
        f"{answered_twice} deliveries answered as duplicates; {verdict}; "
        f"all processed {time.monotonic() - began:.1f}s after the restart"
    )
    assert posted_while_down > 0, "the HTTP side kept storing while the broker was down"
    assert requeued > 0, "messages stored while the broker was down were enqueued again by requeue_edi"
    assert published_before < len(published), "the broker went down in the middle of the AMQP batch"
    assert consumer.alive(), consumer.log()
    log = consumer.log(10_000)
    assert "broker unavailable" in log and log.count("consuming") >= 2, f"consume_edi reconnected:\n{log}"


def queues_empty_at_the_end() -> tuple[str, ...]:
    from django.conf import settings

    return (PROCESS_QUEUE, PROCESS_DEAD, settings.PARTNER_QUEUE, f"{settings.PARTNER_QUEUE}.dead")


def fresh_partner_queues() -> None:
    from django.conf import settings

    from edi.management.commands.consume_edi import declare

    with amqp() as channel:
        declare(channel)
        channel.queue_purge(settings.PARTNER_QUEUE)
        channel.queue_purge(f"{settings.PARTNER_QUEUE}.dead")


def amqp_originals() -> list[str]:
    """The stored AMQP messages that are not duplicates (nor refusals)."""
    from edi.models import RawMessage

    rows = RawMessage.objects.filter(channel="amqp").exclude(state__in=("duplicate", "refused"))
    return [str(value) for value in rows.values_list("id", flat=True)]
