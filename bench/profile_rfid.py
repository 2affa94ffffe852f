"""Where a post of reads spends its time, on PostgreSQL (a profile, not a benchmark).

Starts a throwaway PostgreSQL (``tests/stack.py``), seeds it as ``bench/rfid.py`` does, and posts
``POSTS`` bodies of :func:`bench.rfid_load.ingest_bodies` (batches of 100) to ``/api/v1/rfid/reads``
through Django's test client in one process (middleware, DRF, the reader's key, the view; no
Daphne), timing each stage (inclusive wall-clock, SQL statements issued inside it and the time spent
waiting on them), beside the same bodies posted to a do-nothing view. The broker publish of
``record_soon`` is left out and counted. No ``run()``: ``python -m bench`` skips it.

    python -m bench.profile_rfid [posts] [--cprofile]
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from bench import proc_cpu
from bench.harness import StageMeter, servers, setup_django

ROOT = Path(__file__).resolve().parent.parent
POSTS = 1500

# (module, attribute): the stages timed; nested stages are included in their callers' figures
STAGES = [
    ("rfid.api.views", "parse_payload"),
    ("tracking.authentication", "ApiKeyAuthentication.authenticate"),
    ("rfid.services", "process_reads"),
    ("rfid.services", "collapse"),
    ("rfid.services", "process_collapsed"),
    ("rfid.services", "decide"),
    ("rfid.ingest", "merge"),
    ("rfid.ingest", "write"),
    ("rfid.services", "touch"),
]


def main() -> None:
    with servers("profile-rfid") as up:
        env = {
            **up.env,
            "RFID_MAX_CLOCK_SKEW_SECONDS": str(10**8),
            "BENCH_PROFILE_PG_PID": str(up.postgresql["pid"]),
        }
        args = [sys.executable, "-m", "bench.profile_rfid", "--child", *sys.argv[1:]]
        subprocess.run(args, cwd=ROOT, env=env, check=True, timeout=900)


def child(count: int, cprofile: bool) -> None:
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    import bench.rfid
    from bench import rfid_load
    from rfid import services

    settings.ROOT_URLCONF = "bench.rfid_app"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        bench.rfid.seed()
    seed = json.loads(out.getvalue().strip().splitlines()[-1])
    posts = rfid_load.ingest_bodies(seed, random.Random(5))[:count]
    queued = []
    services.record_soon = lambda: queued.append(1)  # the broker is not part of this profile
    client = Client(HTTP_HOST="127.0.0.1")

    groups = {"postgresql": [int(os.environ["BENCH_PROFILE_PG_PID"])]}
    cpu: dict[str, dict[str, float]] = {}

    def post_all(path: str) -> float:
        before = proc_cpu.snapshot(groups)
        began = time.perf_counter()
        for key, _n, body in posts:
            answer = client.post(path, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {key}")
            assert answer.status_code == 200, answer.content
        took = time.perf_counter() - began
        cpu[path] = proc_cpu.spent(before, proc_cpu.snapshot(groups))
        return took

    post_all("/bench/bare")
    bare = post_all("/bench/bare")
    meter = StageMeter()
    for module_name, attribute in STAGES:
        meter.wrap(module_name, attribute)
    profiler = None
    if cprofile:
        import cProfile

        profiler = cProfile.Profile()
    with connection.execute_wrapper(meter.sql):
        meter.active.append("all")
        if profiler:
            profiler.enable()
        total = post_all("/api/v1/rfid/reads")
        if profiler:
            profiler.disable()
        meter.active.pop()
    n, reads = len(posts), sum(p[1] for p in posts)
    print(f"{n} posts, {reads} reads: {total:.2f} s, {reads / total:.0f} reads/s in one process; "
          f"bare endpoint {bare:.2f} s ({bare / n * 1000:.2f} ms/post); {len(queued)} batches queued (left out)")  # fmt: skip
    for path, spent in cpu.items():
        print(f"CPU ms per post, {path}: " + ", ".join(f"{k} {v / n * 1000:.2f}" for k, v in spent.items()))
    print(f"{'stage':32} {'ms/post':>10} {'statements':>11} {'ms in SQL':>10}")
    for label in ["all", *(f"{m.split('.')[-1]}.{a.rpartition('.')[2]}" for m, a in STAGES)]:
        seconds = total if label == "all" else meter.seconds[label]
        print(f"{label:32} {seconds / n * 1000:10.3f} {meter.queries[label] / n:11.1f} "
              f"{meter.db_seconds[label] / n * 1000:10.3f}")  # fmt: skip
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        rest = sys.argv[2:]
        numbers = [int(a) for a in rest if a.isdigit()]
        child(numbers[0] if numbers else POSTS, "--cprofile" in rest)
    else:
        main()
