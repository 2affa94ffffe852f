"""Container timeline queries at scale: the API beside the bare SQL for the same answer, same run.

A throwaway PostgreSQL (``tests/stack.py``'s ``start_postgresql``, loopback only) is migrated and
loaded by :mod:`bench.tracking_data` with ``BENCH_TRACKING_EVENTS`` events (default 1,000,000) for
a tenth as many containers (10 events each, 4 containers per bill of lading with their shipment
rows, a status per container, a partner granted every container). Then, for
``BENCH_TRACKING_SAMPLES`` random containers, interleaved:

* API in process: ``GET /api/v1/containers/{number}`` with the partner's ``Authorization:
  Api-Key`` through Django's test client (URL routing, middleware, key check, throttle,
  visibility, status, shipments, timeline, JSON: everything but the socket and the server), in
  this process settled as a server process is once loaded (``hub.memory.settle``);
* API over HTTP: the same request to a real Daphne (the production ASGI server, ``hub.asgi``) on
  127.0.0.1, over one keep-alive connection (``bench.harness.KeepAliveClient``: the request's bytes
  built once, the answer framed by its Content-Length, so that the figure is the server's and not
  ``http.client``'s header parsing). A partner's plain container read is answered on the server's
  event loop (``tracking/fastlane.py``) once Django has answered the first and the key is kept; the
  few Django still answers (the first, one each time the key's keeping expires) are in the figure,
  and every answer is checked equal to the in-process one. Beside it, as information: the same
  server answering a path no view serves (``/api/v1/containers/``, a 404 through the middleware: the
  floor of a request Django answers), and a second Daphne with the lane off (``HTTP_FAST_LANE=0``:
  every answer from Django on the thread pool, the figure of sessions 5 to 9);
* bare: one hand-written SQL statement that fetches everything the answer holds (the container,
  its status, its shipments, the partner's grant, its last 1000 events as stored JSON text) on a
  raw psycopg cursor as a prepared statement, rows fetched; the key check is not in it. Beside
  it, as information, the timeline alone (``SELECT payload ... WHERE equipment_reference = %s
  ORDER BY ... LIMIT 1000``), the baseline of earlier runs.

Then a forwarder granted 100 of those containers pages its events: ``GET /api/v1/events?limit=100``
and the same filtered by one of its containers, beside the bare SQL of the same pages, to show the
list does not walk the whole store.

Targets (issue 5): API p99 under 20 ms and within 3x the bare query's p99.

    python -m bench.tracking_query
    BENCH_TRACKING_DATABASE_URL=postgresql://... python -m bench.tracking_query   # reuse a loaded database
"""

from __future__ import annotations

import gc
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from bench.harness import KeepAliveClient, free_port, main_for, percentile, result, servers
from bench.tracking_data import PER_CONTAINER

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
EVENTS = int(os.environ.get("BENCH_TRACKING_EVENTS", "1000000"))
SAMPLES = int(os.environ.get("BENCH_TRACKING_SAMPLES", "2000"))
WARM_UP = 200
BARE_LIST_SQL = (
    "SELECT payload::text FROM tracking_event WHERE equipment_reference = ANY(%s) AND withdrawn_by_id IS NULL "
    "ORDER BY recorded_at, event_id LIMIT 101"
)
BARE_FILTERED_SQL = (
    "SELECT payload::text FROM tracking_event WHERE equipment_reference = %s AND withdrawn_by_id IS NULL "
    "ORDER BY recorded_at, event_id LIMIT 101"
)
BARE_TIMELINE_SQL = (
    "SELECT payload::text FROM tracking_event WHERE equipment_reference = %s AND withdrawn_by_id IS NULL "
    "ORDER BY event_datetime DESC, event_id DESC LIMIT 1000"
)
BARE_SQL = """
SELECT e.iso_equipment_code, e.valid, e.problem, s.milestone, s.milestone_event_type, s.milestone_at,
       s.milestone_event_id, s.un_location_code, s.facility_code, s.vessel_imo_number, s.vessel_name,
       s.carrier_voyage_number, s.eta, s.eta_location, s.customs_state, s.customs_at, s.holds,
       (SELECT json_agg(json_build_array(sh.kind, sh.reference)) FROM tracking_shipmentequipment se
          JOIN tracking_shipment sh ON sh.id = se.shipment_id WHERE se.equipment_id = e.id),
       ev.payload::text
FROM tracking_equipment e
JOIN tracking_access a ON a.party_id = %s AND a.kind = 'EQ' AND a.reference = e.reference
LEFT JOIN tracking_containerstatus s ON s.equipment_id = e.id
LEFT JOIN tracking_event ev ON ev.equipment_reference = e.reference AND ev.withdrawn_by_id IS NULL
WHERE e.reference = %s
ORDER BY ev.event_datetime DESC, ev.event_id DESC LIMIT 1000
"""


def run() -> list[dict]:
    """Start PostgreSQL, run the measuring child against it, stop PostgreSQL; return the figures.

    With ``BENCH_TRACKING_DATABASE_URL`` set (while iterating on the query path) the child uses
    that database instead and loads it only when it does not already hold this many events;
    ``make bench`` never sets it, so its figures always come from a freshly loaded cluster.
    """
    reuse = os.environ.get("BENCH_TRACKING_DATABASE_URL")
    if reuse:
        return _results(_measure(reuse))
    with servers("tracking") as up:
        figures = _measure(up.postgresql["url"])
    return _results(figures)


def _measure(url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(48), "DEBUG": "0"}
    env["PARTNER_RATE"] = "10000000/minute"  # the figure is the query path, not the rate limiter
    for name in ("CELERY_BROKER_URL", "CHANNEL_LAYER_URL"):
        env.pop(name, None)
    child = subprocess.run(
        [sys.executable, "-m", "bench.tracking_query", "--child"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if child.returncode != 0:
        raise RuntimeError(f"measuring process failed:\n{child.stdout[-2000:]}\n{child.stderr[-4000:]}")
    print(child.stderr.strip(), file=sys.stderr)
    return json.loads(child.stdout.strip().splitlines()[-1])


def _results(f: dict) -> list[dict]:
    scale = f"{f['events']:,} events, {f['containers']:,} containers"
    bare = "bare SQL, same answer"
    target = "< 20 ms and <= 3x bare"
    out = []
    for way, key in (("in process", "api"), ("over HTTP (Daphne)", "http")):
        out.append(
            result(
                f"tracking container timeline via API {way} p50 ({scale})",
                f[f"{key}_p50"],
                "ms",
                baseline=bare + " (p50)",
                baseline_value=f["bare_p50"],
                target="-",
                met=True,
            )
        )
        p99 = f[f"{key}_p99"]
        out.append(
            result(
                f"tracking container timeline via API {way} p99 ({scale})",
                p99,
                "ms",
                baseline=bare + " (p99)",
                baseline_value=f["bare_p99"],
                target=target,
                met=p99 < 20 and p99 <= 3 * f["bare_p99"],
            )
        )
    out.append(
        result(
            "(information) over HTTP (Daphne) p99, the event loop's lane off: every answer from Django",
            f["django_p99"],
            "ms",
            baseline=bare + " (p99)",
            baseline_value=f["bare_p99"],
            target="-",
            met=True,
        )
    )
    out.append(
        result(
            "(information) over HTTP (Daphne) p50: the container answer, beside an unrouted path (404, no view)",
            f["http_p50"],
            "ms",
            baseline="Daphne + Django middleware alone (p50)",
            baseline_value=f["floor_p50"],
            target="-",
            met=True,
        )
    )
    out.append(
        result(
            "(information) bare SQL of the container answer p99, beside the timeline alone",
            f["bare_p99"],
            "ms",
            baseline="bare SQL, timeline rows only (p99)",
            baseline_value=f["timeline_p99"],
            target="-",
            met=True,
        )
    )
    for what, key in (("page of 100", "list"), ("filtered by one container", "filtered")):
        out.append(
            result(
                f"tracking events list, forwarder with 100 containers, {what}, p99 ({scale})",
                f[f"{key}_p99"],
                "ms",
                baseline="bare SQL, same page (p99)",
                baseline_value=f[f"{key}_bare_p99"],
                target="-",
                met=True,
            )
        )
    return out


# ------------------------------------------------------------------------------ the measuring child


def _timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return (time.perf_counter() - started) * 1000, value


def _bare(raw, sql: str, params: tuple) -> list:
    """Rows of a prepared statement (planned once per connection, as the API's statement is)."""
    import psycopg

    with psycopg.Cursor(raw) as cursor:
        cursor.execute(sql, params, prepare=True)
        rows = cursor.fetchall()
    raw.commit()
    return rows


def _serve(port: int, log: Path, **env: str) -> subprocess.Popen:
    """Daphne on 127.0.0.1 with this process's settings (and ``env``), answering /healthz."""
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "hub.asgi:application"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"daphne exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/healthz")
            probe.getresponse().read()
            probe.close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("daphne did not start")


def collected_between(samples: Iterable[T], every: int = 20) -> Iterator[T]:
    """The samples with the collector off while each is timed; garbage collected between them.

    The measuring process makes cyclic garbage of its own (Django's test client, the bare cursor);
    a collection set off inside one timed call would be charged to whichever figure it fell in (a
    traced run of this process: 587 automatic collections, the young ones up to 25 ms each). Collecting every ``every`` samples, outside the timed
    calls, charges it to none. The servers measured keep their own collector as configured.
    """
    gc.disable()
    try:
        for index, sample in enumerate(samples):
            if index % every == 0:
                gc.collect(1)
            yield sample
    finally:
        gc.enable()


def _containers(numbers: list[str], key: str, party_id: int, port: int, django_port: int) -> dict[str, list[float]]:
    """ms per container answer: in process, over HTTP (the lane on, and off), bare statement, bare
    timeline; interleaved."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    remote = KeepAliveClient(port, {"Authorization": f"Api-Key {key}"})
    through_django = KeepAliveClient(django_port, {"Authorization": f"Api-Key {key}"})
    raw = connection.connection
    times: dict[str, list[float]] = {"api": [], "http": [], "django": [], "floor": [], "bare": [], "timeline": []}
    picked = random.Random(7).sample(numbers, min(SAMPLES + WARM_UP, len(numbers)))
    for index, number in collected_between(enumerate(picked)):
        url = f"/api/v1/containers/{number}"
        api, response = _timed(lambda url=url: client.get(url))
        if response.status_code != 200 or len(response.json()["timeline"]) != PER_CONTAINER:
            raise RuntimeError(f"{number}: {response.status_code} {response.content[:300]!r}")
        http_ms, (status, body) = _timed(lambda url=url: remote.get(url))
        if status != 200 or json.loads(body) != response.json():
            raise RuntimeError(f"{number} over HTTP: {status} {body[:300]!r}")
        django_ms, (status, body) = _timed(lambda url=url: through_django.get(url))
        if status != 200 or json.loads(body) != response.json():
            raise RuntimeError(f"{number} over HTTP, the lane off: {status} {body[:300]!r}")
        floor, (status, _body) = _timed(lambda: remote.get("/api/v1/containers/"))
        if status != 404:
            raise RuntimeError(f"the unrouted path answered {status}")
        bare, rows = _timed(lambda number=number: _bare(raw, BARE_SQL, (party_id, number)))
        if len(rows) != PER_CONTAINER or rows[0][17] in (None, "", []):
            raise RuntimeError(f"{number}: the bare statement found {len(rows)} rows")
        timeline, rows = _timed(lambda number=number: _bare(raw, BARE_TIMELINE_SQL, (number,)))
        if len(rows) != PER_CONTAINER:
            raise RuntimeError(f"{number}: the bare timeline found {len(rows)} rows")
        if index >= WARM_UP:
            pairs = (
                ("api", api),
                ("http", http_ms),
                ("django", django_ms),
                ("floor", floor),
                ("bare", bare),
                ("timeline", timeline),
            )
            for name, value in pairs:
                times[name].append(value)
    remote.close()
    through_django.close()
    return times


def _list_figures(numbers: list[str], rounds: int = 300) -> dict[str, list[float]]:
    """ms of a forwarder's first events page, and of one container's, through the API and as bare SQL."""
    from django.db import connection
    from django.test import Client

    from bench.tracking_data import small_forwarder

    mine, key = small_forwarder(numbers)
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    raw = connection.connection
    times: dict[str, list[float]] = {"list": [], "list_bare": [], "filtered": [], "filtered_bare": []}
    for index in collected_between(range(rounds + 20)):
        api, response = _timed(lambda: client.get("/api/v1/events?limit=100"))
        if response.status_code != 200 or len(response.json()) != 100:
            raise RuntimeError(f"events list: {response.status_code} {response.content[:300]!r}")
        bare, rows = _timed(lambda: _bare(raw, BARE_LIST_SQL, (mine,)))
        if len(rows) != 101:
            raise RuntimeError(f"bare list found {len(rows)} rows")
        box = mine[index % len(mine)]
        filtered, response = _timed(lambda box=box: client.get(f"/api/v1/events?equipmentReference={box}"))
        if response.status_code != 200 or len(response.json()) != PER_CONTAINER:
            raise RuntimeError(f"events of {box}: {response.status_code} {response.content[:300]!r}")
        filtered_bare, rows = _timed(lambda box=box: _bare(raw, BARE_FILTERED_SQL, (box,)))
        if len(rows) != PER_CONTAINER:
            raise RuntimeError(f"bare events of {box}: {len(rows)} rows")
        if index >= 20:
            for name, value in (
                ("list", api),
                ("list_bare", bare),
                ("filtered", filtered),
                ("filtered_bare", filtered_bare),
            ):
                times[name].append(value)
    return times


def child() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    django.setup()
    from bench.tracking_data import prepare
    from tracking.models import Party

    containers = max(EVENTS // PER_CONTAINER, 1)
    numbers, key = prepare(containers)
    party_id = Party.objects.get(edi_id="BENCHFWD").pk
    from django.urls import get_resolver

    from hub.memory import settle

    get_resolver().url_patterns  # noqa: B018  (loaded, then settled as a server process settles: hub/asgi.py)
    settle()
    root = Path(tempfile.mkdtemp(prefix="logihub-bench-daphne-"))
    port, django_port = free_port(), free_port()
    server = _serve(port, root / "daphne.log")
    without_lane = _serve(django_port, root / "daphne-no-lane.log", HTTP_FAST_LANE="0")
    try:
        times = _containers(numbers, key, party_id, port, django_port)
    finally:
        for process in (server, without_lane):
            process.terminate()
            process.wait(timeout=30)
    times.update(_list_figures(numbers))
    figures = {"events": containers * PER_CONTAINER, "containers": containers}
    for name, samples in times.items():
        figures[f"{name}_p50"] = percentile(samples, 50)
        figures[f"{name}_p99"] = percentile(samples, 99)
    print(json.dumps(figures))


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        main_for(run)
