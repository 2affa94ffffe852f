"""The container lane (``tracking/fastlane.py``): which requests it may answer, and that its answers are
Django's, byte for byte, or Django's own when it steps aside.

The answering tests need PostgreSQL (the lane reads through psycopg's asyncio pool, on its own
connections, so the data is committed first): they run in the PostgreSQL pass of the unit suite
(``tests/integration/run.py --database-only``) and in ``make test``.
"""

from __future__ import annotations

import asyncio
import contextvars
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone

from hub.asgi_http import ThreadedWsgiHttp
from hub.release import ReleasingWsgiHandler
from tests.unit.tracking.builders import BOX, OTHER_BOX, build_event
from tracking import apikeys
from tracking.fastlane import ContainerLane, Ticket

KEY = "lh_abc123.secret-part"


def scope(path: str = f"/api/v1/containers/{BOX}", *, method: str = "GET", query: bytes = b"", headers=(), **extra):
    base = [(b"host", b"testserver"), (b"authorization", f"Api-Key {KEY}".encode())]
    names = {name for name, _value in headers}
    return {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "root_path": "",
        "scheme": "http",
        "http_version": "1.1",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 40000),
        "headers": [*(h for h in base if h[0] not in names), *headers],
        **extra,
    }


# ---------------------------------------------------------------------------------------- tickets


@pytest.fixture
def lane() -> ContainerLane:
    return ContainerLane(connections=2, wait=0.2)


def test_a_plain_partner_read_gets_a_ticket_with_its_container_language_and_scheme(lane):
    ticket = lane.ticket(scope(f"/api/v1/containers/{BOX.lower()}"))
    assert ticket == Ticket(BOX, KEY, ("en", False))


@pytest.mark.parametrize(
    ("what", "request_scope"),
    [
        ("a POST", scope(method="POST")),
        ("a HEAD", scope(method="HEAD")),
        ("a query string", scope(query=b"format=json")),
        ("another path", scope("/api/v1/shipments/BL1")),
        ("the list itself", scope("/api/v1/containers/")),
        ("a deeper path", scope(f"/api/v1/containers/{BOX}/x")),
        ("a NUL", scope(f"/api/v1/containers/{BOX}\x00")),
        ("an overlong number", scope("/api/v1/containers/" + "A" * 65)),
        ("no key", scope(headers=[(b"authorization", b"")])),
        ("a session or bearer caller", scope(headers=[(b"authorization", b"Bearer abc")])),
        ("a key header with nothing after it", scope(headers=[(b"authorization", b"Api-Key   ")])),
        ("the browsable API", scope(headers=[(b"accept", b"text/html")])),
        ("JSON with parameters", scope(headers=[(b"accept", b"application/json; indent=4")])),
        ("a body", scope(headers=[(b"content-length", b"3")])),
        ("a chunked body", scope(headers=[(b"transfer-encoding", b"chunked")])),
        ("a repeated header", scope(headers=[(b"accept", b"*/*"), (b"accept", b"text/html")])),
        ("a host Django refuses", scope(headers=[(b"host", b"evil.example")])),
        ("a mounted application", scope(root_path="/x")),
        ("a number that is only spaces", scope("/api/v1/containers/   ")),
    ],
)
def test_anything_else_is_left_to_django(lane, what, request_scope):
    assert lane.ticket(request_scope) is None, what


@pytest.mark.parametrize("accept", [b"*/*", b"application/json"])
def test_a_json_accept_is_the_lanes(lane, accept):
    assert lane.ticket(scope(headers=[(b"accept", accept)])) is not None


def test_the_language_is_chosen_as_django_chooses_it(lane):
    assert lane.ticket(scope(headers=[(b"accept-language", b"zh-CN,zh;q=0.9")])).variant == ("zh-hans", False)
    cookie = [(b"accept-language", b"zh-CN"), (b"cookie", b"django_language=en")]
    assert lane.ticket(scope(headers=cookie)).variant == ("en", False)


def test_the_scheme_is_the_servers_or_a_trusted_proxys(lane):
    assert lane.ticket(scope(scheme="https")).variant == ("en", True)
    forwarded = scope(headers=[(b"x-forwarded-proto", b"https")])
    assert lane.ticket(forwarded).variant == ("en", False)  # not trusted without the setting
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert lane.ticket(forwarded).variant == ("en", True)


def test_only_a_plain_json_200_is_learned(lane):
    ticket = lane.ticket(scope())
    json_headers = [(b"content-type", b"application/json"), (b"content-length", b"2")]
    lane.learn(ticket, 404, json_headers)
    lane.learn(ticket, 200, [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", b"2")])
    lane.learn(ticket, 200, [*json_headers, (b"set-cookie", b"csrftoken=x")])
    assert lane.headers == {}
    lane.learn(ticket, 200, json_headers)
    assert lane.headers == {("en", False): json_headers}


def test_the_lane_stands_in_for_django_on_postgresql_only():
    assert ContainerLane.usable() is (connection.vendor == "postgresql")
    with override_settings(HTTP_FAST_LANE=False):
        assert ContainerLane.usable() is False
    with override_settings(DISALLOWED_USER_AGENTS=["curl"]):
        assert ContainerLane.usable() is False


# ---------------------------------------------------------------------------------------- answers


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the lane reads PostgreSQL through psycopg's asyncio pool (this runs in the PostgreSQL pass)")


@pytest.fixture
def partner(postgresql, transactional_db, make_party):
    from tracking.models import Access
    from tracking.store import record_events

    forwarder = make_party("FWD1")
    record_events(
        [
            build_event("GTIN", at="2026-11-01T08:00:00+08:00", facility="YSPIV", booking="BK1", bill="BL1"),
            build_event("LOAD", at="2026-11-02T08:00:00+08:00", vessel=("9839131", "DEMO HARMONY"), bill="BL1"),
            build_event("HOLD", kind="CUSTOMS", authority="CNCUSTOMS", declaration="DEC9", at="2026-11-02T09:00:00Z"),
            build_event("GTIN", box=OTHER_BOX, at="2026-11-01T09:00:00+08:00", bill="BL1"),
        ]
    )
    Access.objects.create(party=forwarder, kind="TRD", reference="BL1", reason="named")
    key, clear = apikeys.issue_key(party=forwarder, name="lane")
    apikeys.forget()
    yield forwarder, key, clear
    apikeys.forget()


class Server:
    """The production HTTP application with a lane, called in process; records who answered."""

    def __init__(self) -> None:
        self.lane = ContainerLane(connections=2, wait=0.5)
        self.app = ThreadedWsgiHttp(ReleasingWsgiHandler(), threads=1, lane=self.lane)
        self.answered_by: list[str] = []
        answer = self.lane.answer

        async def recorded(ticket):
            result = await answer(ticket)
            self.answered_by.append("lane" if result is not None else "django")
            return result

        self.lane.answer = recorded

    async def get(self, path: str, key: str, *headers) -> tuple[int, list, bytes]:
        messages = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            messages.append(message)

        request_scope = scope(path, headers=[(b"authorization", f"Api-Key {key}".encode()), *headers])
        await asyncio.create_task(self.app(request_scope, receive, send))  # a task each, as Daphne runs them
        start, body = messages
        return start["status"], start["headers"], body["body"]

    async def close(self) -> None:
        """The lane's pool, and the Django thread's connection (the test database is dropped after)."""
        await self.lane.close()
        await asyncio.wrap_future(self.app.executor.submit(connections.close_all))
        self.app.executor.shutdown()

    def run(self, *requests) -> list[tuple[int, list, bytes]]:
        async def all_of():
            try:
                return [await self.get(*request) for request in requests]
            finally:
                await self.close()

        return asyncio.run(all_of())


def test_the_lanes_answer_is_djangos_byte_for_byte(partner):
    _forwarder, _key, clear = partner
    server = Server()
    zh = (b"accept-language", b"zh-CN")
    first, second, other, zh_first, zh_second = server.run(
        (f"/api/v1/containers/{BOX}", clear),
        (f"/api/v1/containers/{BOX.lower()}", clear),
        (f"/api/v1/containers/{OTHER_BOX}", clear),
        (f"/api/v1/containers/{BOX}", clear, zh),
        (f"/api/v1/containers/{BOX}", clear, zh),
    )
    assert server.answered_by == ["django", "lane", "lane", "django", "lane"]
    assert first == second and zh_first == zh_second
    assert first[0] == 200 and (b"content-language", b"zh-hans") in zh_second[1]
    assert b'"state":"HOLD"' in first[2] and b"DEC9" in first[2] and b"DEMO HARMONY" in first[2]
    assert other[0] == 200 and OTHER_BOX.encode() in other[2]
    assert dict(other[1])[b"content-length"] == str(len(other[2])).encode()


def test_what_the_lane_may_not_answer_django_answers(partner, make_party):
    forwarder, _key, clear = partner
    stranger = make_party("FWD2")
    _other_key, other_clear = apikeys.issue_key(party=stranger, name="other")
    server = Server()
    known, unknown, invisible_learned, invisible = server.run(
        (f"/api/v1/containers/{BOX}", other_clear),  # Django: not visible, 404
        ("/api/v1/containers/MSCU1234566", clear),  # Django (nothing learned yet): unknown, 404
        (f"/api/v1/containers/{BOX}", clear),  # Django, learned
        (f"/api/v1/containers/{BOX}", other_clear),  # the lane steps aside: not visible to this party
    )
    assert [known[0], unknown[0], invisible_learned[0], invisible[0]] == [404, 404, 200, 404]
    assert server.answered_by == ["django", "django", "django", "django"]
    assert invisible[2] == known[2]


def test_a_revoked_key_stops_at_once(partner):
    _forwarder, key, clear = partner
    server = Server()

    async def revoke_between():
        try:
            first = await server.get(f"/api/v1/containers/{BOX}", clear)
            await asyncio.wrap_future(server.app.executor.submit(apikeys.revoke, key))
            second = await server.get(f"/api/v1/containers/{BOX}", clear)
            return first, second
        finally:
            await server.close()

    first, second = asyncio.run(revoke_between())
    assert (first[0], second[0]) == (200, 401)
    assert server.answered_by == ["django", "django"]


def test_a_use_to_record_goes_through_django(partner):
    _forwarder, key, clear = partner
    server = Server()
    answers = server.run((f"/api/v1/containers/{BOX}", clear), (f"/api/v1/containers/{BOX}", clear))
    assert [a[0] for a in answers] == [200, 200] and server.answered_by == ["django", "lane"]
    kept = apikeys.kept_key(clear)
    kept.last_used_at = timezone.now() - timedelta(minutes=2)
    server = Server()
    server.lane.headers = {("en", False): answers[0][1]}
    server.run((f"/api/v1/containers/{BOX}", clear))
    assert server.answered_by == ["django"]
    key.refresh_from_db()
    assert timezone.now() - key.last_used_at < timedelta(minutes=1)


def test_the_partner_rate_counts_the_lanes_answers_too(partner):
    _forwarder, _key, clear = partner
    from rest_framework.settings import api_settings

    from tracking.api.throttling import PartnerRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "partner": "3/minute"}
    original = PartnerRateThrottle.THROTTLE_RATES
    PartnerRateThrottle.THROTTLE_RATES = rates
    try:
        server = Server()
        answers = server.run(*[(f"/api/v1/containers/{BOX}", clear)] * 4)
    finally:
        PartnerRateThrottle.THROTTLE_RATES = original
    assert [a[0] for a in answers] == [200, 200, 200, 429]
    assert server.answered_by == ["django", "lane", "lane", "django"]
    assert dict(answers[3][1]).get(b"retry-after")


def test_a_database_that_does_not_answer_leaves_the_request_to_django(partner):
    _forwarder, _key, clear = partner
    server = Server()
    server.lane.connect_kwargs = {**server.lane.connect_kwargs, "port": 1, "connect_timeout": 1}
    server.lane.wait = 0.2
    first, second = server.run((f"/api/v1/containers/{BOX}", clear), (f"/api/v1/containers/{BOX}", clear))
    assert (first[0], second[0]) == (200, 200) and first == second
    assert server.answered_by == ["django", "django"]


def test_the_lane_builds_no_cache_object_per_request(partner, monkeypatch):
    """Django keeps cache objects per context (asgiref Local): the ``cache`` proxy used from each
    request's task would build a backend, and for Redis a client and a connection, every time."""
    from hub.cache import LocalCache

    _forwarder, _key, clear = partner
    server = Server()
    built = []
    original = LocalCache.__init__

    def counted(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(LocalCache, "__init__", counted)
    server.run(*[(f"/api/v1/containers/{BOX}", clear)] * 2)  # Django answers the first (its own thread's cache)
    built.clear()
    server = Server()
    server.lane.headers = {("en", False): [(b"content-type", b"application/json"), (b"content-length", b"0")]}
    # as in a server process whose main context never asked Django for the cache before its loop ran
    contextvars.Context().run(server.run, *[(f"/api/v1/containers/{BOX}", clear)] * 5)
    assert server.answered_by == ["lane"] * 5 and built == []
