"""Originals, their replacements and cancellations posted shuffled, four at a time, to a real Daphne, processed
by two real Celery worker processes on PostgreSQL: each document ends with exactly what its latest report says,
and the statuses are those a rebuild from the events gives.

A replacement corrects either the gate time (same container) or the container number (another container: no
row the two workers write is shared, only the document's advisory lock orders them); a cancellation takes the
gate move away. Arrival order is random, so some replacements and cancellations are processed before their
originals, some beside them in the other worker.
"""

from __future__ import annotations

import random
from io import StringIO

import pytest

from tests.integration.ingest_helpers import (
    PARTNER_EDI_ID,
    Poster,
    all_final,
    container,
    fresh_processing_queues,
    make_partner,
    originals_of,
    start_worker,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DOCUMENTS = 120
BASE = 500_000  # container numbers of their own


def report(control: str, document: str, function: str, box: int, hour: int, prepared: str) -> bytes:
    """A CODECO D.95B gate-in of container ``box`` at ``hour``:00, document ``document``, BGM 1225 ``function``."""
    return (
        f"UNA:+.? 'UNB+UNOC:3+{PARTNER_EDI_ID}:ZZZ+LOGIHUB:ZZZ+261125:{prepared}+{control}'"
        f"UNH+1+CODECO:D:95B:UN:ITG14'BGM+34+{document}+{function}'NAD+CF+COSU:160:20'"
        f"EQD+CN+{container(box)}+45G1:102:5++2+5'DTM+7:20261120{hour:02d}00:203'"
        f"LOC+11+CNSHA:139:6'CNT+16:1'UNT+8+1'UNZ+1+{control}'"
    ).encode("latin-1")


def plan() -> tuple[list[bytes], dict[str, tuple[int, int] | None]]:
    """The bodies to post, and per document what should stand: (container, hour), or None when cancelled."""
    bodies, expected = [], {}
    for n in range(DOCUMENTS):
        document, box = f"RPL{n:05d}", BASE + n
        bodies.append(report(f"O{n:06d}", document, "9", box, 8, "1200"))
        if n % 3 == 0:  # the gate time corrected
            bodies.append(report(f"R{n:06d}", document, "5", box, 9, "1300"))
            expected[document] = (box, 9)
        elif n % 3 == 1:  # the container number corrected
            bodies.append(report(f"R{n:06d}", document, "5", box + 10_000, 8, "1300"))
            expected[document] = (box + 10_000, 8)
        else:  # cancelled
            bodies.append(report(f"C{n:06d}", document, "1", box, 8, "1400"))
            expected[document] = None
    random.Random(20261205).shuffle(bodies)
    return bodies, expected


def _snapshot() -> dict:
    from tracking.models import ContainerStatus

    return {
        row.equipment.reference: (row.milestone, row.milestone_at, row.milestone_event_id)
        for row in ContainerStatus.objects.select_related("equipment").filter(equipment__reference__startswith="ITGU5")
    }


@pytest.mark.django_db(transaction=True)
def test_replacements_and_cancellations_in_any_order_leave_each_document_as_its_latest_report_says(
    live_daphne, processes, subprocess_env
):
    from django.core.management import call_command

    from tracking.models import Event

    fresh_processing_queues()
    party, key = make_partner()
    bodies, expected = plan()
    worker = start_worker(processes, subprocess_env)
    answers = Poster(live_daphne.http, key, bodies, retry=()).run(timeout=300)
    assert {answer.status for answer in answers} == {202}
    ids = originals_of(party)
    assert len(ids) == len(bodies)
    wait_for(lambda: all_final(ids), 240, "every report processed", watch=[worker])

    current: dict[str, set[tuple[str, str]]] = {}
    for payload in Event.objects.filter(equipment_reference__startswith="ITGU5").values_list("payload", flat=True):
        document = payload["source"]["document"]["number"]
        current.setdefault(document, set()).add((payload["equipmentReference"], payload["eventDateTime"]))
    for document, stands in expected.items():
        want = set() if stands is None else {(container(stands[0]), f"2026-11-20T{stands[1]:02d}:00:00+00:00")}
        assert current.get(document, set()) == want, document
    assert Event.every.filter(equipment_reference__startswith="ITGU5").count() == DOCUMENTS + DOCUMENTS // 3 * 2
    incremental = _snapshot()
    assert len(incremental) == DOCUMENTS // 3 * 2  # a cancelled gate-in's container has no status left
    call_command("tracking", "rebuild", stdout=StringIO())
    assert _snapshot() == incremental
