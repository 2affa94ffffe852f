"""``simulate_gate`` drives a gate with bursts; the simulator's shapes parse like the real ones."""

from __future__ import annotations

import json
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from rfid.models import GateTransaction, Observation
from rfid.parse import parse_payload
from rfid.simulator import as_impinj, as_zebra, burst, container_tag, truck_tag
from tests.unit.rfid.conftest import container

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("simulate_gate", *args, stdout=out)
    return out.getvalue()


def test_in_process_trucks_pass_and_each_pass_is_one_transaction(set_customs):
    set_customs(container("BOLU", "123456"), "RLSD")
    output = run("--trucks", "2", "--seed", "7", "--pause", "0")
    assert output.count("-> OPEN") + output.count("-> HOLD") == 2
    assert "registered reader GATE1-OUT-L1" in output
    assert Observation.objects.filter(scheme="grai").count() >= 1


def test_a_released_container_opens_in_the_simulation(set_customs):
    set_customs(container("BOLU", "123456"), "RLSD")
    output = run("--trucks", "1", "--seed", "1", "--shape", "impinj", "--pause", "0")
    assert "-> OPEN" in output and GateTransaction.objects.get().decision == "OPEN"


def test_zebra_shape_and_no_containers():
    output = run("--trucks", "1", "--containers", "0", "--shape", "zebra")
    assert "-> OPEN" in output


def test_named_containers_are_carried(set_customs):
    number = container("HFCU", "200015")
    set_customs(number, "ACPT")
    output = run("--trucks", "1", "--container", number.lower(), "--seed", "2")
    assert number in output and "NOT_RELEASED" in output


def test_url_needs_a_key():
    with pytest.raises(CommandError, match="--key"):
        run("--url", "http://127.0.0.1:9")


def test_an_unreachable_server_is_a_clear_error():
    with pytest.raises(CommandError, match="cannot reach"):
        run("--url", "http://127.0.0.1:9", "--key", "lh_x.y", "--trucks", "1")


def test_the_three_shapes_of_one_burst_parse_to_the_same_reads():
    rng = random.Random(3)
    reads = burst(
        [truck_tag(rng), container_tag(container("BOLU", "123456"))], start=timezone.now(), rng=rng, seconds=0.5
    )
    generic = parse_payload(json.dumps({"reader": "R", "reads": reads}).encode(), limit=10**4).reads
    impinj = parse_payload(json.dumps(as_impinj(reads)).encode(), limit=10**4).reads
    zebra = parse_payload(json.dumps(as_zebra(reads)).encode(), limit=10**4).reads
    assert [r.epc for r in generic] == [r.epc for r in impinj] == [r.epc for r in zebra]
    assert [r.antenna for r in generic] == [r.antenna for r in impinj] == [r.antenna for r in zebra]
