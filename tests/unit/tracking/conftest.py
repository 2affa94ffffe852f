"""Fixtures of the tracking tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_party(db):
    from tracking.models import Party

    def make(edi_id: str, role: str = "forwarder", name: str | None = None) -> Party:
        return Party.objects.create(name=name or f"{edi_id} Ltd", edi_id=edi_id, role=role)

    return make
