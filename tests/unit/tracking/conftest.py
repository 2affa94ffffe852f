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
