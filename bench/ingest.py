"""Ingestion end to end: EDIFACT posted over HTTP, processed by Celery workers into PostgreSQL.

A throwaway PostgreSQL, RabbitMQ and Redis (``tests/stack.py``, loopback only), ``migrate``, one Daphne
serving ``hub.asgi`` and ``WORKERS`` Celery worker processes (prefork, one pool child each) on the
production settings. The workload: ``MESSAGES`` generated messages, IFTSTA and CODECO in D.95B, D.00B
and D.01B (:mod:`bench.generate`'s writer), in interchanges of 1 to 20 messages, from ``PARTNERS``
partners, posted by ``CLIENTS`` concurrent HTTP clients (one partner each, keep-alive connections).

* end to end: messages/s from the first post to the moment PostgreSQL holds every interchange in a final
  state (translated, validated, events stored, outcome and acknowledgements recorded);
* baseline, same run, same interchanges: the translation layer alone, in one process
  (``edi.translate.translate_edifact``, what a task calls), best of two rounds.

Where the time goes: the CPU seconds each part of the stack used from the first post to the last
interchange processed (the client's threads, Daphne, the Celery workers' main processes, which take the
tasks from RabbitMQ and ack them, and their pool children, which run them, PostgreSQL, RabbitMQ,
Redis), beside the wall-clock seconds times the machine's cores: what is left was other programs'.

Target (issue 6): end to end at least half the translation-only rate.

    python -m bench.ingest [messages]
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.harness import (
    Servers,
    free_port,
    percentile,
    print_table,
    result,
    run_child,
    servers,
    setup_django,
    stop_family,
)

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = int(os.environ.get("BENCH_INGEST_MESSAGES", "20000"))
PER_INTERCHANGE = (1, 20)
PARTNERS = CLIENTS = 4
WORKERS = 2
DEADLINE_S = 300  # posting plus processing; beyond it the run fails rather than hang
SERVER_START_TIMEOUT = 60
SEED = 20261125


# ------------------------------------------------------------------------------------------- workload


def partner_id(n: int) -> str:
    return f"BENCHCARRIER{n}"


def workload(messages: int = MESSAGES, seed: int = SEED) -> list[tuple[int, bytes]]:
    """(partner number, interchange) pairs holding ``messages`` CODECO/IFTSTA messages in all."""
    from bench.generate import VERSIONS, _Writer

    rng = random.Random(seed)
    writer = _Writer(rng)
    out: list[tuple[int, bytes]] = []
    made = 0
    while made < messages:
        count = min(rng.randint(*PER_INTERCHANGE), messages - made)
        partner = len(out) % PARTNERS
        control = f"{seed % 10**4:04d}{len(out):08d}"
        pieces = [f"UNA:+.? 'UNB+UNOC:3+{partner_id(partner)}:ZZZ+LOGIHUB:ZZZ+261125:1200+{control}'\n"]
        for ref in range(1, count + 1):
            version = VERSIONS[(made + ref) % len(VERSIONS)]
            segments = writer.codeco(ref, version) if (made + ref) % 2 else writer.iftsta(ref, version)
            pieces.append("'\n".join(segments) + "'\n")
        pieces.append(f"UNZ+{count}+{control}'\n")
        out.append((partner, "".join(pieces).encode("latin-1")))
        made += count
    return out


# ------------------------------------------------------------------------------------------- the stack


def _child(env: dict, *args: str, timeout: float = 600) -> str:
    return run_child("bench.ingest", env, *args, timeout=timeout)


def _wait_http(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("daphne did not start")


def run(messages: int = MESSAGES) -> list[dict]:
    interchanges = workload(messages)
    with servers("ingest", redis=True, rabbitmq=True) as up:
        return _run(up, messages, interchanges)


def _run(up: Servers, messages: int, interchanges: list) -> list[dict]:
    """Seed, translate alone, start Daphne and the workers, post everything, wait for the last outcome."""
    import stack  # tests/stack.py, on the path since servers()

    root, env, pg, rabbit, redis = up.root, up.env, up.postgresql, up.rabbitmq, up.redis
    processes: list[subprocess.Popen] = []
    logs = []
    try:
        (root / "workload.json").write_text(json.dumps([body.decode("latin-1") for _p, body in interchanges]))
        keys = json.loads(_child(env, "--seed"))
        translation = json.loads(_child(env, "--translate", str(root / "workload.json")))

        port = free_port()
        for name, cmd in [
            ("daphne", [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "hub.asgi:application"]),
            *[
                (
                    f"worker{n}",
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "hub",
                        "worker",
                        "-Q",
                        "logihub",
                        "-c",
                        "1",
                        "-P",
                        "prefork",
                        "-n",
                        f"bench{n}@localhost",
                        "--without-gossip",
                        "--without-mingle",
                        "--without-heartbeat",
                        "-l",
                        "WARNING",
                    ],
                )  # fmt: skip
                for n in range(WORKERS)
            ],
        ]:
            log = open(root / f"{name}.log", "wb")  # noqa: SIM115 (closed with the run)
            logs.append(log)
            processes.append(
                subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            )
        _wait_http(port, processes[0], root / "daphne.log")
        _wait_workers(env, processes[1:], root)
        parts = {
            "client": [os.getpid()],
            "daphne": [processes[0].pid],
            "worker main": [p.pid for p in processes[1:]],
            "worker pool": [child for p in processes[1:] for child in stack.descendants_of(p.pid)],
            "postgresql": [pg["pid"]],
            "rabbitmq": [rabbit["pid"]],
            "redis": [redis["pid"]],
        }
        cpu_before = _cpu_seconds(parts, stack)
        posted = _post_all(port, keys, interchanges)
        done = json.loads(
            _child(env, "--wait", str(len(interchanges)), str(posted["started_wall"]), timeout=DEADLINE_S)
        )
        cpu = {name: after - cpu_before.get(name, 0.0) for name, after in _cpu_seconds(parts, stack).items()}
        cpu_line = ", ".join(f"{name} {seconds:.1f}" for name, seconds in cpu.items())
        print(
            f"   CPU seconds while ingesting: {cpu_line}; total {sum(cpu.values()):.1f} "
            f"of {done['seconds'] * (os.cpu_count() or 1):.1f} ({os.cpu_count()} cores x {done['seconds']:.1f} s)",
            flush=True,
        )
        if not done["complete"]:
            raise RuntimeError(f"not every interchange processed within {DEADLINE_S}s: {done}")
    except BaseException:
        for name in ("daphne", "worker0", "worker1"):
            if (root / f"{name}.log").exists():
                kept = ROOT / "var" / "bench" / f"ingest-{name}.log"
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / f"{name}.log", kept)
        raise
    finally:
        for process in reversed(processes):
            stop_family(process)
        for log in logs:
            log.close()
    return _results(messages, len(interchanges), translation, posted, done)


def _cpu_seconds(parts: dict[str, list[int]], stack) -> dict[str, float]:
    """User plus system CPU seconds of each part: its processes and their descendants (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for name, roots in parts.items():
        total = 0.0
        if name in ("client", "worker main"):  # these processes alone: their children are other parts
            pids = set(roots)
        else:
            pids = {pid for root in roots if root for pid in (root, *stack.descendants_of(root))}
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        used[name] = total
    return used


def _wait_workers(env: dict, workers: list[subprocess.Popen], root: Path) -> None:
    """Until every worker consumes from the queue, so that their start is not timed."""
    for n, worker in enumerate(workers):
        if worker.poll() is not None:
            raise RuntimeError(f"worker {n} exited: {(root / f'worker{n}.log').read_text(errors='replace')[-2000:]}")
    _child(env, "--ping", str(len(workers)), timeout=120)


def _post_all(port: int, keys: list[str], interchanges: list[tuple[int, bytes]]) -> dict:
    """Post every interchange with CLIENTS threads (client n posts partner n's interchanges)."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Content-Type": "application/edifact", "Authorization": f"Api-Key {keys[n]}"}
        mine = [body for partner, body in interchanges if partner == n]
        for body in mine:
            began = time.perf_counter()
            connection.request("POST", "/api/v1/edi/inbound", body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            took = time.perf_counter() - began
            with lock:
                latencies.append(took)
                if response.status != 202:
                    failures.append(f"{response.status} {answer[:300]!r}")
        connection.close()

    started_wall, began = time.time(), time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    if failures:
        raise RuntimeError(f"{len(failures)} posts not accepted, e.g. {failures[:3]}")
    return {"started_wall": started_wall, "seconds": seconds, "latencies": latencies}


def _results(messages: int, interchanges: int, translation: dict, posted: dict, done: dict) -> list[dict]:
    e2e = messages / done["seconds"]
    alone = translation["messages"] / translation["seconds"]
    label = f"{messages:,} messages in {interchanges:,} interchanges"
    print(
        f"   {label}: posted in {posted['seconds']:.1f}s, all processed {done['seconds']:.1f}s after the first post "
        f"({done['events']} events); translation alone {translation['seconds']:.1f}s",
        flush=True,
    )
    return [
        result(
            f"edi ingest end to end, {label}: HTTP -> {WORKERS} Celery workers -> PostgreSQL (messages/s)",
            e2e,
            "messages/s",
            baseline="translation layer alone, in-process, same interchanges (messages/s)",
            baseline_value=alone,
            target=">= 0.5x translation-only",
            met=e2e >= 0.5 * alone,
        ),
        result(
            f"edi ingest HTTP accept p99 ({CLIENTS} clients, {label})",
            percentile(posted["latencies"], 99) * 1000,
            "ms",
            baseline="p50",
            baseline_value=percentile(posted["latencies"], 50) * 1000,
            target="reported",
            met=True,
        ),
    ]


# ------------------------------------------------------------------------------------- the children


def seed() -> None:
    setup_django()
    from django.core.management import call_command

    from tracking.apikeys import issue_key
    from tracking.models import Party

    call_command("migrate", verbosity=0)
    keys = []
    for n in range(PARTNERS):
        party = Party.objects.create(name=f"Bench carrier {n}", edi_id=partner_id(n), role="carrier")
        keys.append(issue_key(party=party, name="bench")[1])
    print(json.dumps(keys))


def translate(path: str) -> None:
    """The translation layer alone on the same interchanges: best of two rounds, in messages/s."""
    import uuid

    setup_django()
    from django.utils import timezone

    from edi.translate import translate_edifact

    bodies = [text.encode("latin-1") for text in json.loads(Path(path).read_text())]
    received = timezone.now()
    best, messages, events = float("inf"), 0, 0
    for _round in range(2):
        began = time.perf_counter()
        messages = events = 0
        for body in bodies:
            document = translate_edifact(body, raw_message_id=str(uuid.uuid4()), received=received).document
            messages += len(document["messages"])
            events += len(document["events"])
        best = min(best, time.perf_counter() - began)
    print(json.dumps({"seconds": best, "messages": messages, "events": events}))


def ping(workers: int) -> None:
    """Wait until the processing queue has ``workers`` consumers: the workers are up and connected."""
    setup_django()
    from hub.celery import app

    with app.connection_for_write() as connection:
        for queue in app.amqp.queues.values():
            queue(connection.default_channel).declare()
    deadline = time.monotonic() + 100
    while True:
        with app.connection_for_write() as connection:
            count = connection.default_channel.queue_declare("logihub", passive=True).consumer_count
        if count >= workers:
            print(json.dumps({"consumers": count}))
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"only {count} of {workers} workers consuming")
        time.sleep(0.2)


def wait(interchanges: int, started_wall: float) -> None:
    """Poll PostgreSQL until every interchange is in a final state; print the seconds since the first post."""
    setup_django()
    from django.db.models import Max

    from edi.models import RawMessage
    from edi.processing import FINAL_STATES
    from tracking.models import Event

    deadline = started_wall + DEADLINE_S - 5
    while True:
        final = RawMessage.objects.filter(state__in=FINAL_STATES)
        count = final.count()
        if count >= interchanges or time.time() > deadline:
            last = final.aggregate(last=Max("processed_at"))["last"]
            seconds = (last.timestamp() if last else time.time()) - started_wall
            states = dict(
                (state, RawMessage.objects.filter(state=state).count())
                for state in RawMessage.objects.values_list("state", flat=True).distinct()
            )
            print(
                json.dumps(
                    {
                        "complete": count >= interchanges,
                        "seconds": seconds,
                        "final": count,
                        "states": states,
                        "events": Event.objects.count(),
                    }
                )
            )
            return
        time.sleep(0.2)


def main() -> None:
    messages = int(sys.argv[1]) if len(sys.argv) > 1 else MESSAGES
    started = time.perf_counter()
    print_table(run(messages))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seed"]:
        seed()
    elif sys.argv[1:2] == ["--translate"]:
        translate(sys.argv[2])
    elif sys.argv[1:2] == ["--ping"]:
        ping(int(sys.argv[2]))
    elif sys.argv[1:2] == ["--wait"]:
        wait(int(sys.argv[2]), float(sys.argv[3]))
    else:
        main()
