"""Webhook subscriptions managed from the portal, through tracking's subscription service."""

import pytest

from tests.unit.portal.conftest import DEMO
from tracking.models import Subscription

pytestmark = pytest.mark.django_db


def test_a_forwarder_subscribes_and_sees_the_secret_once(client, forwarder):
    client.force_login(forwarder)
    response = client.post(
        "/portal/webhooks/",
        {
            "callback_url": "https://hooks.example.com/logihub",
            "equipment_reference": DEMO.lower(),
            "event_type": "CUSTOMS",
        },
    )
    row = Subscription.objects.get()
    assert row.party.edi_id == "DEMOFWD"
    assert row.filters == {"equipmentReference": DEMO, "eventType": "CUSTOMS"}
    assert row.secret in response.content.decode()
    assert row.secret not in client.get("/portal/webhooks/").content.decode()


def test_a_forwarder_asks_for_edifact_addressed_to_its_edi_identity(client, forwarder):
    client.force_login(forwarder)
    client.post(
        "/portal/webhooks/",
        {"callback_url": "https://edi.example.com/in", "format": "edifact", "message_type": "CODECO"},
    )
    row = Subscription.objects.get()
    assert (row.format, row.message_type, row.edi_recipient) == ("edifact", "CODECO", "DEMOFWD")


def test_subscribing_the_same_callback_twice_says_so_and_keeps_one(client, forwarder):
    client.force_login(forwarder)
    form = {"callback_url": "https://hooks.example.com/logihub", "equipment_reference": DEMO}
    client.post("/portal/webhooks/", form)
    response = client.post("/portal/webhooks/", form)
    assert Subscription.objects.count() == 1
    assert "subscribed with these filters already" in response.content.decode()


def test_a_callback_must_be_a_web_address(client, forwarder):
    client.force_login(forwarder)
    response = client.post("/portal/webhooks/", {"callback_url": "ftp://example.com/x"})
    assert response.status_code == 200
    assert Subscription.objects.count() == 0
    assert 'role="alert"' in response.content.decode()


def test_a_callback_to_the_platforms_own_network_is_refused_with_a_reason(client, forwarder, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False  # as in production
    client.force_login(forwarder)
    response = client.post("/portal/webhooks/", {"callback_url": "http://[::ffff:127.0.0.1]:8000/x"})
    assert response.status_code == 200
    assert "not a public address" in response.content.decode()
    assert Subscription.objects.count() == 0


def test_a_forwarder_cancels_only_its_own_subscriptions(client, forwarder, other_forwarder):
    client.force_login(other_forwarder)
    client.post("/portal/webhooks/", {"callback_url": "https://other.example.com/hook"})
    theirs = Subscription.objects.get()
    client.force_login(forwarder)
    assert "other.example.com" not in client.get("/portal/webhooks/").content.decode()
    client.post("/portal/webhooks/", {"delete": str(theirs.pk)})
    assert Subscription.objects.filter(pk=theirs.pk).exists()
    client.force_login(other_forwarder)
    client.post("/portal/webhooks/", {"delete": str(theirs.pk)})
    assert not Subscription.objects.exists()


def test_the_page_counts_each_subscriptions_deliveries(client, forwarder):
    from django.utils import timezone

    from tracking.models import Delivery, Event

    client.force_login(forwarder)
    client.post("/portal/webhooks/", {"callback_url": "https://hooks.example.com/a"})
    row = Subscription.objects.get()
    events = list(Event.objects.filter(equipment_reference=DEMO)[:3])
    for event, state in zip(events, ["delivered", "dead", "retrying"], strict=True):
        Delivery.objects.create(subscription=row, event=event, state=state, next_attempt_at=timezone.now())
    assert "1 delivered, 1 waiting, 1 failed" in client.get("/portal/webhooks/").content.decode()


def test_failed_deliveries_say_why_and_can_be_sent_again(client, forwarder, other_forwarder, monkeypatch):
    from django.utils import timezone

    from tracking import webhooks
    from tracking.models import Delivery, Event

    replayed = []
    monkeypatch.setattr(webhooks, "_enqueue_on_commit", lambda ids: replayed.extend(ids))
    client.force_login(forwarder)
    client.post("/portal/webhooks/", {"callback_url": "https://hooks.example.com/a"})
    row = Subscription.objects.get()
    event = Event.objects.filter(equipment_reference=DEMO).first()
    dead = Delivery.objects.create(
        subscription=row,
        event=event,
        state="dead",
        attempts=8,
        last_status_code=503,
        last_error="Service Unavailable",
        next_attempt_at=timezone.now(),
    )
    html = client.get("/portal/webhooks/").content.decode()
    assert "Last failure: HTTP 503 Service Unavailable" in html
    client.force_login(other_forwarder)
    assert client.post("/portal/webhooks/", {"replay": str(row.pk)}).status_code == 404  # not theirs
    client.force_login(forwarder)
    response = client.post("/portal/webhooks/", {"replay": str(row.pk)}, follow=True)
    assert "1 delivery will be sent again." in response.content.decode()
    dead.refresh_from_db()
    assert dead.state == "pending" and dead.attempts == 0 and replayed == [dead.pk]


def test_a_malformed_callback_url_is_told_once(client, forwarder):
    client.force_login(forwarder)
    response = client.post("/portal/webhooks/", {"callback_url": "not a url"})
    assert response.content.decode().count("Enter a valid URL.") == 1
