"""Fixtures of the tracking tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_party(db):
    from tracking.models import Party

    def make(edi_id: str, role: str = "forwarder", name: str | None = None) -> Party:
        return Party.objects.create(name=name or f"{edi_id} Ltd", edi_id=edi_id, role=role)

    return make


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle history lives in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_user("operator", password="pw-operator-1", is_staff=True)


@pytest.fixture
def key_for(db):
    """The clear API key of a party, for ``Authorization: Api-Key <key>``."""
    from tracking.apikeys import issue_key

    def make(party) -> dict:
        _key, clear = issue_key(party=party, name="test")
        return {"HTTP_AUTHORIZATION": f"Api-Key {clear}"}

    return make


@pytest.fixture
def background_deliveries():
    """Wait (at most ``timeout`` s) until the embedded mode's delivery threads are done.

    Polling the delivery rows instead would read the in-memory test database while the thread
    writes to it, and SQLite's shared cache refuses such a write at once ("table is locked")."""
    import threading
    import time

    from tracking.webhooks import BACKGROUND_THREAD

    def wait(timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not any(t.name == BACKGROUND_THREAD and t.is_alive() for t in threading.enumerate()):
                return
            time.sleep(0.05)

    return wait
