"""Container timeline queries at scale: the API beside the bare SQL for the same rows, same run.

A throwaway PostgreSQL (``tests/stack.py``'s ``start_postgresql``, loopback only) is migrated and
loaded with ``BENCH_TRACKING_EVENTS`` events (default 1,000,000) for a tenth as many containers
(10 events each, 4 containers per bill of lading, a partner granted every container), with
``COPY``. Then, for ``BENCH_TRACKING_SAMPLES`` random containers, interleaved:

* API: ``GET /api/v1/containers/{number}`` with the partner's ``Authorization: Api-Key`` through
  Django's test client in process (URL routing, middleware, key check, visibility, status,
  shipments, timeline, JSON rendering: everything but the socket);
* bare: ``SELECT payload FROM tracking_event WHERE equipment_reference = %s ORDER BY
  event_datetime DESC, event_id DESC LIMIT 1000`` on a raw psycopg cursor, rows fetched.

Then a forwarder granted 100 of those containers pages its events: ``GET /api/v1/events?limit=100``
beside the bare SQL of the same page (``equipment_reference = ANY(...) ORDER BY recorded_at,
event_id LIMIT 101``), to show the list does not walk the whole store.

Targets (issue 5): API p99 under 20 ms and within 3x the bare query's p99.

    python -m bench.tracking_query
"""

from __future__ import annotations

import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import free_port, main_for, percentile, result

ROOT = Path(__file__).resolve().parent.parent
EVENTS = int(os.environ.get("BENCH_TRACKING_EVENTS", "1000000"))
SAMPLES = int(os.environ.get("BENCH_TRACKING_SAMPLES", "2000"))
PER_CONTAINER = 10
CODES = ("GTIN", "LOAD", "DISC", "GTOT", "PICK", "DROP", "STUF", "STRP", "INSP", "RSEA")
PORTS = ("CNSHA", "CNNGB", "SGSIN", "NLRTM", "DEHAM", "USLAX")
BARE_LIST_SQL = (
    "SELECT payload FROM tracking_event WHERE equipment_reference = ANY(%s) ORDER BY recorded_at, event_id LIMIT 101"
)
BARE_SQL = (
    "SELECT payload FROM tracking_event WHERE equipment_reference = %s "
    "ORDER BY event_datetime DESC, event_id DESC LIMIT 1000"
)


def run() -> list[dict]:
    """Start PostgreSQL, run the measuring child against it, stop PostgreSQL; return the figures."""
    sys.path.insert(0, str(ROOT / "tests"))
    import stack

    root = Path(tempfile.mkdtemp(prefix="logihub-stack-bench-"))
    root.chmod(0o755)
    info: dict = {}
    try:
        stack.start_postgresql(root, free_port(), info)
        env = {**os.environ, "DATABASE_URL": info["url"], "SECRET_KEY": secrets.token_urlsafe(48), "DEBUG": "0"}
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
        figures = json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        stack.stop_postgresql(info)
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    return _results(figures)


def _results(f: dict) -> list[dict]:
    scale = f"{f['events']:,} events, {f['containers']:,} containers"
    bare = "bare SQL, same rows"
    return [
        result(
            f"tracking container timeline via API p50 ({scale})",
            f["api_p50"],
            "ms",
            baseline=bare + " (p50)",
            baseline_value=f["bare_p50"],
            target="-",
            met=True,
        ),
        result(
            f"tracking container timeline via API p99 ({scale})",
            f["api_p99"],
            "ms",
            baseline=bare + " (p99)",
            baseline_value=f["bare_p99"],
            target="< 20 ms and <= 3x bare",
            met=f["api_p99"] < 20 and f["api_p99"] <= 3 * f["bare_p99"],
        ),
        result(
            f"tracking events list, forwarder with 100 containers, page of 100, p99 ({scale})",
            f["list_p99"],
            "ms",
            baseline=bare + " (p99)",
            baseline_value=f["list_bare_p99"],
            target="-",
            met=True,
        ),
    ]


# ------------------------------------------------------------------------------ the measuring child


def _check_digit(prefix: str) -> str:
    from stdnum import iso6346

    return iso6346.calc_check_digit(prefix)


def _load(connection, containers: int) -> list[str]:
    """COPY the events, containers, statuses and a partner's grants; return the container numbers."""
    from tracking.events import event_id

    start = datetime(2026, 1, 1, tzinfo=UTC)
    numbers = [f"BNCU{n:06d}" + _check_digit(f"BNCU{n:06d}") for n in range(containers)]
    raw = connection.connection
    now = datetime.now(UTC)
    columns = (
        "event_id, event_type, event_classifier, type_code, event_datetime, event_created_datetime, "
        "equipment_reference, carrier_booking_reference, transport_document_reference, un_location_code, "
        "payload, recorded_at"
    )
    rng = random.Random(5)
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY tracking_event ({columns}) FROM STDIN") as copy:
            for index, number in enumerate(numbers):
                bill = f"BNBL{index // 4:08d}"
                base = start + timedelta(minutes=rng.randrange(0, 500_000))
                for step, code in enumerate(CODES[:PER_CONTAINER]):
                    at = base + timedelta(hours=7 * step)
                    place = PORTS[(index + step // 3) % len(PORTS)]
                    eid = event_id("EQUIPMENT", code, "ACT", number, at.isoformat(), place)
                    payload = {
                        "eventID": eid,
                        "eventType": "EQUIPMENT",
                        "eventClassifierCode": "ACT",
                        "equipmentEventTypeCode": code,
                        "eventDateTime": at.isoformat(),
                        "eventCreatedDateTime": at.isoformat(),
                        "equipmentReference": number,
                        "ISOEquipmentCode": "45G1",
                        "emptyIndicatorCode": "LADEN",
                        "transportCall": {"UNLocationCode": place, "modeOfTransport": "VESSEL"},
                        "documentReferences": [{"documentReferenceType": "TRD", "documentReferenceValue": bill}],
                        "source": {"party": "BENCHCARRIER", "messageReference": f"M{index}"},
                    }
                    copy.write_row(
                        (
                            uuid.UUID(eid),
                            "EQUIPMENT",
                            "ACT",
                            code,
                            at,
                            at,
                            number,
                            "",
                            bill,
                            place,
                            json.dumps(payload),
                            now,
                        )
                    )
        with cursor.copy(
            "COPY tracking_equipment (reference, iso_equipment_code, valid, problem, created_at) FROM STDIN"
        ) as copy:
            for number in numbers:
                copy.write_row((number, "45G1", True, "", now))
    raw.commit()
    return numbers


def _prepare(containers: int) -> tuple[list[str], str]:
    from django.core.management import call_command
    from django.db import connection

    from tracking.apikeys import issue_key
    from tracking.models import Access, ContainerStatus, Equipment, Party

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    numbers = _load(connection, containers)
    party = Party.objects.create(name="Bench Forwarder", edi_id="BENCHFWD", role="forwarder")
    ids = dict(Equipment.objects.values_list("reference", "pk"))
    Access.objects.bulk_create(
        [Access(party=party, kind="EQ", reference=n, reason="named") for n in numbers], batch_size=5000
    )
    ContainerStatus.objects.bulk_create(
        [ContainerStatus(equipment_id=ids[n], milestone="RSEA", un_location_code="NLRTM") for n in numbers],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    _key, clear = issue_key(party=party, name="bench")
    return numbers, clear


def _list_figures(numbers: list[str], rounds: int = 300) -> tuple[list[float], list[float]]:
    """ms of a forwarder's first events page through the API and as bare SQL, interleaved."""
    from django.db import connection
    from django.test import Client

    from tracking.apikeys import issue_key
    from tracking.models import Access, Party

    mine = sorted(random.Random(11).sample(numbers, 100))
    party = Party.objects.create(name="Small Forwarder", edi_id="BENCHSMALL", role="forwarder")
    Access.objects.bulk_create([Access(party=party, kind="EQ", reference=n, reason="named") for n in mine])
    _key, clear = issue_key(party=party, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {clear}")
    raw = connection.connection
    api, bare = [], []
    for index in range(rounds + 20):
        started = time.perf_counter()
        response = client.get("/api/v1/events?limit=100")
        elapsed_api = time.perf_counter() - started
        if response.status_code != 200 or len(response.json()) != 100:
            raise RuntimeError(f"events list: {response.status_code} {response.content[:300]!r}")
        with raw.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(BARE_LIST_SQL, (mine,))
            rows = cursor.fetchall()
            elapsed_bare = time.perf_counter() - started
        raw.commit()
        if len(rows) != 101:
            raise RuntimeError(f"bare list found {len(rows)} rows")
        if index >= 20:
            api.append(elapsed_api * 1000)
            bare.append(elapsed_bare * 1000)
    return api, bare


def child() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    django.setup()
    from django.db import connection
    from django.test import Client

    containers = max(EVENTS // PER_CONTAINER, 1)
    numbers, key = _prepare(containers)
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    sample = random.Random(7).sample(numbers, min(SAMPLES + 200, len(numbers)))
    api, bare = [], []
    raw = connection.connection
    for index, number in enumerate(sample):
        started = time.perf_counter()
        response = client.get(f"/api/v1/containers/{number}")
        elapsed_api = time.perf_counter() - started
        if response.status_code != 200 or len(response.json()["timeline"]) != PER_CONTAINER:
            raise RuntimeError(f"{number}: {response.status_code} {response.content[:300]!r}")
        with raw.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(BARE_SQL, (number,))
            rows = cursor.fetchall()
            elapsed_bare = time.perf_counter() - started
        raw.commit()
        if len(rows) != PER_CONTAINER:
            raise RuntimeError(f"{number}: bare query found {len(rows)} rows")
        if index >= 200:  # warm-up done
            api.append(elapsed_api * 1000)
            bare.append(elapsed_bare * 1000)
    list_api, list_bare = _list_figures(numbers)
    figures = {
        "list_p99": percentile(list_api, 99),
        "list_bare_p99": percentile(list_bare, 99),
        "events": containers * PER_CONTAINER,
        "containers": containers,
        "api_p50": percentile(api, 50),
        "api_p99": percentile(api, 99),
        "bare_p50": percentile(bare, 50),
        "bare_p99": percentile(bare, 99),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        main_for(run)
