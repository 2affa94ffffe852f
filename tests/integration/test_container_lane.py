"""A partner's container read on a real Daphne over PostgreSQL and Redis: the first is Django's, the next
ones the event loop's lane (``tracking/fastlane.py``), with the same status, headers and body."""

from __future__ import annotations

import http.client

import pytest
from django.db import connection

from tests.unit.tracking.builders import BOX, build_event
from tracking.apikeys import issue_key
from tracking.models import Access, Party
from tracking.store import record_events

pytestmark = [pytest.mark.integration, pytest.mark.slow]
LANE_STATEMENT = "WITH c AS MATERIALIZED (SELECT"


def get(port: int, path: str, key: str) -> tuple[int, dict[str, str], bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        client.request("GET", path, headers={"Authorization": f"Api-Key {key}", "Accept-Language": "zh-CN"})
        response = client.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders() if name.lower() != "date"}
        return response.status, headers, response.read()
    finally:
        client.close()


def lane_connections() -> int:
    """Idle connections to the test database whose last statement was the container answer's.

    The live Daphne's Django closes its connection after every request (``DB_CONN_MAX_AGE=0`` in
    ``subprocess_env``); the lane keeps its pool's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND state = 'idle' AND query LIKE %s",
            [LANE_STATEMENT + "%"],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_lanes_answer_over_daphne_is_djangos(live_daphne):
    forwarder = Party.objects.create(name="Lane Forwarder", edi_id="LANEFWD", role="forwarder")
    record_events(
        [
            build_event("GTIN", at="2026-11-01T08:00:00+08:00", bill="BLLANE"),
            build_event("HOLD", kind="CUSTOMS", authority="CNCUSTOMS", declaration="DEC7", at="2026-11-02T09:00:00Z"),
        ]
    )
    Access.objects.create(party=forwarder, kind="EQ", reference=BOX, reason="named")
    _key, clear = issue_key(party=forwarder, name="lane")
    assert lane_connections() == 0

    answers = [get(live_daphne.port, f"/api/v1/containers/{BOX}", clear) for _ in range(3)]

    assert [status for status, _headers, _body in answers] == [200, 200, 200], answers[0][2][:300]
    assert answers[0] == answers[1] == answers[2]
    status, headers, body = answers[0]
    assert headers["content-language"] == "zh-hans" and "frame-ancestors 'none'" in headers["content-security-policy"]
    assert b"DEC7" in body and int(headers["content-length"]) == len(body)
    assert lane_connections() >= 1, live_daphne.process.log()
    unknown = get(live_daphne.port, "/api/v1/containers/MSCU1234566", clear)
    assert unknown[0] == 404 and b"not_found" in unknown[2]
