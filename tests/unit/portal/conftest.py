"""Shared setup of the portal tests: the demo world, and two forwarders who must never meet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from stdnum import iso6346

from portal.models import WatchItem
from tracking.access import claim
from tracking.events import event_id
from tracking.models import Party
from tracking.store import record_events

DEMO = "BOLU123456" + iso6346.calc_check_digit("BOLU123456")
DEMO_HELD = "BOLU765432" + iso6346.calc_check_digit("BOLU765432")
DEMO_HIDDEN = "HFCU200015" + iso6346.calc_check_digit("HFCU200015")
OTHER = "OTHU100001" + iso6346.calc_check_digit("OTHU100001")


def event(number: str, code: str = "GTIN", *, at: datetime | None = None, place: str = "CNSHA", **extra) -> dict:
    """A canonical equipment (or customs, with ``event_type``) event for the tests."""
    at = at or datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    event_type = extra.pop("event_type", "EQUIPMENT")
    field = {"EQUIPMENT": "equipmentEventTypeCode", "CUSTOMS": "customsEventTypeCode"}[event_type]
    local = at.astimezone(__import__("portal.localtime", fromlist=["zone_of"]).zone_of(place) or UTC)
    return {
        "eventID": event_id("test", event_type, code, number, at.isoformat(), place),
        "eventType": event_type,
        "eventClassifierCode": "ACT",
        field: code,
        "eventDateTime": local.isoformat(),
        "eventCreatedDateTime": local.isoformat(),
        "equipmentReference": number,
        "transportCall": {"UNLocationCode": place, "modeOfTransport": "TRUCK"},
        **extra,
    }


@pytest.fixture
def demo(db):
    """The demo world, its forwarder's watchlist emptied: each test builds the watchlist it needs."""
    call_command("seed_demo", stdout=StringIO())
    WatchItem.objects.all().delete()


@pytest.fixture
def forwarder(demo, django_user_model):
    """The demo forwarder (party DEMOFWD), who proved the shipments of DEMO and DEMO_HELD."""
    return django_user_model.objects.get(username="forwarder")


@pytest.fixture
def other_forwarder(demo, django_user_model):
    """A second forwarder with its own container OTHER, which the demo forwarder must never see."""
    party = Party.objects.create(name="Other Forwarding Ltd", edi_id="OTHERFWD", role="forwarder")
    user = django_user_model.objects.create_user("other", password="pw-other-1")
    party.users.add(user)
    record_events(
        [
            event(
                OTHER,
                "GTIN",
                documentReferences=[{"documentReferenceType": "TRD", "documentReferenceValue": "OTHERBL1"}],
            ),
            event(OTHER, "LOAD", at=datetime(2026, 11, 21, 8, 0, tzinfo=UTC)),
        ]
    )
    claim(party, OTHER, "OTHERBL1")
    return user


@pytest.fixture
def operator(demo, django_user_model):
    return django_user_model.objects.get(username="operator")


@pytest.fixture
def later():
    return datetime(2026, 11, 26, 9, 0, tzinfo=UTC) + timedelta(days=0)
