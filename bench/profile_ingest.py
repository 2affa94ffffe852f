"""Where a worker's time goes per interchange, on PostgreSQL and Redis (a profile, not a benchmark).

Starts a throwaway PostgreSQL and Redis (``tests/stack.py``), stores ``INTERCHANGES`` interchanges
of :func:`bench.ingest.workload` as received raw messages and runs their tasks one after another
in one process, as a Celery worker would, timing each stage (inclusive wall-clock, SQL statements
issued inside it and the time spent waiting on them). No ``run()``: ``python -m bench`` skips it.

    python -m bench.profile_ingest [interchanges] [--cprofile] [--receive] [--batch=N]

Each interchange's task is run in turn (``edi.batches.process_waiting``), taking up to ``--batch``
waiting messages (default ``EDI_PROCESS_BATCH``), as the workers do.

With ``--receive``, the HTTP side instead: each interchange posted to ``/api/v1/edi/inbound`` through
Django's test client (middleware, DRF, API key, throttle, ``edi.services.receive``; no Daphne), with
the broker publish of ``enqueue`` left out and counted.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from pathlib import Path

from bench.harness import StageMeter, servers

ROOT = Path(__file__).resolve().parent.parent
INTERCHANGES = 300

# (module, attribute): the stages timed; nested stages are included in their callers' figures
STAGES = [
    ("edi.batches", "process_waiting"),
    ("edi.batches", "claim"),
    ("edi.processing", "run"),
    ("edi.processing", "translate"),
    ("edi.processing", "store"),
    ("edi.processing", "withdraw_reports"),
    ("tracking.store", "record_events"),
    ("tracking.store", "check_events"),
    ("tracking.store", "link"),
    ("tracking.store", "_insert_new"),
    ("tracking.withdrawals", "restated"),
    ("tracking.withdrawals", "try_lock"),
    ("tracking.withdrawals", "any_withdrawn"),
    ("tracking.access", "parties_by_edi_id"),
    ("tracking.access", "grant_from_events"),
    ("tracking.access", "prove_pending"),
    ("tracking.statuses", "update"),
    ("tracking.webhooks", "fan_out"),
    ("tracking.push", "send_events_soon"),
]


def main() -> None:
    import subprocess

    count = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else INTERCHANGES
    with servers("profile-ingest", redis=True) as up:
        args = [sys.executable, "-m", "bench.profile_ingest", "--child", str(count), *sys.argv[2:]]
        subprocess.run(args, cwd=ROOT, env=up.env, check=True, timeout=900)


RECEIVE_STAGES = [
    ("edi.services", "receive"),
    ("edi.services", "identify"),
    ("edi.services", "_claim"),
    ("tracking.apikeys", "known_key"),
    ("tracking.apikeys", "touch"),
]


def child_receive(count: int, parties: list, interchanges: list, meter: StageMeter, cprofile: bool = False) -> None:
    import importlib

    from django.db import connection
    from django.test import Client

    from tracking.apikeys import issue_key

    keys = [issue_key(party=party, name="profile")[1] for party in parties]
    modules = {name: importlib.import_module(name) for name, _a in RECEIVE_STAGES}
    for name, attribute in RECEIVE_STAGES:
        meter.wrap(name, attribute)
    enqueued = []
    modules["edi.services"].enqueue = enqueued.append  # the broker is not part of this profile
    client = Client(HTTP_HOST="127.0.0.1")
    profiler = None
    if cprofile:
        import cProfile

        profiler = cProfile.Profile()
    with connection.execute_wrapper(meter.sql):
        meter.active.append("all")
        began = time.perf_counter()
        if profiler:
            profiler.enable()
        for partner, body in interchanges:
            answer = client.post(
                "/api/v1/edi/inbound",
                data=body,
                content_type="application/edifact",
                HTTP_AUTHORIZATION=f"Api-Key {keys[partner]}",
            )
            assert answer.status_code == 202, answer.content
        if profiler:
            profiler.disable()
        total = time.perf_counter() - began
        meter.active.pop()
    n = len(interchanges)
    print(f"{n} posts: {total:.1f} s, {n / total:.0f} posts/s in one process ({len(enqueued)} enqueues left out)")
    print(f"{'stage':32} {'ms/post':>15} {'statements':>11} {'ms in SQL':>10}")
    for name in ["all", *(f"{m.split('.')[-1]}.{a}" for m, a in RECEIVE_STAGES)]:
        seconds = total if name == "all" else meter.seconds[name]
        print(f"{name:32} {seconds / n * 1000:15.2f} {meter.queries[name] / n:11.1f} "
              f"{meter.db_seconds[name] / n * 1000:10.2f}")  # fmt: skip
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)


def child(count: int, cprofile: bool, receive: bool = False) -> None:
    import importlib

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.ingest import PARTNERS, partner_id, workload
    from edi.envelope import identify
    from edi.models import RawMessage
    from tracking.models import Event, Party

    call_command("migrate", verbosity=0)
    parties = [
        Party.objects.create(name=f"Bench carrier {n}", edi_id=partner_id(n), role="carrier") for n in range(PARTNERS)
    ]
    interchanges = workload()[:count]
    if receive:
        child_receive(count, parties, interchanges, StageMeter(), cprofile)
        return
    ids = []
    for partner, body in interchanges:
        envelope = identify(body)
        ids.append(
            RawMessage.objects.create(
                body=body,
                sha256=secrets.token_hex(32),
                size=len(body),
                channel="http",
                party=parties[partner],
                format=envelope.format,
                sender=envelope.sender,
                control_reference=envelope.control_reference,
            ).pk
        )
    messages = sum(body.count(b"UNH+") for _p, body in interchanges)
    meter = StageMeter()
    modules = {name: importlib.import_module(name) for name, _a in STAGES}
    for name, attribute in STAGES:
        meter.wrap(name, attribute)
    process = modules["edi.batches"].process_waiting
    limit = next((int(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--batch=")), None)
    profiler = None
    if cprofile:
        import cProfile

        profiler = cProfile.Profile()
    with connection.execute_wrapper(meter.sql):
        meter.active.append("all")
        began = time.perf_counter()
        if profiler:
            profiler.enable()
        for message_id in ids:
            process(str(message_id), limit)
        if profiler:
            profiler.disable()
        total = time.perf_counter() - began
        meter.active.pop()
    n = len(ids)
    print(f"{n} interchanges, {messages} messages, {Event.objects.count()} events: {total:.1f} s, "
          f"{messages / total:.0f} messages/s in one process")  # fmt: skip
    print(f"{'stage':32} {'ms/interchange':>15} {'statements':>11} {'ms in SQL':>10}")
    for name in ["all", *(f"{m.split('.')[-1]}.{a}" for m, a in STAGES)]:
        seconds = total if name == "all" else meter.seconds[name]
        print(
            f"{name:32} {seconds / n * 1000:15.2f} {meter.queries[name] / n:11.1f} "
            f"{meter.db_seconds[name] / n * 1000:10.2f}"
        )
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    print(json.dumps({"messages_per_s": messages / total}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(int(sys.argv[2]), "--cprofile" in sys.argv, "--receive" in sys.argv)
    else:
        main()
