"""The benchmark harness: timing, one result shape, the table and ``var/bench/results.json``.

A benchmark module exposes ``run() -> list[dict]``; each dict is made by :func:`result` and
names its figure, the baseline measured in the same run, their ratio, the target and whether
it was met. ``python -m bench`` runs them all; ``python -m bench.<name>`` runs one.
"""

from __future__ import annotations

import gc
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
RESULTS_PATH = ROOT / "var" / "bench" / "results.json"


def setup_django() -> None:
    """In a benchmark's child process: the project importable and Django set up (settings from the environment)."""
    import os

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    django.setup()


class Servers(NamedTuple):
    """The throwaway servers of one benchmark: each server's record from ``tests/stack.py`` (``url``,
    ``pid``...; empty when not started) and the environment of the production settings on them."""

    root: Path
    postgresql: dict
    redis: dict
    rabbitmq: dict
    env: dict[str, str]


@contextmanager
def servers(name: str, *, redis: bool = False, rabbitmq: bool = False) -> Iterator[Servers]:
    """A throwaway PostgreSQL (and Redis, RabbitMQ when asked) on free loopback ports under a temporary
    folder, stopped and removed afterwards whatever happened. ``env`` is this process's environment with
    the developer's stack and Celery settings dropped and the production settings pointing at them."""
    sys.path.insert(0, str(ROOT / "tests"))
    import stack

    root = Path(tempfile.mkdtemp(prefix=f"logihub-stack-{name}-"))
    root.chmod(0o755)  # the postgres user must reach its folder inside
    pg: dict = {}
    red: dict = {}
    rabbit: dict = {}
    try:
        stack.start_postgresql(root, free_port(), pg)
        if redis:
            stack.start_redis(root, free_port(), red)
        if rabbitmq:
            stack.start_rabbitmq(root, free_port(), free_port(), free_port(), rabbit)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("LOGIHUB_", "DATABASE_URL", "CELERY_"))},
            "DATABASE_URL": pg["url"],
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("CHANNEL_LAYER_URL", None)
        if rabbit:
            env["CELERY_BROKER_URL"] = rabbit["url"]
        if red:
            # redis-py reads with a 5 s socket timeout, the very time channels_redis blocks in BZPOPMIN: an
            # idle consumer then dies with 1011 about every 5 s. A longer socket timeout avoids the race.
            env["CHANNEL_LAYER_URL"] = red["url"] + "?socket_timeout=15"
        yield Servers(root, pg, red, rabbit, env)
    finally:
        if rabbit:
            stack.stop_rabbitmq(rabbit)
        if red:
            stack.stop_redis(red)
        if pg:
            stack.stop_postgresql(pg)
        shutil.rmtree(root, ignore_errors=True)


class StageMeter:
    """For the profiles (not benchmarks): inclusive wall-clock time, SQL statements and their time per
    stage, a stage being a function wrapped by :meth:`wrap`; ``active`` names the stages running now
    (nested stages count in their callers too). Install :meth:`sql` with ``connection.execute_wrapper``."""

    def __init__(self) -> None:
        from collections import defaultdict

        self.seconds: dict[str, float] = defaultdict(float)
        self.queries: dict[str, int] = defaultdict(int)
        self.db_seconds: dict[str, float] = defaultdict(float)
        self.active: list[str] = []

    def sql(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - began
            for name in set(self.active):
                self.queries[name] += 1
                self.db_seconds[name] += took

    def wrap(self, module_name: str, attribute: str) -> str:
        """Time ``module.attribute`` (``Class.method`` too) as the stage ``<module's last part>.<name>``."""
        import importlib

        owner_name, _dot, name = attribute.rpartition(".")
        module = importlib.import_module(module_name)
        owner = getattr(module, owner_name) if owner_name else module
        original = getattr(owner, name)
        label = f"{module_name.split('.')[-1]}.{name}"

        def timed(*args, **kwargs):
            self.active.append(label)
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - began
                self.active.pop()

        setattr(owner, name, timed)
        return label


def stop_family(process) -> None:
    """SIGTERM a started server, SIGKILL it after 20 s, then every child it had (a Celery pool child
    outlives its parent)."""
    import signal

    sys.path.insert(0, str(ROOT / "tests"))
    import stack

    if process is None:
        return
    family = stack.descendants_of(process.pid)
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    for pid in family:
        if stack.pid_alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (benchmarks bind nothing else)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class KeepAliveClient:
    """GET over one kept-alive HTTP/1.1 connection to 127.0.0.1, answers framed by Content-Length.

    For latency figures: the request bytes are built once per URL and the answer is read without
    parsing its headers into objects, so the figure is the server's and not the client's.
    ``http.client`` parses every header block through ``email.parser``: about 0.15 ms a request
    on the benchmark machine, a third of a bare SQL round trip. Chunked answers are refused.
    """

    def __init__(self, port: int, headers: dict[str, str], timeout: float = 30) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.head = "".join(f"{name}: {value}\r\n" for name, value in {"Host": "127.0.0.1", **headers}.items())

    def get(self, url: str) -> tuple[int, bytes]:
        """(status, body) of ``GET url``."""
        self.sock.sendall(f"GET {url} HTTP/1.1\r\n{self.head}\r\n".encode("latin-1"))
        data = b""
        while b"\r\n\r\n" not in data:
            data += self._more()
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        fields = dict(line.split(b":", 1) for line in lines[1:])
        length = {name.strip().lower(): value for name, value in fields.items()}.get(b"content-length")
        if length is None:
            raise RuntimeError(f"an answer without Content-Length: {head[:300]!r}")
        while len(body) < int(length):
            body += self._more()
        return int(lines[0].split(b" ", 2)[1]), body

    def _more(self) -> bytes:
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk

    def close(self) -> None:
        self.sock.close()


def run_child(module: str, env: dict, *args: str, timeout: float = 300) -> str:
    """Run ``python -m <module> args`` (a benchmark's own child mode) and return its last output line.

    Benchmarks measure in child processes whose environment points the settings at the servers
    they started: settings are read at import, once per process.
    """
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} {args[0] if args else ''} failed:\n{done.stderr[-4000:]}")
    return done.stdout.strip().splitlines()[-1]


def measure(fn: Callable[[], object], *, repeat: int = 3, gc_enabled: bool = True) -> float:
    """Best wall-clock seconds of ``repeat`` calls of ``fn``."""
    best = float("inf")
    for _ in range(repeat):
        if not gc_enabled:
            gc.disable()
        try:
            started = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
    return best


def percentile(samples: list[float], pct: float) -> float:
    """The ``pct`` percentile (0-100) of ``samples``, nearest-rank."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def result(
    name: str,
    value: float,
    unit: str,
    *,
    baseline: str,
    baseline_value: float,
    target: str,
    met: bool,
    ratio: float | None = None,
) -> dict:
    """One figure. ``ratio`` defaults to value / baseline_value (a speed-up for rates)."""
    if ratio is None:
        ratio = value / baseline_value if baseline_value else float("inf")
    return {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "baseline": baseline,
        "baseline_value": round(baseline_value, 4),
        "ratio": round(ratio, 3),
        "target": target,
        "met": bool(met),
    }


def print_table(results: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="logihub benchmarks (value beside its baseline, same run, same machine)")
    for column in ("name", "value", "unit", "baseline", "baseline value", "ratio", "target", "met"):
        table.add_column(column)
    for item in results:
        table.add_row(
            item["name"],
            f"{item['value']:g}",
            item["unit"],
            item["baseline"],
            f"{item['baseline_value']:g}",
            f"{item['ratio']:g}",
            item["target"],
            "yes" if item["met"] else "NO",
        )
    Console(width=max(160, Console().width)).print(table)


def write_results(results: list[dict], path: Path = RESULTS_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return path


def main_for(run: Callable[[], list[dict]]) -> None:
    """``if __name__ == "__main__": main_for(run)`` in a benchmark module."""
    results = run()
    print_table(results)
