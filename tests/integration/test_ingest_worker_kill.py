"""A Celery worker SIGKILLed with its pool children in the middle of a batch of 1,000 messages posted over
HTTP (1,000 interchanges of one CODECO each: 1,000 raw messages and tasks, 1,000 events) loses nothing and
doubles nothing: the next worker processes the rest, each message exactly once."""

from __future__ import annotations

import signal
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
    stack,
    start_worker,
    state_counts,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

MESSAGES = 1000


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(live_daphne, processes, subprocess_env):
    from edi.models import RawMessage

    fresh_processing_queues()
    _party, key = make_partner()
    bodies = batch(PARTNER_EDI_ID, MESSAGES)
    first = start_worker(processes, subprocess_env)
    poster = Poster(live_daphne.http, key, bodies).start()

    wait_for(
        lambda: RawMessage.objects.filter(state="processed").count() >= len(bodies) // 3,
        180,
        "a third of the batch processed by the first worker",
        [first, live_daphne.process],
    )
    family = stack.descendants_of(first.pid)
    assert family, "the prefork worker has pool children"
    first.stop(sig=signal.SIGKILL)  # the main PID, then every pool child it had
    assert stack.wait_dead([first.pid, *family], 10), "the worker and its pool children are gone"
    at_kill = state_counts([str(i) for i in RawMessage.objects.values_list("id", flat=True)])
    assert at_kill["processed"] < len(bodies), "killed in the middle of the batch"

    began = time.monotonic()
    second = start_worker(processes, subprocess_env)
    ids = accepted_ids(poster.join(timeout=300))
    assert len(ids) == len(bodies)
    wait_for(lambda: all_final(ids), 240, "every message processed after the restart", [second, live_daphne.process])
    assert_processed_exactly_once(ids, expected_events=MESSAGES)
    print(f"killed at {dict(at_kill)}; the second worker finished in {time.monotonic() - began:.1f}s")
    assert second.stop() == 0
