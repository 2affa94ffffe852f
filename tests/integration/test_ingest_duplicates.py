"""A tenth of a batch of 1,000 messages sent twice, in a shuffled order, four posts at a time: each
duplicate is answered once as a duplicate of the copy that arrived first, nothing is processed or stored twice.

Half of the repeats are byte-identical resends; the other half are the same interchange (sender and
control reference) sent again with another preparation time, as a partner's resend tool does.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from tests.integration.ingest_helpers import (
    PARTNER_EDI_ID,
    HttpClient,
    Poster,
    all_final,
    assert_processed_exactly_once,
    batch,
    fresh_processing_queues,
    make_partner,
    originals_of,
    start_worker,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

MESSAGES = 1000


@pytest.mark.django_db(transaction=True)
def test_a_tenth_of_a_batch_duplicated_and_reordered_is_reported_once_each_and_never_doubled(
    live_daphne, processes, subprocess_env
):
    from edi.models import RawMessage

    fresh_processing_queues()
    party, key = make_partner()
    bodies = batch(PARTNER_EDI_ID, MESSAGES)
    rng = random.Random(20261125)
    repeated = sorted(rng.sample(range(len(bodies)), len(bodies) // 10))
    sends = [(n, body) for n, body in enumerate(bodies)]
    for i, n in enumerate(repeated):
        again = bodies[n] if i % 2 else bodies[n].replace(b"+261125:1200+", b"+261125:1305+", 1)
        sends.append((n, again))
    rng.shuffle(sends)
    worker = start_worker(processes, subprocess_env)
    answers = Poster(live_daphne.http, key, [body for _n, body in sends], retry=()).run(timeout=300)

    assert Counter(answer.status for answer in answers) == Counter({202: len(sends)})
    by_interchange: dict[int, list[dict]] = {}
    for (n, _body), answer in zip(sends, answers, strict=True):
        by_interchange.setdefault(n, []).append(answer.body)
    for n, received in by_interchange.items():
        originals = [body for body in received if not body["duplicate"]]
        duplicates = [body for body in received if body["duplicate"]]
        assert len(originals) == 1, f"interchange {n}: {received}"
        assert len(duplicates) == (1 if n in repeated else 0), f"interchange {n}: {received}"
        for body in duplicates:
            assert body["duplicateOf"] == originals[0]["id"] and body["state"] == "duplicate"
    duplicate_ids = [answer.body["id"] for answer in answers if answer.body["duplicate"]]
    assert len(duplicate_ids) == len(repeated)

    ids = originals_of(party)
    assert len(ids) == len(bodies)
    wait_for(lambda: all_final(ids), 240, "every message processed", [worker, live_daphne.process])
    verdict = assert_processed_exactly_once(ids, expected_events=MESSAGES)
    assert RawMessage.objects.filter(pk__in=duplicate_ids, state="duplicate", attempts=0).count() == len(repeated)

    client = HttpClient(live_daphne.http, key)
    status, detail = client.get_json(f"/api/v1/edi/messages/{duplicate_ids[0]}")
    assert status == 200 and detail["state"] == "duplicate", detail
    print(f"{len(sends)} posts, {len(repeated)} of them repeats, each answered once as a duplicate; {verdict}")
