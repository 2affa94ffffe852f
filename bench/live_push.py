"""Live push latency: from an event's commit to its receipt by websocket clients on Daphne over Redis.

A throwaway PostgreSQL and Redis (``tests/stack.py``'s ``start_postgresql``/``start_redis``,
loopback only) and one Daphne process serving ``hub.asgi`` with the Redis channel layer. A
partner sees ``CONTAINERS`` containers; ``CLIENTS`` websocket clients (one asyncio process,
the partner's ``Authorization: Api-Key``) each subscribe to one of them, so every event reaches
``CLIENTS / CONTAINERS`` clients. A recorder process then records one event every
``1 / RATE`` s with ``record_events`` (each its own transaction); the clock starts in an
``on_commit`` callback registered before the store's own push, i.e. at the commit. Beside it,
in the same run and to the same clients, the baseline: the same events sent straight to the
channel layer (``tracking.push.send_event_now``), no database.

Target (issue 5): p99 from commit to receipt under 100 ms on this 2-core machine.

    python -m bench.live_push
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import free_port, main_for, percentile, result, run_child, servers, setup_django

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_PUSH_CLIENTS", "500"))
CONTAINERS = 50
RATE, SECONDS = 20, 10
SERVER_START_TIMEOUT = 60


def _child(env: dict, *args: str, timeout: float = 300) -> str:
    return run_child("bench.live_push", env, *args, timeout=timeout)


def _wait_for_port(port: int, daphne: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if daphne.poll() is not None:
            raise RuntimeError(f"daphne exited: {log.read_text()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("daphne did not start")


def run() -> list[dict]:
    with servers("push", redis=True) as up:
        return _run(up.root, up.env)


def _run(root: Path, env: dict[str, str]) -> list[dict]:
    """Seed, start Daphne and the websocket clients, record events, collect what the clients received."""
    daphne = clients = None
    try:
        seed = json.loads(_child(env, "--seed"))
        port = free_port()
        daphne_log = open(root / "daphne.log", "wb")  # noqa: SIM115 (closed with the run)
        daphne = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "hub.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=daphne_log,
        )
        _wait_for_port(port, daphne, root / "daphne.log")
        clients = subprocess.Popen(
            [sys.executable, "-m", "bench.live_push", "--clients", str(port), seed["key"], *seed["containers"]],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if clients.stdout.readline().strip() != "ready":
            log = (root / "daphne.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"websocket clients did not get ready: {clients.stderr.read()[-1500:]}\n{log}")
        sent = {mode: json.loads(_child(env, "--record", mode, *seed["containers"])) for mode in ("store", "bare")}
        time.sleep(1.0)
        out, err = clients.communicate("stop\n", timeout=120)
        if clients.returncode != 0:
            log = (root / "daphne.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"websocket clients failed: {err[-1500:]}\ndaphne log:\n{log}")
        received = json.loads(out.strip().splitlines()[-1])
    except BaseException:
        if (root / "daphne.log").exists():  # keep the server's side of the failure for a post-mortem
            kept = ROOT / "var" / "bench" / "live_push-daphne.log"
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / "daphne.log", kept)
        raise
    finally:
        for process in (clients, daphne):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=10)
    return _results(sent, received)


def _latencies(sent: dict[str, float], received: dict[str, list[float]]) -> tuple[list[float], int]:
    expected = CLIENTS // CONTAINERS
    samples, missing = [], 0
    for event_id, at in sent.items():
        times = received.get(event_id, [])
        missing += max(expected - len(times), 0)
        samples += [(t - at) * 1000 for t in times]
    return samples, missing


def _results(sent: dict, received: dict) -> list[dict]:
    store, lost_store = _latencies(sent["store"], received)
    bare, lost_bare = _latencies(sent["bare"], received)
    if lost_store or lost_bare or not store:
        raise RuntimeError(f"receipts missing: {lost_store} after commit, {lost_bare} bare")
    label = f"{CLIENTS} websocket clients, Daphne over Redis"
    baseline = "channel layer send, no store"
    return [
        result(
            f"live push, commit to receipt p50 ({label})",
            percentile(store, 50),
            "ms",
            baseline=baseline + " (p50)",
            baseline_value=percentile(bare, 50),
            target="-",
            met=True,
        ),
        result(
            f"live push, commit to receipt p99 ({label})",
            percentile(store, 99),
            "ms",
            baseline=baseline + " (p99)",
            baseline_value=percentile(bare, 99),
            target="< 100 ms",
            met=percentile(store, 99) < 100,
        ),
    ]


# ------------------------------------------------------------------------------------- the children


def _event(number: str, n: int) -> dict:
    from tracking.events import event_id

    at = f"2026-11-25T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}+08:00"
    return {
        "eventID": event_id("bench-push", number, n),
        "eventType": "EQUIPMENT",
        "eventClassifierCode": "ACT",
        "equipmentEventTypeCode": "GTIN",
        "eventDateTime": at,
        "eventCreatedDateTime": at,
        "equipmentReference": number,
        "emptyIndicatorCode": "LADEN",
        "transportCall": {"UNLocationCode": "CNSHA", "facilityCode": "YSPIV", "modeOfTransport": "VESSEL"},
        "parties": [{"partyEDIIdentity": "BENCHFWD", "partyFunction": "FW"}],
    }


def seed() -> None:
    setup_django()
    from django.core.management import call_command
    from stdnum import iso6346

    from tracking.apikeys import issue_key
    from tracking.models import Party
    from tracking.store import record_events

    call_command("migrate", verbosity=0)
    party = Party.objects.create(name="Bench Forwarder", edi_id="BENCHFWD", role="forwarder")
    numbers = [f"PSHU{n:06d}" + iso6346.calc_check_digit(f"PSHU{n:06d}") for n in range(CONTAINERS)]
    record_events([_event(number, 0) for number in numbers])
    _key, clear = issue_key(party=party, name="bench")
    print(json.dumps({"key": clear, "containers": numbers}))


def record(mode: str, numbers: list[str]) -> None:
    setup_django()
    from django.db import transaction

    from tracking.push import send_event_now
    from tracking.store import record_events

    sent: dict[str, float] = {}
    offset = 1 if mode == "store" else 100_000
    for n in range(RATE * SECONDS):
        event = _event(numbers[n % len(numbers)], offset + n)
        began = time.monotonic()
        if mode == "store":
            with transaction.atomic():
                transaction.on_commit(lambda eid=event["eventID"]: sent.__setitem__(eid, time.time()))
                record_events([event])
        else:
            sent[event["eventID"]] = time.time()
            send_event_now(event)
        time.sleep(max(0.0, 1 / RATE - (time.monotonic() - began)))
    print(json.dumps(sent))


async def _client(url: str, key: str, number: str, received: dict, ready: asyncio.Event, stop: asyncio.Event) -> None:
    from websockets.asyncio.client import connect

    headers = {"Authorization": f"Api-Key {key}"}
    async with connect(url, additional_headers=headers, origin="http://127.0.0.1", open_timeout=60) as websocket:
        await websocket.send(json.dumps({"action": "subscribe", "containers": [number]}))
        while json.loads(await websocket.recv()).get("type") != "snapshot":
            pass
        ready.set()
        while not stop.is_set():
            try:
                message = await asyncio.wait_for(websocket.recv(), timeout=0.5)
            except TimeoutError:
                continue
            at = time.time()
            event = json.loads(message).get("event") or {}
            received.setdefault(event.get("eventID"), []).append(at)


async def clients(port: int, key: str, numbers: list[str]) -> None:
    url = f"ws://127.0.0.1:{port}/ws/track/"
    received: dict[str, list[float]] = {}
    stop = asyncio.Event()
    tasks, readies = [], []
    for n in range(CLIENTS):
        ready = asyncio.Event()
        readies.append(ready)
        tasks.append(asyncio.create_task(_client(url, key, numbers[n % len(numbers)], received, ready, stop)))
        if n % 25 == 24:  # connect in waves, as clients arrive
            await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies[-25:])), timeout=120)
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), timeout=120)
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    stop.set()
    await asyncio.gather(*tasks)
    print(json.dumps(received))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seed"]:
        seed()
    elif sys.argv[1:2] == ["--record"]:
        record(sys.argv[2], sys.argv[3:])
    elif sys.argv[1:2] == ["--clients"]:
        asyncio.run(clients(int(sys.argv[2]), sys.argv[3], sys.argv[4:]))
    else:
        main_for(run)
