"""Readers: heartbeats, the silent state operators see, gates made on registration, the admin pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from rfid.models import Gate, Reader
from tests.unit.rfid.conftest import UNKNOWN_TAG, reads

pytestmark = pytest.mark.django_db


def test_a_heartbeat_marks_the_reader_alive_and_keeps_what_it_said(out_reader, post):
    reader, key = out_reader
    assert reader.silent
    response = post(
        "/api/v1/rfid/heartbeat", {"type": "heartbeat", "timestamp": "2026-11-25T08:00:00Z", "data": {"x": 1}}, key
    )
    assert response.status_code == 200
    reader.refresh_from_db()
    assert not reader.silent and reader.last_heartbeat == {"type": "heartbeat", "timestamp": "2026-11-25T08:00:00Z"}


def test_a_heartbeat_for_another_reader_or_without_a_reader_key_is_refused(out_reader, post, party_key):
    assert post("/api/v1/rfid/heartbeat", {"reader": "OTHER"}, out_reader[1]).status_code == 403
    assert post("/api/v1/rfid/heartbeat", {}, party_key).status_code == 403
    assert post("/api/v1/rfid/heartbeat", [1], out_reader[1]).status_code == 400


def test_a_reader_is_silent_after_the_configured_threshold(out_reader):
    reader, _key = out_reader
    reader.last_seen_at = timezone.now() - timedelta(seconds=120)
    with override_settings(RFID_READER_SILENT_SECONDS=60):
        assert reader.silent
    with override_settings(RFID_READER_SILENT_SECONDS=600):
        assert not reader.silent


def test_registering_a_reader_makes_its_gate_at_the_default_place(out_reader):
    gate = Gate.objects.get(code="GATE1")
    assert gate.un_location_code == "CNSHA"


def test_the_admin_lists_silent_readers_and_transactions(out_reader, make_reader, post, client):
    from django.contrib.auth import get_user_model

    Reader.objects.filter(reader_id="GATE1-OUT-L1").update(last_seen_at=timezone.now())
    make_reader("GATE3-IN", gate="GATE3", direction="in", bonded=False)
    post("/api/v1/rfid/reads", reads(UNKNOWN_TAG, at=timezone.now()), out_reader[1])
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "x"))
    silent = client.get("/admin/rfid/reader/", {"silent": "yes"})
    assert silent.status_code == 200 and b"GATE3-IN" in silent.content and b"GATE1-OUT-L1" not in silent.content
    for page in ("gatetransaction", "tagbinding", "gate", "zone", "gateoverride"):
        assert client.get(f"/admin/rfid/{page}/").status_code == 200
    from rfid.models import GateTransaction

    tx = GateTransaction.objects.get()
    assert client.get(f"/admin/rfid/gatetransaction/{tx.pk}/change/").status_code == 200


def test_an_operator_overrides_from_the_admin_with_a_reason(out_reader, post, client):
    from django.contrib.auth import get_user_model

    from rfid.models import GateOverride, GateTransaction

    held = post("/api/v1/rfid/reads", reads(UNKNOWN_TAG, at=timezone.now()), out_reader[1]).json()
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.org", "x"))
    url = f"/admin/rfid/gatetransaction/{held['transaction']}/change/"
    form = {
        "overrides-TOTAL_FORMS": "1",
        "overrides-INITIAL_FORMS": "0",
        "overrides-MIN_NUM_FORMS": "0",
        "overrides-MAX_NUM_FORMS": "1000",
        "overrides-0-decision": "OPEN",
        "overrides-0-reason": "driver's paper tag checked at the booth",
        "observations-TOTAL_FORMS": "0",
        "observations-INITIAL_FORMS": "1",
        "observations-MIN_NUM_FORMS": "0",
        "observations-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content[:2000]
    entry = GateOverride.objects.get()
    assert (entry.decided_by, entry.decision) == ("boss", "OPEN")
    assert GateTransaction.objects.get().decision == "OPEN"
