"""The RFID benchmark's client side: workload bodies, a keep-alive HTTP client, the load and the probe.

Everything goes to 127.0.0.1, and every loop stops by count or by time, whichever comes first.
"""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from datetime import UTC, datetime, timedelta

LANES, BATCH, PASSES_PER_LANE = 8, 100, 120
PROBE_EVERY = 0.025
MAX_POSTS_PER_CONNECTION = 200_000


class Connection:
    """A minimal keep-alive HTTP/1.1 client: pre-built requests, Content-Length responses."""

    def __init__(self, port: int, timeout: float = 30):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
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
        self.buffer = rest
        while len(self.buffer) < length:
            self._more()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, body

    def _more(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buffer += chunk

    def close(self) -> None:
        self.sock.close()


def ingest_bodies(seed: dict, rng: random.Random) -> list[tuple[str, int, bytes]]:
    """(reader key, reads, body) of back-to-back truck passes on every lane, interleaved across lanes.

    A pass: a GRAI windscreen tag and one or two container tags, read 60 times a second each for
    2 s on 4 antennas, out of order, posted in batches of 100. Passes on a lane are 120 s apart in
    reader time, so each is its own gate transaction.
    """
    from rfid.simulator import batches, burst, container_tag

    lanes = []
    base = datetime.now(UTC) - timedelta(days=30)
    for lane in range(LANES):
        rid = f"BENCH-{lane}"
        posts = []
        for n in range(PASSES_PER_LANE):
            tags = [rng.choice(seed["trucks"])] + [
                container_tag(b) for b in rng.sample(seed["boxes"], rng.randint(1, 2))
            ]
            reads = burst(tags, start=base + timedelta(seconds=120 * (n * LANES + lane)), rng=rng)
            for body in batches(reads, reader=rid, size=BATCH):
                posts.append((seed["keys"][rid], len(body["reads"]), json.dumps(body).encode()))
        lanes.append(posts)
    order = []
    for i in range(max(len(p) for p in lanes)):
        order.extend(p[i] for p in lanes if i < len(p))
    return order


def probe_bodies(seed: dict, rng: random.Random, count: int) -> list[bytes]:
    """A truck's first report at the probe lane (40 reads of a truck and a container), each a new pass."""
    from rfid.simulator import burst, container_tag

    rid = f"BENCH-{LANES}"
    base = datetime.now(UTC) - timedelta(days=10)
    out = []
    for n in range(count):
        tags = [rng.choice(seed["trucks"]), container_tag(rng.choice(seed["boxes"]))]
        reads = burst(tags, start=base + timedelta(seconds=120 * n), rng=rng, seconds=0.35)[:40]
        out.append(json.dumps({"reader": rid, "reads": reads}).encode())
    return out


def load(port: int, path: str, posts: list, seconds: float, connections: int) -> tuple[int, int, float]:
    """Post ``posts`` in order over ``connections`` keep-alive connections for ``seconds``.

    Returns (posts answered 200, reads in them, elapsed seconds). Any other status stops the run.
    """
    stop = time.perf_counter() + seconds
    counters = [[0, 0] for _ in range(connections)]
    errors: list[str] = []

    def worker(slot: int) -> None:
        conn = Connection(port)
        index = slot
        try:
            for _ in range(MAX_POSTS_PER_CONNECTION):
                if time.perf_counter() >= stop or errors:
                    break
                key, nreads, body = posts[index % len(posts)]
                status, answer = conn.send(Connection.request(path, key, body))
                if status != 200:
                    errors.append(f"{status} {answer[:300]!r}")
                    return
                counters[slot][0] += 1
                counters[slot][1] += nreads
                index += connections
        finally:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{path} answered {errors[0]}")
    return sum(c[0] for c in counters), sum(c[1] for c in counters), time.perf_counter() - started


def probe(port: int, path: str, key: str, bodies: list[bytes], seconds: float) -> tuple[list[float], list[float]]:
    """Round-trip ms of one post every PROBE_EVERY s (at most ``len(bodies)``), and the server's decidedIn_ms."""
    conn = Connection(port)
    rtts, server = [], []
    stop = time.perf_counter() + seconds
    try:
        for body in bodies:
            if time.perf_counter() >= stop:
                break
            began = time.perf_counter()
            status, answer = conn.send(Connection.request(path, key, body))
            rtts.append((time.perf_counter() - began) * 1000)
            if status != 200:
                raise RuntimeError(f"probe answered {status} {answer[:300]!r}")
            if path != "/bench/bare":
                server.append(json.loads(answer)["decidedIn_ms"])
            time.sleep(max(0.0, PROBE_EVERY - (time.perf_counter() - began)))
    finally:
        conn.close()
    return rtts, server


def under_load(
    port: int, path: str, posts: list, key: str, probes: list[bytes], *, seconds: float, warmup: float, connections: int
):
    """The ingest load for ``seconds`` and, after ``warmup``, the probe beside it: (load, rtts, server ms)."""
    holder: dict = {}
    loader = threading.Thread(target=lambda: holder.update(load=load(port, path, posts, seconds, connections)))
    loader.start()
    time.sleep(warmup)
    rtts, server = probe(port, path, key, probes, seconds - warmup - 0.5)
    loader.join()
    if "load" not in holder:
        raise RuntimeError(f"the load on {path} failed (see above)")
    return holder["load"], rtts, server
