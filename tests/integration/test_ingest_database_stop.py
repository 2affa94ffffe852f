"""PostgreSQL stopped for a few seconds while a batch of 1,000 messages is posted and processed.

The HTTP side answers every post either 202 (stored) or 503 with the error JSON and ``Retry-After``
(nothing half-done: the partner sends it again, and a message that was committed after all is then
answered as a duplicate of itself). The worker's tasks meet the outage too and retry with back-off.
Afterwards every message is stored once and processed exactly once.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from tests.integration.ingest_helpers import (
    PARTNER_EDI_ID,
    Poster,
    all_final,
    assert_processed_exactly_once,
    batch,
    fresh_processing_queues,
    make_partner,
    originals_of,
    server_down,
    start_worker,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

MESSAGES = 1000
DOWN_S = 4


@pytest.mark.django_db(transaction=True)
def test_postgresql_stopped_under_load_loses_nothing_and_doubles_nothing(live_daphne, processes, subprocess_env):
    from edi.models import RawMessage

    fresh_processing_queues()
    party, key = make_partner()
    bodies = batch(PARTNER_EDI_ID, MESSAGES)
    worker = start_worker(processes, subprocess_env)
    poster = Poster(live_daphne.http, key, bodies, rate=60, retry=(503,), deadline_s=120).start()
    watch = [worker, live_daphne.process]
    wait_for(
        lambda: poster.done >= len(bodies) // 4 and RawMessage.objects.filter(state="processed").exists(),
        120,
        "a quarter of the batch posted and some processed",
        watch,
    )
    with server_down("postgresql") as timings:
        time.sleep(DOWN_S)
    began = time.monotonic()
    answers = poster.join(timeout=300)

    finals = Counter(answer.status for answer in answers)
    assert finals == Counter({202: len(bodies)}), f"final answers: {finals}"
    refusals = [refusal for answer in answers for refusal in answer.retried]
    assert refusals, "some posts met the outage"
    for status, body, headers in refusals:
        assert status == 503 and body["error"]["code"] == "unavailable" and headers.get("retry-after"), (status, body)

    ids = originals_of(party)
    assert len(ids) == len(bodies), "each interchange stored once"
    for answer in answers:
        if answer.body["duplicate"]:  # its first post was committed although its answer was a 503
            assert answer.retried and answer.body["duplicateOf"] in ids
        else:
            assert answer.body["id"] in ids
    wait_for(lambda: all_final(ids), 240, "every message processed after the outage", watch)
    verdict = assert_processed_exactly_once(ids, expected_events=MESSAGES)
    retried = sum(1 for line in worker.log(100_000).splitlines() if "retry: Retry in" in line)
    print(
        f"PostgreSQL down {timings['stop_s']:.1f}+{DOWN_S}s, back in {timings['start_s']:.1f}s: "
        f"{len(refusals)} posts answered 503 and sent again, {retried} task retries; {verdict}; "
        f"all processed {time.monotonic() - began:.1f}s after"
    )
