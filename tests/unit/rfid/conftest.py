"""Fixtures of the RFID tests: readers with keys, containers with a customs state, tag bindings, a poster."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from stdnum import iso6346

NOW = datetime(2026, 11, 25, 8, 0, 0, tzinfo=UTC)
TRUCK_TAG = "3074257BF7194E4000001A85"  # SGTIN 0614141.812345.6789, bound to a truck in the tests
UNKNOWN_TAG = "E28011B0A506007D3DD07C0F"  # a chip's factory EPC: decodes to nothing


def container(owner: str, serial: str) -> str:
    return owner + serial + iso6346.calc_check_digit(owner + serial)


def container_tag(number: str) -> str:
    """An ISO 17363-style tag: the container number in 6-bit characters, padded to 96 bits."""
    bits = "".join(format(ord(c) & 0x3F, "06b") for c in number).ljust(96, "0")
    return format(int(bits, 2), "024X")


@pytest.fixture(autouse=True)
def fresh_gate_cache():
    """Each test has its own gates: forget the process's cached ones."""
    from rfid import services

    services._gates.clear()
    services._last_batch = -1e9
    yield
    services._gates.clear()


@pytest.fixture(autouse=True)
def events_at_once(settings):
    """Gate events recorded on every opening commit (batching has its own test)."""
    settings.RFID_EVENT_BATCH_MS = 0


@pytest.fixture
def make_reader(db):
    from rfid.services import add_reader

    def make(
        reader_id: str = "GATE1-OUT-L1",
        gate: str = "GATE1",
        direction: str = "out",
        bonded: bool = True,
        lane: str = "L1",
    ):
        return add_reader(reader_id, gate=gate, direction=direction, bonded=bonded, lane=lane)

    return make


@pytest.fixture
def out_reader(make_reader):
    """A bonded gate-out reader and its key."""
    return make_reader()


@pytest.fixture
def set_customs(db):
    """Give a container a customs state (and holds) in the tracking store's status projection."""
    from tracking.models import ContainerStatus, Equipment

    def set_state(number: str, state: str, holds: list | None = None) -> None:
        equipment, _ = Equipment.objects.get_or_create(reference=number)
        ContainerStatus.objects.update_or_create(
            equipment=equipment, defaults={"customs_state": state, "holds": holds or []}
        )

    return set_state


@pytest.fixture
def bind(db):
    from rfid.services import bind_tag

    def make(tag: str, kind: str, reference: str):
        return bind_tag(tag, kind=kind, reference=reference, by="test", valid_from=datetime(2026, 1, 1, tzinfo=UTC))

    return make


@pytest.fixture
def post(api_client, django_capture_on_commit_callbacks):
    """POST a JSON body (or raw bytes) with a key; returns the response. After-commit work (gate events) runs."""

    def send(path: str, body, key: str | None, content_type: str = "application/json", **query):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
        url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        with django_capture_on_commit_callbacks(execute=True):
            return api_client.generic("POST", url, data, content_type=content_type, **headers)

    return send


def reads(*epcs: str, at: datetime = NOW, antenna: int = 1, rssi: float = -50.0, reader: str = "GATE1-OUT-L1") -> dict:
    return {
        "reader": reader,
        "reads": [{"epc": e, "antenna": antenna, "rssi": rssi, "time": at.isoformat()} for e in epcs],
    }
