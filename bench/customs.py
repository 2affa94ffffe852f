"""Customs gateway throughput: declarations/s through validate + sign + send + receipt, beside signing alone.

In one child process on a throwaway SQLite database (``LOGIHUB_VAR_DIR`` in a temporary folder),
in the same run:

* the pipeline: a carrier's MT1101 manifest (two bills, three containers) submitted, validated
  against our XSD, rebuilt with a new message id, signed (XML-DSig, RSA-2048), put in its DXP
  envelope, sent to the authority simulator, its transport acknowledgement and its signed MT9999
  acceptance received, verified, correlated and applied (CUSTOMS events recorded);
* the baseline: signing the same manifest alone with the same signer (XML-DSig RSA-2048);
* beside it, SM2 with SM3 signing alone (gmssl, pure Python);
* the EDIFACT path beside the XML one: a carrier's CUSCAR (two bills) read through the translation
  layer, rebuilt as our CUSCAR and checked against D.96B, sent to the simulator speaking EDIFACT,
  its CONTRL kept and its CUSRES acceptance translated and applied.

Bounded: at most ``COUNT`` declarations or ``BUDGET_S`` seconds per figure.

    python -m bench.customs
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import main_for, result

ROOT = Path(__file__).resolve().parent.parent
COUNT = 300
BUDGET_S = 20.0
TARGET_RATE = 1.0  # declarations/s in one embedded process: 86,400 a day, above a large port's manifest traffic


def _rate(step, count: int = COUNT, budget: float = BUDGET_S) -> float:
    done = 0
    started = time.perf_counter()
    while done < count and time.perf_counter() - started < budget:
        step(done)
        done += 1
    return done / (time.perf_counter() - started)


def child() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from customs_gateway import transport
    from customs_gateway.keys import gateway_signer
    from customs_gateway.outbound import submit
    from customs_gateway.signing import Sm2Signer, new_sm2_key
    from customs_gateway.simulator import Simulator
    from tracking.models import Party

    body = (ROOT / "tests" / "fixtures" / "customs" / "MT1101_original.xml").read_bytes()
    party = Party.objects.create(name="Bench Carrier", edi_id="TESTCARRIER", role="carrier")
    sim = Simulator()
    sim.rules.default_plan = ["accept"]
    sim.trust()
    transport.override(sim)
    signer = gateway_signer()

    def round_trip(index: int) -> None:
        voyage = f"B{index:05d}"
        submit(
            party,
            body.replace(b"<JourneyID>047E</JourneyID>", f"<JourneyID>{voyage}</JourneyID>".encode()).replace(
                b"20261125080000001</MessageID>", f"{index:017d}</MessageID>".encode()
            ),
            actor="bench",
        )  # outside a transaction the send task runs at once (Celery eager in the embedded mode)
        results = sim.deliver()
        if [r.status for r in results] != ["applied"]:
            raise RuntimeError(f"declaration {index}: {[(r.status, r.note) for r in results]}")

    from customs_gateway import machine

    spent = [0.0]
    record = machine.record_events

    def timed_record(events):  # how much of a round trip is the tracking store's
        started = time.perf_counter()
        try:
            return record(events)
        finally:
            spent[0] += time.perf_counter() - started

    machine.record_events = timed_record
    round_trip(-1)  # warm-up: schemas compiled, caches filled
    signer.sign(body)
    spent[0] = 0.0
    started = time.perf_counter()
    pipeline = _rate(round_trip)
    store_share = spent[0] / (time.perf_counter() - started)
    signing = _rate(lambda _i: signer.sign(body))
    sm2 = Sm2Signer(new_sm2_key())
    sm2_rate = _rate(lambda _i: sm2.sign(body), count=100, budget=10.0)
    sim.message_format = "edifact"
    cuscar = (ROOT / "tests" / "fixtures" / "edifact" / "cuscar_d96b_logihub_manifest.edi").read_bytes()

    def edifact_round_trip(index: int) -> None:
        number = f"MANB{index:06d}".encode()
        submit(party, cuscar.replace(b"MAN-612E-SHA", number).replace(b"CC0001", b"B%06d" % (index % 10**6)), actor="b")
        results = sim.deliver()
        if [r.status for r in results] != ["applied"]:
            raise RuntimeError(f"EDIFACT manifest {index}: {[(r.status, r.note) for r in results]}")

    edifact_round_trip(-1)
    edifact = _rate(edifact_round_trip)
    figures = {
        "pipeline": pipeline,
        "signing": signing,
        "sm2": sm2_rate,
        "store_share": store_share,
        "edifact": edifact,
    }
    print(json.dumps(figures))


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CHANNEL_LAYER_URL")
            },
            "LOGIHUB_VAR_DIR": tmp,
            "DJANGO_SETTINGS_MODULE": "hub.settings",
            "LOG_LEVEL": "WARNING",
            "DEBUG": "0",
        }
        done = subprocess.run(
            [sys.executable, "-m", "bench.customs", "--child"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        result(
            "customs declarations: validate + sign + send + receipt",
            figures["pipeline"],
            "declarations/s",
            baseline="XML-DSig RSA-2048 signing alone",
            baseline_value=figures["signing"],
            target=f">= {TARGET_RATE:g} declarations/s",
            met=figures["pipeline"] >= TARGET_RATE,
        ),
        result(
            "customs round trip: share spent in tracking.record_events",
            100 * figures["store_share"],
            "%",
            baseline="whole round trip",
            baseline_value=100.0,
            target="reported",
            met=True,
        ),
        result(
            "customs manifests to an EDIFACT authority: CUSCAR in + out through edi, directory check, CONTRL, CUSRES",
            figures["edifact"],
            "declarations/s",
            baseline="the XML pipeline above (validate + sign + DXP + send + receipt)",
            baseline_value=figures["pipeline"],
            target=f">= {TARGET_RATE:g} declarations/s",
            met=figures["edifact"] >= TARGET_RATE,
        ),
        result(
            "customs SM2/SM3 signing (gmssl)",
            figures["sm2"],
            "signatures/s",
            baseline="XML-DSig RSA-2048 signing alone",
            baseline_value=figures["signing"],
            target="reported",
            met=True,
        ),
    ]


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        main_for(run)
