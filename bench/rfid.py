"""RFID gate throughput and decision latency, beside a bare do-nothing endpoint, in the same run.

A throwaway database (SQLite under a temporary folder) is migrated and seeded: 8 bonded gate-out
lanes, each with its reader key, 400 bound truck tags and 400 containers with a customs state
(two in three released). One Daphne process (``BENCH_RFID_SERVERS`` for more, on one socket as
several servers behind a balancer; with SQLite's single writer two were slower) serves
``hub.asgi`` on 127.0.0.1 plus one extra URL, ``/bench/bare``: a Django view that does nothing,
behind the same middleware. Database connections are kept between requests (``CONN_MAX_AGE``
60, production's ``DB_CONN_MAX_AGE`` default; the embedded SQLite settings reopen the database on
every request, which alone costs a few milliseconds a post).

Bare and RFID phases alternate (two rounds of 7 s each) so that the machine's busy moments fall
on both alike.

* ingest: trucks pass the 8 lanes back to back (a GRAI windscreen tag and one or two container
  tags, 60 reads a second per tag for 2 s on 4 antennas, out of order), posted in the generic
  shape in batches of 100 reads over 4 keep-alive connections; reads/s acknowledged, beside the
  same bodies posted to the bare endpoint;
* decision latency under that load: a probe lane sends a truck's first report (40 reads) every
  25 ms while the ingest load runs; p50/p99 of the round trip as the reader sees it (the
  ``decidedIn_ms`` the server reports is printed too), beside the bare endpoint's p99 under the
  same load.

Each pass carries its own reader-clock times, 120 s apart, so passes are separate transactions;
the server accepts those times (``RFID_MAX_CLOCK_SKEW_SECONDS`` is raised for the run).

    python -m bench.rfid
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import main_for, percentile, result

ROOT = Path(__file__).resolve().parent.parent
LANES, BATCH = 8, 100
CONNECTIONS = int(os.environ.get("BENCH_RFID_CONNECTIONS", "4"))
SERVERS = int(os.environ.get("BENCH_RFID_SERVERS", "1"))  # SQLite has one writer: more processes wait on its lock
INGEST_SECONDS, WARMUP_SECONDS, PROBE_EVERY, ROUNDS = 7.0, 1.0, 0.025, 2
SERVER_START_TIMEOUT = 30


def __getattr__(name: str):
    """``daphne bench.rfid:application``: the hub's ASGI app with ``/bench/bare`` added."""
    if name == "application":
        return _application()
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


def _urlpatterns():
    from django.http import HttpResponse
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    import hub.urls

    @csrf_exempt
    def bare(request):
        return HttpResponse(b"{}", content_type="application/json")

    return [path("bench/bare", bare), *hub.urls.urlpatterns]


def _application():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.rfid"
    if os.environ.get("BENCH_CONN_MAX_AGE"):
        settings.DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])
    from django.core.asgi import get_asgi_application

    return get_asgi_application()


SEED = """
import json, random
from datetime import datetime, timezone
import django; django.setup()
from rfid.services import add_reader, bind_tag
from rfid.simulator import truck_tag, container_number
from tracking.models import ContainerStatus, Equipment
rng = random.Random(11)
keys = {}
for lane in range(%(lanes)d + 1):
    rid = "BENCH-%%d" %% lane
    _reader, keys[rid] = add_reader(rid, gate="BENCH", direction="out", bonded=True, lane="L%%d" %% lane)
trucks, boxes = [], []
for n in range(400):
    tag = truck_tag(rng)
    bind_tag(tag, kind="truck", reference="BENCH-%%03d" %% n, by="bench", valid_from=datetime(2020, 1, 1, tzinfo=timezone.utc))
    trucks.append(tag)
    number = container_number(rng, owner="BNCU")
    eq, _ = Equipment.objects.get_or_create(reference=number)
    ContainerStatus.objects.update_or_create(equipment=eq, defaults={"customs_state": "RLSD" if n %% 3 else "ACPT", "holds": []})
    boxes.append(number)
print(json.dumps({"keys": keys, "trucks": trucks, "boxes": boxes}))
"""


class Connection:
    """A minimal keep-alive HTTP/1.1 client: pre-built requests, Content-Length responses."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    @staticmethod
    def request(path: str, key: str, body: bytes) -> bytes:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Api-Key {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    def send(self, raw: bytes) -> tuple[int, bytes]:
        self.sock.sendall(raw)
        while b"\r\n\r\n" not in self.buffer:
            self._more()
        head, _sep, rest = self.buffer.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _c, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(rest) < length:
            rest += self.sock.recv(65536)
        self.buffer = rest[length:]
        return status, rest[:length]

    def _more(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buffer += chunk

    def close(self) -> None:
        self.sock.close()


def _bodies(seed: dict, rng: random.Random) -> list[tuple[str, int, bytes]]:
    """(reader key, reads, body) of back-to-back passes on every lane, in posting order per lane."""
    from rfid.simulator import batches, burst, container_tag

    lanes = []
    base = datetime.now(UTC) - timedelta(days=30)
    for lane in range(LANES):
        rid = f"BENCH-{lane}"
        posts = []
        for n in range(60):
            tags = [rng.choice(seed["trucks"])] + [
                container_tag(b) for b in rng.sample(seed["boxes"], rng.randint(1, 2))
            ]
            start = base + timedelta(seconds=120 * (n * LANES + lane))
            reads = burst(tags, start=start, rng=rng)
            for body in batches(reads, reader=rid, size=BATCH):
                posts.append((seed["keys"][rid], len(body["reads"]), json.dumps(body).encode()))
        lanes.append(posts)
    order = []
    for i in range(max(len(p) for p in lanes)):
        order.extend(p[i] for p in lanes if i < len(p))
    return order


def _probe_bodies(seed: dict, rng: random.Random, count: int) -> list[bytes]:
    from rfid.simulator import burst, container_tag

    rid = f"BENCH-{LANES}"
    base = datetime.now(UTC) - timedelta(days=10)
    out = []
    for n in range(count):
        tags = [rng.choice(seed["trucks"]), container_tag(rng.choice(seed["boxes"]))]
        reads = burst(tags, start=base + timedelta(seconds=120 * n), rng=rng, seconds=0.35)[:40]
        out.append(json.dumps({"reader": rid, "reads": reads}).encode())
    return out


def _load(port: int, path: str, posts: list, seconds: float) -> tuple[int, int, float]:
    """Post ``posts`` round-robin over CONNECTIONS for ``seconds``; (posts ok, reads ok, elapsed)."""
    stop = time.perf_counter() + seconds
    counters = [[0, 0] for _ in range(CONNECTIONS)]
    errors: list[str] = []

    def worker(slot: int) -> None:
        conn = Connection(port)
        index = slot
        try:
            while time.perf_counter() < stop:
                key, nreads, body = posts[index % len(posts)]
                status, answer = conn.send(Connection.request(path, key, body))
                if status != 200:
                    errors.append(f"{status} {answer[:200]!r}")
                    return
                counters[slot][0] += 1
                counters[slot][1] += nreads
                index += CONNECTIONS
        finally:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{path} answered {errors[0]}")
    return sum(c[0] for c in counters), sum(c[1] for c in counters), time.perf_counter() - started


def _probe(port: int, path: str, key: str, bodies: list[bytes], seconds: float) -> tuple[list[float], list[float]]:
    """Round-trip ms of probe posts every PROBE_EVERY s, and the server's decidedIn_ms."""
    conn = Connection(port)
    rtts, server = [], []
    stop = time.perf_counter() + seconds
    index = 0
    try:
        while time.perf_counter() < stop and index < len(bodies):
            began = time.perf_counter()
            status, answer = conn.send(Connection.request(path, key, bodies[index]))
            rtts.append((time.perf_counter() - began) * 1000)
            if status != 200:
                raise RuntimeError(f"probe answered {status} {answer[:200]!r}")
            if path != "/bench/bare":
                server.append(json.loads(answer)["decidedIn_ms"])
            index += 1
            time.sleep(max(0.0, PROBE_EVERY - (time.perf_counter() - began)))
    finally:
        conn.close()
    return rtts, server


def _under_load(port: int, path: str, posts: list, key: str, probes: list[bytes]):
    holder: dict = {}
    loader = threading.Thread(target=lambda: holder.update(load=_load(port, path, posts, INGEST_SECONDS)))
    loader.start()
    time.sleep(WARMUP_SECONDS)
    rtts, server = _probe(port, path, key, probes, INGEST_SECONDS - WARMUP_SECONDS - 0.5)
    loader.join()
    return holder["load"], rtts, server


def _start_servers(env: dict, count: int) -> tuple[int, list[subprocess.Popen]]:
    """``count`` Daphne processes accepting on one listening socket (as several servers behind a balancer)."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    fd = listener.fileno()
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "daphne", "--fd", str(fd), "bench.rfid:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(fd,),
        )
        for _ in range(count)
    ]
    listener.close()
    deadline = time.time() + SERVER_START_TIMEOUT
    while time.time() < deadline:
        dead = [s for s in servers if s.poll() is not None]
        if dead:
            for server in servers:
                server.kill()
            raise RuntimeError(f"daphne exited: {dead[0].stderr.read()[-2000:]!r}")
        try:
            conn = Connection(port)
            status, _answer = conn.send(Connection.request("/bench/bare", "-", b"{}"))
            conn.close()
            if status == 200:
                time.sleep(0.5 * count)  # every process has imported the app
                return port, servers
        except OSError:
            time.sleep(0.1)
    for server in servers:
        server.kill()
    raise RuntimeError("daphne did not start")


def run() -> list[dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    import django

    django.setup()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CHANNEL_LAYER_URL")
            },
            "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3"),
            "LOGIHUB_VAR_DIR": tmp,
            "DJANGO_SETTINGS_MODULE": "hub.settings",
            "RFID_MAX_CLOCK_SKEW_SECONDS": str(10**8),
            "LOG_LEVEL": "WARNING",
            "BENCH_CONN_MAX_AGE": "60",  # as production's DB_CONN_MAX_AGE; embedded SQLite closes per request
            "DEBUG": "0",
        }
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        seeded = subprocess.run(
            [sys.executable, "-c", SEED % {"lanes": LANES}],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        seed = json.loads(seeded.stdout.strip().splitlines()[-1])
        posts = _bodies(seed, rng)
        probes = _probe_bodies(seed, rng, 600)
        probe_key = seed["keys"][f"BENCH-{LANES}"]
        port, servers = _start_servers(env, SERVERS)
        try:
            ok = nreads = 0
            elapsed = bare_reads = bare_elapsed = 0.0
            rtts, server_ms, bare_rtt = [], [], []
            for _round in range(ROUNDS):  # alternate, so that a busy moment of the machine hits both alike
                (_p, b_reads, b_elapsed), b_rtt, _ = _under_load(port, "/bench/bare", posts, probe_key, probes)
                bare_reads, bare_elapsed, bare_rtt = bare_reads + b_reads, bare_elapsed + b_elapsed, bare_rtt + b_rtt
                (r_ok, r_reads, r_elapsed), r_rtt, r_server = _under_load(
                    port, "/api/v1/rfid/reads", posts[ok:], probe_key, probes[len(rtts) :]
                )
                ok, nreads, elapsed = ok + r_ok, nreads + r_reads, elapsed + r_elapsed
                rtts, server_ms = rtts + r_rtt, server_ms + r_server
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=10)
    rate, bare_rate = nreads / elapsed, bare_reads / bare_elapsed
    p50, p99, bare_p99 = percentile(rtts, 50), percentile(rtts, 99), percentile(bare_rtt, 99)
    print(
        f"   ingest: {ok} posts, {nreads} reads in {elapsed:.1f} s; probes: {len(rtts)}, "
        f"server decidedIn_ms p50 {percentile(server_ms, 50):.2f} p99 {percentile(server_ms, 99):.2f}",
        flush=True,
    )
    bare = f"bare do-nothing Django endpoint, same Daphne ({SERVERS} process), same bodies"
    return [
        result(
            "rfid reads ingested with dedupe, batches of 100",
            rate,
            "reads/s",
            baseline=bare,
            baseline_value=bare_rate,
            target=">= 20000 reads/s",
            met=rate >= 20000,
        ),
        result(
            "rfid gate decision p50 under ingest load",
            p50,
            "ms",
            baseline=bare + " (p50)",
            baseline_value=percentile(bare_rtt, 50),
            target="-",
            met=True,
        ),
        result(
            "rfid gate decision p99 under ingest load",
            p99,
            "ms",
            baseline=bare + " (p99)",
            baseline_value=bare_p99,
            target="< 50 ms",
            met=p99 < 50,
        ),
    ]


if __name__ == "__main__":
    main_for(run)
