"""RFID gate throughput and decision latency on the production shape, beside a bare endpoint, same run.

The production shape (README, "Production"): a throwaway PostgreSQL, RabbitMQ and Redis
(``tests/stack.py``, loopback only; the test stack's PostgreSQL runs with fsync off), ``migrate``,
``SERVERS`` Daphne processes (4 by default) accepting on one listening socket on 127.0.0.1, as
several servers behind one balancer (each HTTP thread keeping its PostgreSQL connection, the default), and one
Celery worker that records the gate events after commit. The database is seeded with 9 bonded gate-out lanes, each with its
reader key, 400 bound truck tags and 400 containers with a customs state (two in three released).

The servers serve ``bench.rfid_app``: ``hub.asgi`` plus ``/bench/bare``, a Django view that does
nothing, behind the same middleware, in the same processes. Bare and RFID phases alternate (two
rounds of 7 s each), so that the machine's busy moments fall on both alike.

* ingest: trucks pass 8 lanes back to back (:func:`bench.rfid_load.ingest_bodies`), posted in
  the generic shape in batches of 100 over ``CONNECTIONS`` keep-alive connections; reads/s
  answered, beside the same bodies posted to the bare endpoint;
* decision latency under that load: a ninth lane gets a truck's first report (40 reads) every
  25 ms while the ingest load runs; p50/p99 of the round trip as the reader sees it (the
  ``decidedIn_ms`` the server reports is printed too), beside the bare endpoint's under the same load.

Afterwards the worker must have recorded one GTOT event per container of every opened
transaction (``RFID_EVENT_BATCH_MS`` as production's default) within ``DRAIN_SECONDS``, else
the run fails. Reader-clock times are weeks old, so ``RFID_MAX_CLOCK_SKEW_SECONDS`` is raised.

    python -m bench rfid          BENCH_RFID_SERVERS=2 BENCH_RFID_CONNECTIONS=8 python -m bench rfid
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench import proc_cpu, rfid_load
from bench.harness import (
    Servers,
    main_for,
    percentile,
    result,
    run_child,
    servers,
    setup_django,
    stop_family,
)

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = int(os.environ.get("BENCH_RFID_CONNECTIONS", "4"))
SERVERS = int(os.environ.get("BENCH_RFID_SERVERS", "4"))  # on 2 cores: each waits on the database half the time
INGEST_SECONDS, WARMUP_SECONDS, ROUNDS = 7.0, 1.0, 2
SERVER_START_TIMEOUT, DRAIN_SECONDS = 60, 60


def _start_servers(env: dict, root: Path) -> tuple[int, list[subprocess.Popen]]:
    """``SERVERS`` Daphne processes accepting on one listening socket on 127.0.0.1 (as behind one balancer); its port."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(512)
    port, fd = listener.getsockname()[1], listener.fileno()
    command = [
        sys.executable,
        "-m",
        "daphne",
        "--fd",
        str(fd),
        "--access-log",
        "/dev/null",
        "bench.rfid_app:application",
    ]
    servers = []
    for n in range(SERVERS):
        log = open(root / f"server{n}.log", "wb")  # noqa: SIM115 (the child holds it)
        servers.append(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, pass_fds=(fd,))
        )
        log.close()
    listener.close()
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        dead = [n for n, s in enumerate(servers) if s.poll() is not None]
        if dead:
            raise RuntimeError(f"daphne exited: {(root / f'server{dead[0]}.log').read_text()[-2000:]}")
        try:
            conn = rfid_load.Connection(port, timeout=5)
            status, _answer = conn.send(rfid_load.Connection.request("/bench/bare", "-", b"{}"))
            conn.close()
            if status == 200:
                time.sleep(1.0 * SERVERS)  # every process has imported the app
                return port, servers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("daphne did not start")


def _start_worker(env: dict, root: Path) -> subprocess.Popen:
    log = open(root / "worker.log", "wb")  # noqa: SIM115 (the child holds it)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hub", "worker", "-Q", "logihub", "-c", "1", "-P", "prefork",
         "-n", "benchrfid@localhost", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    log.close()
    return worker


def _measure(port: int, seed: dict, groups: dict[str, list[int]]) -> dict:
    rng = random.Random(5)
    posts = rfid_load.ingest_bodies(seed, rng)
    probes = rfid_load.probe_bodies(seed, rng, 800)
    key = seed["keys"][f"BENCH-{rfid_load.LANES}"]
    shape = {"seconds": INGEST_SECONDS, "warmup": WARMUP_SECONDS, "connections": CONNECTIONS}
    out = {"ok": 0, "reads": 0, "elapsed": 0.0, "rtts": [], "server": [], "bare_reads": 0, "bare_elapsed": 0.0}
    out["bare_rtts"], out["bare_posts"] = [], 0
    out["cpu"], out["bare_cpu"] = {}, {}
    for _round in range(ROUNDS):  # alternate, so that a busy moment of the machine hits both alike
        before = proc_cpu.snapshot(groups)
        (bare_posts, reads, elapsed), rtts, _ = rfid_load.under_load(port, "/bench/bare", posts, key, probes, **shape)
        _add(out["bare_cpu"], proc_cpu.spent(before, proc_cpu.snapshot(groups)))
        out["bare_posts"] += bare_posts + len(rtts)
        out["bare_reads"] += reads
        out["bare_elapsed"] += elapsed
        out["bare_rtts"] += rtts
        before = proc_cpu.snapshot(groups)
        (ok, reads, elapsed), rtts, server = rfid_load.under_load(
            port, "/api/v1/rfid/reads", posts[out["ok"] :], key, probes[len(out["rtts"]) :], **shape
        )
        _add(out["cpu"], proc_cpu.spent(before, proc_cpu.snapshot(groups)))
        out["ok"] += ok
        out["reads"] += reads
        out["elapsed"] += elapsed
        out["rtts"] += rtts
        out["server"] += server
    return out


def _add(total: dict[str, float], more: dict[str, float]) -> None:
    for name, seconds in more.items():
        total[name] = total.get(name, 0.0) + seconds


def _cpu_line(cpu: dict[str, float], posts: int) -> str:
    """CPU ms per post answered, by where it was spent."""
    return ", ".join(f"{name} {seconds / max(posts, 1) * 1000:.2f}" for name, seconds in cpu.items())


def run() -> list[dict]:
    with servers("rfid", redis=True, rabbitmq=True) as up:
        return _run(up)


def _run(up: Servers) -> list[dict]:
    """Seed, start the worker and the servers, measure the reads and the probes, drain the gate events."""
    root, pg, rabbit, redis = up.root, up.postgresql, up.rabbitmq, up.redis
    env = {**up.env, "RFID_MAX_CLOCK_SKEW_SECONDS": str(10**8)}
    processes: list[subprocess.Popen] = []
    try:
        seed = json.loads(run_child("bench.rfid", env, "--seed", timeout=300))
        processes.append(_start_worker(env, root))
        port, daphnes = _start_servers(env, root)
        processes += daphnes
        groups = {
            "servers": [s.pid for s in daphnes],
            "worker": [processes[0].pid],
            "postgresql": [pg["pid"]],
            "rabbitmq": [rabbit.get("pid") or 0, rabbit.get("wrapper_pid") or 0],
            "redis": [redis["pid"]],
        }
        figures = _measure(port, seed, groups)
        figures["drain"] = json.loads(run_child("bench.rfid", env, "--drain", timeout=DRAIN_SECONDS + 60))
    except BaseException:
        kept = ROOT / "var" / "bench"
        kept.mkdir(parents=True, exist_ok=True)
        for log in root.glob("*.log"):
            shutil.copyfile(log, kept / f"rfid-{log.name}")
        raise
    finally:
        for process in reversed(processes):
            stop_family(process)
    return _results(figures)


def _results(f: dict) -> list[dict]:
    rate, bare_rate = f["reads"] / f["elapsed"], f["bare_reads"] / f["bare_elapsed"]
    p50, p99 = percentile(f["rtts"], 50), percentile(f["rtts"], 99)
    drain = f["drain"]
    print(
        f"   ingest: {f['ok']} posts, {f['reads']} reads in {f['elapsed']:.1f} s; probes: {len(f['rtts'])}, "
        f"server decidedIn_ms p50 {percentile(f['server'], 50):.2f} p99 {percentile(f['server'], 99):.2f}; "
        f"after the run: {drain['transactions']} transactions, {drain['opened']} opened, "
        f"{drain['events']} gate events for {drain['expected']} containers, recorded {drain['seconds']:.1f} s after",
        flush=True,
    )
    print(f"   CPU ms per post (probes included): rfid: {_cpu_line(f['cpu'], f['ok'] + len(f['rtts']))}", flush=True)
    print(f"   CPU ms per post (probes included): bare: {_cpu_line(f['bare_cpu'], f['bare_posts'])}", flush=True)
    shape = f"daphne x{SERVERS} processes, kept PostgreSQL connections, 1 Celery worker"
    bare = f"bare do-nothing Django endpoint, same daphne x{SERVERS}, same bodies"
    return [
        result(
            f"rfid reads ingested with dedupe, batches of 100 ({shape})",
            rate,
            "reads/s",
            baseline=bare,
            baseline_value=bare_rate,
            target=">= 20000 reads/s",
            met=rate >= 20000,
        ),
        result(
            f"rfid gate decision p50 under ingest load ({shape})",
            p50,
            "ms",
            baseline=bare + " (p50)",
            baseline_value=percentile(f["bare_rtts"], 50),
            target="-",
            met=True,
        ),
        result(
            f"rfid gate decision p99 under ingest load ({shape})",
            p99,
            "ms",
            baseline=bare + " (p99)",
            baseline_value=percentile(f["bare_rtts"], 99),
            target="< 50 ms",
            met=p99 < 50,
        ),
    ]


# ------------------------------------------------------------------------------------- the children

SEED_LANES = rfid_load.LANES + 1


def seed() -> None:
    """Migrate; readers, bound truck tags and containers with customs states; print keys and tags."""
    setup_django()
    from datetime import UTC, datetime

    from django.core.management import call_command

    from rfid.services import add_reader, bind_tag
    from rfid.simulator import container_number, truck_tag
    from tracking.models import ContainerStatus, Equipment

    call_command("migrate", verbosity=0)
    rng = random.Random(11)
    keys, trucks, boxes = {}, [], []
    for lane in range(SEED_LANES):
        rid = f"BENCH-{lane}"
        _reader, keys[rid] = add_reader(rid, gate="BENCH", direction="out", bonded=True, lane=f"L{lane}")
    for n in range(400):
        tag = truck_tag(rng)
        bind_tag(tag, kind="truck", reference=f"BENCH-{n:03d}", by="bench", valid_from=datetime(2020, 1, 1, tzinfo=UTC))
        trucks.append(tag)
        number = container_number(rng, owner="BNCU")
        equipment, _ = Equipment.objects.get_or_create(reference=number)
        state = "RLSD" if n % 3 else "ACPT"
        ContainerStatus.objects.update_or_create(equipment=equipment, defaults={"customs_state": state, "holds": []})
        boxes.append(number)
    print(json.dumps({"keys": keys, "trucks": trucks, "boxes": boxes}))


def drain() -> None:
    """Wait until the worker has recorded every opened transaction's gate events; print the counts."""
    setup_django()
    from rfid.models import GateTransaction
    from tracking.models import Event

    began = time.monotonic()
    while GateTransaction.objects.filter(events_pending=True).exists():
        if time.monotonic() - began > DRAIN_SECONDS:
            raise SystemExit(f"gate events still pending after {DRAIN_SECONDS} s")
        time.sleep(0.2)
    seconds = time.monotonic() - began
    opened = GateTransaction.objects.filter(decision="OPEN")
    expected = sum(len(tx.equipment) for tx in opened.only("equipment"))
    events = Event.objects.filter(type_code="GTOT").count()
    recorded = sum(len(tx.events) for tx in opened.only("events"))
    if events != expected or recorded != expected:
        raise SystemExit(f"{expected} containers opened, {events} GTOT events stored, {recorded} linked")
    counts = {"transactions": GateTransaction.objects.count(), "opened": opened.count()}
    print(json.dumps({**counts, "events": events, "expected": expected, "seconds": seconds}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seed"]:
        seed()
    elif sys.argv[1:2] == ["--drain"]:
        drain()
    else:
        main_for(run)
