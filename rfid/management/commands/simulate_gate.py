"""``simulate_gate``: drive a demo gate with realistic read bursts of passing trucks.

In-process (default): uses the local database, registers the reader and binds the truck tags if
needed, and takes the containers from the tracking store (the seeded demo's, say), so that
released ones open and the others hold. Against a running server: ``--url`` and ``--key`` (the
reader's key); ``--operator-key`` lets it bind the truck tags first, else trucks come unknown.

    python manage.py simulate_gate --trucks 3 --pause 0          # back to back: one long pass
    python manage.py simulate_gate --url http://127.0.0.1:8000 --key lh_... --shape impinj --container BOLU1234565
"""

from __future__ import annotations

import json
import random
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rfid import services
from rfid.exceptions import RfidError
from rfid.models import Reader
from rfid.parse import parse_payload
from rfid.simulator import as_impinj, as_zebra, batches, burst, container_number, container_tag, truck_tag

SHAPES = {"generic": None, "impinj": as_impinj, "zebra": as_zebra}


class Command(BaseCommand):
    help = "Drive a demo gate with realistic RFID read bursts (in-process, or against --url with --key)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reader", default="GATE1-OUT-L1", help="reader id (in-process: created if missing)")
        parser.add_argument("--trucks", type=int, default=3)
        parser.add_argument("--containers", type=int, default=1, choices=[0, 1, 2], help="containers per truck")
        parser.add_argument("--shape", choices=sorted(SHAPES), default="generic")
        parser.add_argument("--batch", type=int, default=100, help="reads per post")
        parser.add_argument(
            "--pause",
            type=float,
            default=None,
            help="seconds between trucks (default: the transaction window and 2 s, so each truck is its own pass)",
        )
        parser.add_argument("--container", action="append", default=[], help="container numbers to carry (repeatable)")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--url", help="base URL of a running server, e.g. http://127.0.0.1:8000")
        parser.add_argument("--key", help="the reader's API key (with --url)")
        parser.add_argument("--operator-key", help="a gate operator's key, to bind the truck tags (with --url)")

    def handle(self, *args, **options) -> None:
        if options["url"] and not options["key"]:
            raise CommandError("--url needs --key (the reader's API key)")
        rng = random.Random(options["seed"])
        if options["pause"] is None:
            options["pause"] = settings.RFID_TRANSACTION_WINDOW_SECONDS + 2.0
        send = self._http(options) if options["url"] else self._local(options)
        for number in range(1, options["trucks"] + 1):
            truck = truck_tag(rng)
            boxes = self._containers(options, rng)
            if options["url"]:
                if options["operator_key"]:
                    self._bind_http(options, truck, number)
            else:
                services.bind_tag(truck, kind="truck", reference=f"SIM-{number:03d}", by="simulate_gate")
            tags = [truck] + [container_tag(box) for box in boxes]
            reads = burst(tags, start=timezone.now(), rng=rng)
            answer: dict = {}
            for body in batches(reads, reader=options["reader"], size=options["batch"]):
                shaped = SHAPES[options["shape"]]
                answer = send(shaped(body["reads"]) if shaped else body)
            codes = ",".join(r.get("code", "?") for r in answer.get("reasons", [])) or "-"
            self.stdout.write(
                f"truck {number}: {len(reads)} reads, containers {' '.join(boxes) or '-'} -> "
                f"{answer.get('decision')} ({codes}) in {answer.get('decidedIn_ms')} ms, transaction {answer.get('transaction')}"
            )
            if number < options["trucks"]:
                time.sleep(options["pause"])

    def _containers(self, options: dict, rng: random.Random) -> list[str]:
        if options["container"]:
            pool = [c.strip().upper() for c in options["container"]]
            return rng.sample(pool, min(options["containers"], len(pool)))
        if options["url"]:
            return [container_number(rng) for _ in range(options["containers"])]
        from tracking.models import Equipment

        known = list(Equipment.objects.values_list("reference", flat=True)[:50])
        pool = known or [container_number(rng) for _ in range(5)]
        return rng.sample(pool, min(options["containers"], len(pool)))

    def _local(self, options: dict):
        reader = Reader.objects.filter(reader_id=options["reader"]).first()
        if reader is None:
            reader, _key = services.add_reader(options["reader"], gate="GATE1", direction="out", bonded=True, lane="L1")
            self.stdout.write(f"registered reader {reader.reader_id} (bonded, out) at gate {reader.gate}")

        def send(body) -> dict:
            try:
                payload = parse_payload(json.dumps(body).encode(), limit=10**6)
                services.check_binding(reader, payload)
                return services.process_reads(reader, payload)
            except RfidError as exc:
                raise CommandError(f"{exc.code}: {exc.message} at {exc.position}") from exc

        return send

    def _post(self, url: str, key: str, body) -> dict:
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Api-Key {key}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (operator-given URL)
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise CommandError(f"{url} answered {exc.code}: {exc.read()[:300]!r}") from exc
        except urllib.error.URLError as exc:
            raise CommandError(f"cannot reach {url}: {exc.reason}") from exc

    def _http(self, options: dict):
        url = options["url"].rstrip("/") + "/api/v1/rfid/reads"
        return lambda body: self._post(url, options["key"], body)

    def _bind_http(self, options: dict, truck: str, number: int) -> None:
        url = options["url"].rstrip("/") + "/api/v1/rfid/bindings"
        self._post(url, options["operator_key"], {"tag": truck, "kind": "truck", "reference": f"SIM-{number:03d}"})
