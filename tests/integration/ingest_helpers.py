"""Helpers of the ingestion fault tests (``test_ingest_*.py``): small interchanges, partners, HTTP clients,
Celery workers, the exactly-once check, and (re-exported from ``server_restarts.py``) restarting a server
of the stack in place.

A batch of N messages is N interchanges of one CODECO message each, as a partner's system sends one
gate-in at a time: N raw messages over HTTP, N processing tasks, N events. Each message reports the gate-in
of its own container, so its one event has an eventID no other message of the batch shares: the expected
event count of a batch is its message count.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from tests.integration.server_restarts import _reconnect, server_down, stack, stack_state  # noqa: F401  (re-exported)

FINAL = ("processed", "partially processed", "rejected")
PARTNER_EDI_ID = "ITCARRIER"
PROCESS_QUEUE, PROCESS_DEAD = "logihub", "logihub.dead"
# Messages per interchange in a batch: one, so that 1,000 messages are 1,000 raw messages and 1,000 tasks
SIZES = (1,)


# --------------------------------------------------------------------------------------------- messages


def container(n: int) -> str:
    """A valid ISO 6346 container number of its own for every ``n`` below a million."""
    from stdnum import iso6346

    base = f"ITGU{n:06d}"
    return base + iso6346.calc_check_digit(base)


def interchange(sender: str, reference: str, first: int, messages: int = 1) -> bytes:
    """One interchange of ``messages`` CODECO gate-ins, containers ``first`` .. ``first + messages - 1``."""
    parts = [f"UNA:+.? 'UNB+UNOC:3+{sender}:ZZZ+LOGIHUB:ZZZ+261125:1200+{reference}'"]
    for i in range(messages):
        n = first + i
        day, minute = 1 + n % 28, n % 1440
        parts.append(
            f"UNH+{i + 1}+CODECO:D:95B:UN:ITG14'BGM+34+GATE{reference}{i}+9'NAD+CF+COSU:160:20'"
            f"EQD+CN+{container(n)}+45G1:102:5++2+5'DTM+7:202611{day:02d}{minute // 60:02d}{minute % 60:02d}:203'"
            f"LOC+11+CNSHA:139:6'CNT+16:1'UNT+8+{i + 1}'"
        )
    parts.append(f"UNZ+{messages}+{reference}'")
    return "".join(parts).encode("latin-1")


def batch(
    sender: str, messages: int, sizes: tuple[int, ...] = SIZES, tag: str | None = None, start: int = 0
) -> list[bytes]:
    """``messages`` messages in interchanges of ``sizes[0]``, ``sizes[1]``, ... messages (cycling), each
    interchange with its own control reference and every message with its own container (numbers from
    ``start`` on: two batches of one test take distinct ranges)."""
    tag = tag or uuid.uuid4().hex[:6].upper()
    bodies, first = [], 0
    while first < messages:
        count = min(sizes[len(bodies) % len(sizes)], messages - first)
        bodies.append(interchange(sender, f"{tag}{len(bodies):06d}", start + first, count))
        first += count
    return bodies


# --------------------------------------------------------------------------------------------- partners


def make_partner(edi_id: str = PARTNER_EDI_ID, role: str = "carrier"):
    """A committed party with its EDI identity and a fresh API key: (party, clear key)."""
    from tracking.apikeys import issue_key
    from tracking.models import Party

    party, _ = Party.objects.get_or_create(edi_id=edi_id, defaults={"name": f"Party {edi_id}", "role": role})
    _key, clear = issue_key(party=party, name="integration")
    return party, clear


# ------------------------------------------------------------------------------------------------- HTTP


@dataclass
class Answer:
    """The answers one body got, the last one deciding (earlier ones were retried)."""

    statuses: list[int] = field(default_factory=list)
    body: dict | None = None
    headers: dict = field(default_factory=dict)
    retried: list[tuple[int, dict | None, dict]] = field(default_factory=list)  # (status, body, headers)

    @property
    def status(self) -> int | None:
        return self.statuses[-1] if self.statuses else None


class HttpClient:
    """One keep-alive connection to the server (one per thread); reconnects when the server drops it."""

    def __init__(self, base: str, key: str | None = None, timeout: float = 60):
        parts = urlsplit(base)
        self.host, self.port, self.key, self.timeout = parts.hostname, parts.port, key, timeout
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, dict]:
        headers = dict(headers or {})
        if self.key and "Authorization" not in headers:
            headers["Authorization"] = f"Api-Key {self.key}"
        for attempt in range(3):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
            except (http.client.HTTPException, ConnectionError, OSError):
                self.close()
                if attempt == 2:
                    raise
                time.sleep(0.2)
        raise AssertionError("unreachable")

    def post(self, body: bytes, content_type: str = "application/edifact", headers: dict | None = None):
        status, raw, answer_headers = self.request(
            "POST", "/api/v1/edi/inbound", body, {"Content-Type": content_type, **(headers or {})}
        )
        return status, _json(raw), answer_headers

    def get_json(self, path: str) -> tuple[int, dict | None]:
        status, raw, _headers = self.request("GET", path)
        return status, _json(raw)

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):
                self.connection.close()
        self.connection = None


def _json(raw: bytes) -> dict | None:
    try:
        return json.loads(raw)
    except ValueError:
        return None


class Poster:
    """Posts bodies over HTTP with ``clients`` concurrent connections, in the background.

    A body answered with a status in ``retry`` (503: the database is away) is posted again after a short
    pause, as a partner would, until ``deadline_s``; every answer is kept. ``rate`` (bodies/s, all clients
    together) paces the posting, so that a fault injected meanwhile lands in the middle of it."""

    def __init__(
        self, base: str, key: str, bodies: list[bytes], clients=4, retry=(503,), deadline_s=180, rate: float = 0
    ):
        self.base, self.key, self.bodies, self.clients = base, key, bodies, clients
        self.interval = clients / rate if rate else 0
        self.retry, self.deadline = set(retry), time.monotonic() + deadline_s
        self.answers = [Answer() for _ in bodies]
        self.done = 0
        self._lock = threading.Lock()
        self._local = threading.local()
        self._thread = threading.Thread(target=self._run, daemon=True, name="poster")
        self.error: BaseException | None = None

    def _client(self) -> HttpClient:
        if not hasattr(self._local, "client"):
            self._local.client = HttpClient(self.base, self.key)
        return self._local.client

    def _post(self, index: int) -> None:
        answer = self.answers[index]
        began = time.monotonic()
        while True:
            status, body, headers = self._client().post(self.bodies[index])
            answer.statuses.append(status)
            answer.body, answer.headers = body, headers
            if status not in self.retry or time.monotonic() > self.deadline:
                break
            answer.retried.append((status, body, headers))
            time.sleep(0.25)
        with self._lock:
            self.done += 1
        time.sleep(max(0.0, self.interval - (time.monotonic() - began)))

    def _run(self) -> None:
        try:
            with ThreadPoolExecutor(self.clients) as pool:
                list(pool.map(self._post, range(len(self.bodies))))
        except BaseException as exc:  # reported by join()
            self.error = exc

    def start(self) -> Poster:
        self._thread.start()
        return self

    def join(self, timeout: float = 300) -> list[Answer]:
        self._thread.join(timeout)
        if self._thread.is_alive():
            pytest.fail(f"posting did not finish within {timeout:.0f}s ({self.done}/{len(self.bodies)} answered)")
        if self.error is not None:
            raise self.error
        return self.answers

    def run(self, timeout: float = 300) -> list[Answer]:
        return self.start().join(timeout)


def originals_of(party) -> list[str]:
    """The ids of the party's stored messages that are not duplicates or refusals."""
    from edi.models import RawMessage

    rows = RawMessage.objects.filter(party=party).exclude(state__in=("duplicate", "refused"))
    return [str(value) for value in rows.values_list("id", flat=True)]


def accepted_ids(answers: Iterable[Answer]) -> list[str]:
    """The ids of the messages stored as originals (202, not a duplicate); fails on any other final answer."""
    ids, refused = [], Counter()
    for answer in answers:
        if answer.status == 202 and answer.body and not answer.body["duplicate"]:
            ids.append(answer.body["id"])
        elif answer.status != 202:
            refused[(answer.status, json.dumps(answer.body)[:200])] += 1
    assert not refused, f"bodies finally refused: {dict(refused)}"
    return ids


# ---------------------------------------------------------------------------------------------- workers


def start_worker(processes, env: dict, concurrency: int = 2):
    """A real ``celery -A hub worker`` on the processing queue (prefork, ``concurrency`` pool children)."""
    hostname = f"ingest-{uuid.uuid4().hex[:8]}@localhost"
    cmd = [
        sys.executable, "-m", "celery", "-A", "hub", "worker", "-Q", PROCESS_QUEUE, "-c", str(concurrency),
        "-P", "prefork", "-n", hostname, "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO",
    ]  # fmt: skip
    worker = processes("celery-worker", cmd, env)
    worker.hostname = hostname
    return worker


def start_sweeper(processes, env: dict, grace: float = 3, every: float = 1):
    """``manage.py requeue_edi --every``: enqueues again what the broker could not take at commit."""
    cmd = [sys.executable, "manage.py", "requeue_edi", "--grace", str(grace), "--every", str(every)]
    return processes("requeue-edi", cmd, env)


def wait_for(predicate: Callable[[], object], timeout: float, what: str, watch: Iterable = (), interval=0.25):
    """Poll ``predicate`` until truthy; fail naming ``what``, with the logs of the ``watch``ed processes."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # the database may be restarting: keep polling
            last = exc
            _reconnect()
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {p.name} (alive: {p.alive()}):\n{p.log(30)}" for p in watch)
            pytest.fail(f"{what}: not within {timeout:.0f}s (last error: {last!r})\n{logs}")
        time.sleep(interval)


def state_counts(ids: list[str]) -> Counter:
    from edi.models import RawMessage

    return Counter(RawMessage.objects.filter(pk__in=ids).values_list("state", flat=True))


def all_final(ids: list[str]) -> bool:
    counts = state_counts(ids)
    return sum(counts[s] for s in FINAL) == len(ids)


# ----------------------------------------------------------------------------------------------- broker


def broker_params():
    import pika

    parts = urlsplit(os.environ["CELERY_BROKER_URL"])
    return pika.ConnectionParameters(
        host=parts.hostname,
        port=parts.port or 5672,
        credentials=pika.PlainCredentials(parts.username or "guest", parts.password or "guest"),
        connection_attempts=1,
        socket_timeout=5,
        blocked_connection_timeout=10,
    )


@contextlib.contextmanager
def amqp():
    import pika

    connection = pika.BlockingConnection(broker_params())
    try:
        yield connection.channel()
    finally:
        with contextlib.suppress(Exception):
            connection.close()


def queue_depth(name: str) -> int:
    with amqp() as channel:
        return channel.queue_declare(queue=name, passive=True).method.message_count


def declare_processing_queues() -> None:
    from hub.celery import app

    with app.connection_for_write() as connection:
        channel = connection.default_channel
        for queue in app.amqp.queues.values():
            queue(channel).declare()


def fresh_processing_queues() -> None:
    """The processing queue and its dead-letter queue, declared as the app does, and empty."""
    declare_processing_queues()
    with amqp() as channel:
        channel.queue_purge(PROCESS_QUEUE)
        channel.queue_purge(PROCESS_DEAD)


# ------------------------------------------------------------------------------------------ the verdict


def assert_processed_exactly_once(ids: list[str], expected_events: int, queues=(PROCESS_QUEUE, PROCESS_DEAD)) -> dict:
    """Every message final and processed by one committed run, its events stored once, nothing left queued."""
    from edi.models import RawMessage
    from tracking.models import Event

    _reconnect()
    rows = list(RawMessage.objects.filter(pk__in=ids).values("id", "state", "attempts", "outcome"))
    assert len(rows) == len(ids) == len(set(ids)), "every accepted message stored once"
    states = Counter(row["state"] for row in rows)
    assert set(states) <= set(FINAL), f"messages not in a final state: {states}"
    assert states["processed"] == len(ids), f"states: {states}"
    attempts = Counter(row["attempts"] for row in rows)
    assert attempts == Counter({1: len(ids)}), f"committed processing runs per message: {attempts}"
    stored = sum(row["outcome"]["storedEvents"] for row in rows)
    doubled = sum(row["outcome"]["duplicateEvents"] for row in rows)
    claimed = [event_id for row in rows for event_id in row["outcome"]["eventIDs"]]
    assert (stored, doubled) == (expected_events, 0), f"stored {stored}, already there {doubled}"
    assert len(claimed) == len(set(claimed)) == expected_events, "no two messages claim one event"
    assert Event.objects.count() == expected_events
    in_store = {str(value) for value in Event.objects.values_list("event_id", flat=True)}
    assert in_store == set(claimed), "the store holds exactly the events the messages produced"
    if PROCESS_QUEUE in queues:
        # A message a batch took along (edi/batches.py) is final before its own task runs; that task finds it
        # done and is acked: the queue drains after the last message is final, not with it.
        wait_for(lambda: queue_depth(PROCESS_QUEUE) == 0, 120, "the tasks of messages already processed drained")
    depths = {name: queue_depth(name) for name in queues}
    assert not any(depths.values()), f"left in the queues: {depths}"
    return {"states": dict(states), "events": expected_events}
