"""A partner's container answer served on the server's event loop: no thread hop, no Django request.

``GET /api/v1/containers/{number}`` with an API key is the platform's busiest read: forwarders' and
carriers' systems poll it, and it is one prepared statement (``tracking/readsql.py``). Through Django
it runs on the HTTP thread pool (``hub/asgi_http.py``): with the hop from the event loop to a pool
thread and back, the middleware and DRF, its p99 over HTTP was 4 to 5 times the statement's on the
benchmark machine (issue 5 asks for 3; ``bench/tracking_query.py``). Running Django on the loop
itself, without the hop, took off a tenth; answered here, without Django, the p99 is 2.5 times the
statement's (2026-12-05: 1.59 ms against 0.63; Django on the pool, same run: 2.87). Here the event
loop answers the plain case itself, by the same rules and with the same bytes:

- the key must be one this process recognised and keeps (``apikeys.kept_key``), a party's (a
  reader's key has no business here), whose use need not be recorded now (``apikeys.touch_due``);
- the statement is ``readsql``'s for that party, on a psycopg asyncio pool of connections to the same
  database, prepared once per connection; the body is ``queries.container_body``'s;
- the partner rate counts the request in the same cache (``throttling.partner_key_admitted``);
- the headers are those Django's middleware gave the last such answer in the same language and
  scheme (learned from it: Content-Security-Policy, X-Frame-Options, Vary... stay the middleware's
  business, and no copy of its rules can drift from them).

Nothing is refused here: anything else is passed on to Django, which answers as always. Another
method, path, query string or ``Accept``; a request body; a host Django would refuse; a key not kept
(unknown, revoked, or its keeping expired: Django asks the database and keeps it again); a use to
record; the rate exceeded (Django's throttle answers 429); an unknown or invisible container (404);
a database that does not answer in time (503); a language or scheme whose headers are not learned
yet. So the first request of each kind, and about one every ``API_KEY_CACHE_SECONDS`` for each key,
goes through Django. The tests hold both answers equal, byte for byte (``test_fastlane.py``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import NamedTuple

import psycopg
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from django.utils import translation
from psycopg_pool import AsyncConnectionPool

from tracking import apikeys, queries, readsql
from tracking.api.throttling import partner_key_admitted
from tracking.authentication import KEYWORD
from tracking.visibility import Viewer

log = logging.getLogger(__name__)

PREFIX = "/api/v1/containers/"
#: ``Accept`` values DRF answers with its JSON renderer and nothing else (no ``indent`` parameter).
JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})
#: The longest container number the lane takes from a path (longer ones are Django's to refuse).
NUMBER_MAX = 64
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


class Ticket(NamedTuple):
    """A request the lane may answer: the container, the clear key, and the headers' variant."""

    reference: str
    key: str
    variant: tuple[str, bool]  # (language, secure)


class _Request(HttpRequest):
    """Just enough of a request for Django's own host, scheme and language rules."""

    def __init__(self, scheme: str) -> None:
        super().__init__()
        self._scheme = scheme

    def _get_scheme(self) -> str:
        return self._scheme


class ContainerLane:
    """Built once per server process, at start-up (``hub/asgi.py``); used on its event loop."""

    def __init__(self, connections: int | None = None, wait: float | None = None) -> None:
        from django.db import connection

        self.sql = readsql.container(Viewer(party_ids=(0,)), "", queries.TIMELINE_LIMIT)[0]
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)  # Django's blocking cursor class; the pool's are asyncio ones
        self.connect_kwargs = {**params, "autocommit": True}
        self.connections = connections or settings.HTTP_FAST_LANE_CONNECTIONS
        self.wait = settings.HTTP_FAST_LANE_WAIT_MS / 1000 if wait is None else wait
        self.pool: AsyncConnectionPool | None = None
        self.cache = caches["default"]  # one backend object for the loop (throttling.partner_key_admitted)
        self.opening = asyncio.Lock()
        self.headers: dict[tuple[str, bool], list[tuple[bytes, bytes]]] = {}

    @staticmethod
    def usable() -> bool:
        """The lane can stand in for Django here: PostgreSQL, and no middleware rule it does not apply."""
        from django.db import connection

        return (
            settings.HTTP_FAST_LANE
            and connection.vendor == "postgresql"
            and not settings.DISALLOWED_USER_AGENTS
            and not settings.PREPEND_WWW
        )

    # ------------------------------------------------------------------ which requests

    def ticket(self, scope: dict) -> Ticket | None:
        """A ticket for a request the lane may answer, or None for Django's (no I/O)."""
        path = scope.get("path", "")
        if scope.get("method") != "GET" or scope.get("query_string") or scope.get("root_path"):
            return None
        if not path.startswith(PREFIX):
            return None
        number = path[len(PREFIX) :]
        if not number or len(number) > NUMBER_MAX or "/" in number or not number.isprintable():
            return None
        fields: dict[str, str] = {}
        for name, value in scope.get("headers", ()):
            name = name.decode("latin-1").lower()
            if name in fields:
                return None  # a repeated header: Django's way of joining them is its own
            fields[name] = value.decode("latin-1")
        if "content-length" in fields or "transfer-encoding" in fields:
            return None
        if fields.get("accept", "").strip() not in JSON_ACCEPTS:
            return None
        scheme, _space, key = fields.get("authorization", "").partition(" ")
        if scheme != KEYWORD or not key.strip():
            return None
        request = _Request(scope.get("scheme", "http"))
        request.META = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in fields.items()}
        server = scope.get("server") or ("127.0.0.1", 80)
        request.META.update(SERVER_NAME=str(server[0]), SERVER_PORT=str(server[1]))
        request.COOKIES = parse_cookie(fields.get("cookie", ""))
        try:
            request.get_host()
        except DisallowedHost:
            return None
        reference = queries.normalise_container(number)
        if not reference:
            return None
        language = translation.get_language_from_request(request)
        return Ticket(reference, key.strip(), (language, request.is_secure()))

    # ------------------------------------------------------------------ answering

    async def answer(self, ticket: Ticket) -> Answer | None:
        """The container's answer as Django would give it, or None to leave the request to Django."""
        headers = self.headers.get(ticket.variant)
        key = apikeys.kept_key(ticket.key)
        if headers is None or key is None or key.party_id is None or apikeys.touch_due(key):
            return None
        viewer = Viewer(party_ids=(key.party_id,))
        try:
            rows = await self._rows(readsql.container_params(viewer, ticket.reference))
        except (psycopg.Error, OSError, TimeoutError) as exc:
            log.warning("container lane: the database did not answer, Django will: %s", exc)
            return None
        if not rows or not rows[0][readsql.VISIBLE]:
            return None  # Django's 404, the same for an unknown and an invisible container
        if not await partner_key_admitted(key.pk, self.cache):
            return None  # the throttle's 429 with its Retry-After
        body = queries.container_body(*queries.container_answer(ticket.reference, rows[0]))
        length = str(len(body)).encode("ascii")
        return 200, [(name, length if name == b"content-length" else value) for name, value in headers], body

    def learn(self, ticket: Ticket, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        """Keep the headers of Django's answer to a ticketed request, for that request's variant."""
        names = [name for name, _value in headers]
        if status != 200 or b"set-cookie" in names or names.count(b"content-length") != 1:
            return
        if (b"content-type", b"application/json") not in headers:
            return
        self.headers[ticket.variant] = list(headers)  # Content-Length's value is replaced when answering

    async def _rows(self, params: list) -> list[tuple]:
        pool = await self._pool()
        async with pool.connection(timeout=self.wait) as conn, conn.cursor() as cursor:
            await cursor.execute(self.sql, params, prepare=True)
            return await cursor.fetchall()

    async def _pool(self) -> AsyncConnectionPool:
        if self.pool is not None:
            return self.pool
        async with self.opening:
            if self.pool is None:
                self.pool = AsyncConnectionPool(
                    kwargs=self.connect_kwargs, min_size=1, max_size=self.connections, open=False, name="container-lane"
                )
                await self.pool.open(wait=False)
        return self.pool

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()
            self.pool = None
