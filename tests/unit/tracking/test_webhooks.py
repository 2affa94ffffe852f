"""Webhooks: subscribing, fan-out under visibility, signatures checked independently, real HTTP delivery."""

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from tests.unit.tracking.builders import OTHER_BOX, build_event
from tracking import webhooks
from tracking.events import complete
from tracking.models import Delivery, Subscription
from tracking.store import record_events


class Receiver:
    """An HTTP server on 127.0.0.1 that records what it receives and answers ``status`` after ``delay``
    (with a ``Location`` header when given one)."""

    def __init__(self, status: int = 200, delay: float = 0.0, location: str = ""):
        self.status, self.delay, self.location, self.received, self.paths = status, delay, location, [], []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                receiver.paths.append(self.path)
                time.sleep(receiver.delay)
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def independent_check(secret: str, header: str, body: bytes) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"]) and abs(time.time() - int(parts["t"])) < 60


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    header = webhooks.sign("s3cret", 1764057600, b'{"a":1}')
    expected = hmac.new(b"s3cret", b'1764057600.{"a":1}', hashlib.sha256).hexdigest()
    assert header == f"t=1764057600,v1={expected}"


def test_backoff_doubles_from_thirty_seconds_up_to_six_hours():
    assert [webhooks.backoff(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert webhooks.backoff(30) == 6 * 3600


@pytest.mark.django_db
class TestSubscribing:
    def test_a_partner_subscribes_and_sees_the_secret_once(self, api_client, make_party, key_for):
        headers = key_for(make_party("FWDA"))
        created = api_client.post(
            "/api/v1/subscriptions",
            {"callbackUrl": "https://example.com/hook", "filters": {"equipmentEventTypeCode": "GTIN"}},
            format="json",
            **headers,
        )
        assert created.status_code == 201
        assert len(created.json()["secret"]) >= 32
        listed = api_client.get("/api/v1/subscriptions", **headers).json()
        assert [s["id"] for s in listed] == [created.json()["id"]]
        assert "secret" not in listed[0]

    @pytest.mark.parametrize(
        ("body", "code"),
        [
            ({"callbackUrl": "https://example.com/h", "filters": {"eventType": "TELEPORT"}}, "invalid_filter"),
            ({"callbackUrl": "ftp://example.com/h"}, "invalid"),
            ({"filters": {}}, "invalid"),
        ],
    )
    def test_a_bad_subscription_is_refused(self, api_client, make_party, key_for, body, code):
        response = api_client.post("/api/v1/subscriptions", body, format="json", **key_for(make_party("FWDA")))
        assert response.status_code == 400 and response.json()["error"]["code"] == code

    def test_the_same_callback_and_filters_subscribed_again_is_a_conflict(self, api_client, make_party, key_for):
        headers = key_for(make_party("FWDA"))
        body = {"callbackUrl": "https://example.com/hook", "filters": {"equipmentReference": "MSKU1234565"}}
        first = api_client.post("/api/v1/subscriptions", body, format="json", **headers)
        again = api_client.post("/api/v1/subscriptions", body, format="json", **headers)
        assert (first.status_code, again.status_code) == (201, 409)
        assert again.json()["error"]["code"] == "duplicate_subscription"
        assert first.json()["id"] in again.json()["error"]["message"]
        other_filters = {**body, "filters": {"equipmentReference": "MSKU1234565", "eventType": "CUSTOMS"}}
        as_edifact = {**body, "format": "edifact"}
        for different in (other_filters, as_edifact):
            assert api_client.post("/api/v1/subscriptions", different, format="json", **headers).status_code == 201
        assert Subscription.objects.count() == 3

    def test_another_party_or_a_cancelled_one_may_subscribe_the_same_callback(self, make_party):
        first = webhooks.subscribe(make_party("FWDA"), "https://example.com/hook", {})
        webhooks.subscribe(make_party("FWDB"), "https://example.com/hook", {})
        Subscription.objects.filter(pk=first.pk).update(active=False)
        webhooks.subscribe(first.party, "https://example.com/hook", {})
        assert Subscription.objects.filter(active=True).count() == 2

    def test_a_party_cannot_cancel_anothers_subscription(self, api_client, make_party, key_for):
        theirs = webhooks.subscribe(make_party("FWDB"), "https://example.com/b", {})
        response = api_client.delete(f"/api/v1/subscriptions/{theirs.pk}", **key_for(make_party("FWDA")))
        assert response.status_code == 404
        assert Subscription.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_new_events_become_deliveries_only_for_matching_visible_subscriptions(make_party):
    mine = webhooks.subscribe(make_party("FWDA"), "https://example.com/a", {"equipmentEventTypeCode": "GTIN"})
    everything = webhooks.subscribe(None, "https://example.com/ops", {})
    gtin = build_event("GTIN", parties=("FWDA",))
    load = build_event("LOAD", parties=("FWDA",))
    someone_elses = build_event("GTIN", box=OTHER_BOX, bill="BL2")
    record_events([gtin, load, someone_elses])
    record_events([gtin])  # a duplicate makes no second delivery
    assert {str(d.event_id) for d in Delivery.objects.filter(subscription=mine)} == {gtin["eventID"]}
    assert Delivery.objects.filter(subscription=everything).count() == 3


@pytest.mark.django_db
def test_a_delivery_reaches_a_real_receiver_signed_and_is_marked_delivered(receiver):
    subscription = webhooks.subscribe(None, receiver.url, {})
    event = build_event("GTIN")
    record_events([event])
    delivery = Delivery.objects.get()
    assert webhooks.deliver(delivery.pk) == "delivered"
    headers, body = receiver.received[0]
    assert independent_check(subscription.secret, headers["X-Logihub-Signature"], body)
    assert not independent_check("wrong secret", headers["X-Logihub-Signature"], body)
    assert json.loads(body)["event"] == complete(event)
    assert headers["X-Logihub-Event-Id"] == event["eventID"]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert webhooks.deliver(delivery.pk) == "skipped"  # delivered once, never again


@pytest.mark.django_db
def test_a_failing_receiver_is_retried_with_backoff_then_dead_then_replayable(receiver):
    from tracking.exceptions import DeliveryFailed

    receiver.status = 500
    webhooks.subscribe(None, receiver.url, {})
    record_events([build_event("GTIN")])
    delivery = Delivery.objects.get()
    before = timezone.now()
    with pytest.raises(DeliveryFailed) as failed:
        webhooks.deliver(delivery.pk)
    assert failed.value.retry_in == 30
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("retrying", 1, "HTTP 500")
    assert delivery.next_attempt_at >= before + timedelta(seconds=29)
    assert webhooks.deliver(delivery.pk) == "skipped"  # not due yet
    for _attempt in range(2, webhooks.MAX_ATTEMPTS + 1):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        try:
            webhooks.deliver(delivery.pk)
        except DeliveryFailed:
            pass
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("dead", webhooks.MAX_ATTEMPTS)
    receiver.status = 204
    assert webhooks.replay([delivery.pk]) == 1
    assert webhooks.deliver(delivery.pk) == "delivered"


@pytest.mark.django_db
def test_an_unreachable_receiver_is_a_failed_attempt_not_a_crash():
    from tracking.exceptions import DeliveryFailed

    webhooks.subscribe(None, "http://127.0.0.1:9/nothing-listens", {})
    record_events([build_event("GTIN")])
    with pytest.raises(DeliveryFailed):
        webhooks.deliver(Delivery.objects.get().pk)
    assert Delivery.objects.get().state == "retrying"


@pytest.mark.django_db(transaction=True)
def test_a_slow_receiver_does_not_slow_ingestion(background_deliveries):
    slow = Receiver(delay=1.0)
    try:
        webhooks.subscribe(None, slow.url, {})
        started = time.monotonic()
        record_events([build_event("GTIN")])
        assert time.monotonic() - started < 0.5
        background_deliveries()
        assert Delivery.objects.get().state == "delivered"
    finally:
        slow.close()


@pytest.mark.django_db
def test_the_admin_lists_deliveries_and_replays_them(admin_client, receiver):
    client = admin_client
    webhooks.subscribe(None, receiver.url, {})
    record_events([build_event("GTIN")])
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(state="dead", attempts=8)
    assert client.get("/admin/tracking/delivery/").status_code == 200
    response = client.post(
        "/admin/tracking/delivery/", {"action": "replay", "_selected_action": [delivery.pk]}, follow=True
    )
    assert b"1 delivery replayed" in response.content
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 0)


@pytest.mark.django_db
def test_a_subscription_with_a_stale_filter_is_skipped_without_stopping_ingestion():
    stale = webhooks.subscribe(None, "https://example.com/stale", {})
    Subscription.objects.filter(pk=stale.pk).update(filters={"eventType": "NO-LONGER-A-TYPE"})
    fine = webhooks.subscribe(None, "https://example.com/fine", {})
    assert len(record_events([build_event("GTIN")]).stored) == 1
    assert list(Delivery.objects.values_list("subscription_id", flat=True)) == [fine.pk]


def test_an_embedded_background_attempt_locked_out_by_sqlite_is_tried_again(monkeypatch):
    from django.db import OperationalError

    monkeypatch.setattr(webhooks.time, "sleep", lambda _seconds: None)
    calls = []

    class FlakyTask:
        name = "tracking.deliver_webhook"

        def apply(self, args):
            calls.append(args)
            if len(calls) < 3:
                raise OperationalError("database table is locked: tracking_delivery")

    webhooks._attempt_in_background(FlakyTask(), [7])
    assert calls == [(7,), (7,), (7,)]


def _reported(code: str, message_type: str, number: str) -> dict:
    """An event as a report of the test carrier stated it (``source.document``), recorded."""
    event = build_event(code)
    event["source"]["document"] = {"type": message_type, "number": number, "function": "9"}
    record_events([event])
    return event


def _cancel(message_type: str, number: str) -> str:
    """The test carrier's cancellation of that report (message reference M2); its document key."""
    from datetime import datetime

    from tracking.withdrawals import document_key, withdraw

    key = document_key("TESTCARRIER", message_type, number)
    created = datetime.fromisoformat("2026-11-30T00:00:00+00:00")
    withdraw(key, function="1", created=created, kept=[], message_reference="M2")
    return key


def _delivered(receiver, subscription, delivery: Delivery) -> tuple[dict, bytes]:
    """Deliver it to the real receiver; the headers and body received, the signature checked independently."""
    assert webhooks.deliver(delivery.pk) == "delivered"
    headers, body = receiver.received[-1]
    assert independent_check(subscription.secret, headers["X-Logihub-Signature"], body)
    return headers, body


@pytest.mark.django_db
def test_a_subscriber_sent_an_event_is_told_signed_when_a_replacement_withdraws_it(receiver, make_party):
    from tracking.choices import DeliveryKind

    subscription = webhooks.subscribe(None, receiver.url, {})
    webhooks.subscribe(make_party("FWDB"), "https://example.com/b", {})  # never sent the event: never told
    event = _reported("LOAD", "IFTSTA", "ST-9")
    assert webhooks.deliver(Delivery.objects.get(subscription=subscription).pk) == "delivered"
    key = _cancel("IFTSTA", "ST-9")
    notice = Delivery.objects.get(kind=DeliveryKind.WITHDRAWN)
    assert (notice.subscription_id, str(notice.event_id)) == (subscription.pk, event["eventID"])
    headers, body = _delivered(receiver, subscription, notice)
    assert headers["X-Logihub-Delivery-Kind"] == "withdrawn"
    assert json.loads(body)["withdrawn"] == {
        "eventID": event["eventID"],
        "withdrawnBy": {
            "document": key,
            "messageFunction": "1",
            "messageReference": "M2",
            "created": "2026-11-30T00:00:00+00:00",
        },
    }
    _cancel("IFTSTA", "ST-9")  # the same cancellation again
    assert Delivery.objects.filter(kind=DeliveryKind.WITHDRAWN).count() == 1  # told once


@pytest.mark.django_db
def test_a_subscriber_told_of_a_withdrawal_gets_the_event_again_when_a_later_report_restores_it(receiver):
    from tracking.choices import DeliveryKind

    subscription = webhooks.subscribe(None, receiver.url, {})
    event = _reported("GTOT", "CODECO", "GO-7")
    _cancel("CODECO", "GO-7")
    assert not Delivery.objects.filter(kind=DeliveryKind.RESTORED).exists()
    again = {**event, "eventCreatedDateTime": "2026-11-30T01:00:00+00:00"}  # the terminal sends the move anew
    record_events([again])
    restored = Delivery.objects.get(kind=DeliveryKind.RESTORED)
    assert (restored.subscription_id, str(restored.event_id)) == (subscription.pk, event["eventID"])
    headers, body = _delivered(receiver, subscription, restored)
    assert headers["X-Logihub-Delivery-Kind"] == "restored"
    assert json.loads(body)["event"]["eventID"] == event["eventID"]
