"""RabbitMQ restarted in the middle of a batch of 1,000 messages posted over HTTP: nothing lost, nothing doubled.

While the broker is down the HTTP side keeps storing messages and answering 202 (the raw bytes are
committed), but their processing tasks cannot be published: those messages wait, never enqueued, until
``manage.py requeue_edi`` enqueues them once the broker is back. Tasks that were queued survive the restart
(durable queue, persistent messages); the worker reconnects; a task whose ack was lost runs again and
changes nothing.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.integration.ingest_helpers import (
    PARTNER_EDI_ID,
    Poster,
    accepted_ids,
    all_final,
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
DOWN_S = 4


@pytest.mark.django_db(transaction=True)
def test_a_broker_restart_mid_batch_loses_nothing_and_doubles_nothing(live_daphne, processes, subprocess_env):
    from edi.models import RawMessage

    fresh_processing_queues()
    _party, key = make_partner()
    bodies = batch(PARTNER_EDI_ID, MESSAGES)
    worker = start_worker(processes, subprocess_env)
    sweeper = start_sweeper(processes, subprocess_env, grace=3, every=1)
    poster = Poster(live_daphne.http, key, bodies, rate=25).start()  # about 10 s of posting
    watch = [worker, sweeper, live_daphne.process]
    wait_for(
        lambda: poster.done >= len(bodies) // 4 and RawMessage.objects.filter(state="processed").exists(),
        120,
        "a quarter of the batch posted and some processed",
        watch,
    )
    with server_down("rabbitmq") as timings:
        posted_before = poster.done
        time.sleep(DOWN_S)  # the posts go on meanwhile
        posted_while_down = poster.done - posted_before
    began = time.monotonic()
    ids = accepted_ids(poster.join(timeout=300))
    assert len(ids) == len(bodies), "every post answered 202 with a stored message, broker or not"
    wait_for(lambda: all_final(ids), 240, "every message processed after the broker restart", watch)
    verdict = assert_processed_exactly_once(ids, expected_events=MESSAGES)

    requeued = sum(int(n) for n in re.findall(r"requeued (\d+) messages", sweeper.log(10_000)))
    print(
        f"broker down {timings['stop_s']:.1f}+{DOWN_S}s, back in {timings['start_s']:.1f}s; "
        f"{posted_while_down} posts meanwhile, {requeued} messages requeued by requeue_edi; {verdict}; "
        f"all processed {time.monotonic() - began:.1f}s after the restart"
    )
    assert posted_while_down > 0, "the HTTP side kept storing while the broker was down"
    assert requeued > 0, "messages stored while the broker was down were enqueued again by requeue_edi"
