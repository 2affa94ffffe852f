"""Outbound EDI: stored events reach an EDIFACT subscriber as one signed, valid interchange per batch."""

import time
from pathlib import Path

import pytest
from django.utils import timezone

from edi.acknowledge import build_contrl
from edi.processing import process
from edi.services import receive
from edi.translate import translate_bytes
from edi.validate import validate_interchange
from tests.unit.tracking.builders import build_event
from tests.unit.tracking.test_webhooks import Receiver, independent_check
from tracking import outbound, webhooks
from tracking.events import complete
from tracking.exceptions import DeliveryFailed
from tracking.models import Delivery, Event, OutboundMessage

CODECO = Path(__file__).resolve().parents[2] / "fixtures" / "edifact" / "codeco_d95b_logihub_gatein.edi"


def codeco_events() -> list[dict]:
    """The terminal's gate-ins: the first box is FWDA's, the second FWDB's."""
    events = [e for e in translate_bytes(CODECO.read_bytes())["events"] if e["eventType"] == "EQUIPMENT"]
    assert [e["equipmentReference"] for e in events] == ["MSKU1234565", "TGHU7654321"]
    for event, owner in zip(events, ("FWDA", "FWDB"), strict=True):
        event["parties"] = [{"partyEDIIdentity": owner, "partyFunction": "FW"}]
    return events


def facts(events: list[dict]) -> list[dict]:
    return [{k: v for k, v in e.items() if k not in ("source", "parties")} for e in events]


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def forwarders(make_party):
    return make_party("FWDA"), make_party("FWDB")


def edifact_subscription(party, url: str, message_type: str = "IFTSTA"):
    return webhooks.subscribe(party, url, {}, format="edifact", message_type=message_type)


@pytest.mark.django_db
def test_a_stored_codeco_event_reaches_an_edifact_subscriber_as_a_valid_signed_iftsta(receiver, forwarders):
    subscription = edifact_subscription(forwarders[0], receiver.url)
    record = codeco_events()
    from tracking.store import record_events

    record_events(record)
    message = OutboundMessage.objects.get()
    assert (message.sender, message.recipient, message.control_reference) == ("LOGIHUB", "FWDA", "000000001")
    assert outbound.deliver(message.pk) == "delivered"
    headers, body = receiver.received[0]
    assert headers["Content-Type"] == "application/edifact"
    assert independent_check(subscription.secret, headers["X-Logihub-Signature"], body)
    assert not independent_check("wrong secret", headers["X-Logihub-Signature"], body)
    assert body == bytes(message.body) and headers["X-Logihub-Interchange"] == "000000001"
    assert validate_interchange(body).errors == []
    back = translate_bytes(body)
    assert [m["type"] for m in back["messages"]] == ["IFTSTA"]
    stored = Event.objects.get(event_id=record[0]["eventID"]).payload
    # translated back (and completed as the store completes every event), the original; FWDB's box never came
    assert facts([complete(e) for e in back["events"]]) == facts([stored])
    assert message.event_ids == [record[0]["eventID"]]
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("delivered", 1)
    assert Delivery.objects.get(subscription=subscription).state == "delivered"
    assert outbound.deliver(message.pk) == "skipped"


@pytest.mark.django_db
def test_a_duplicate_batch_sends_nothing_twice_and_references_count_per_recipient(receiver, forwarders):
    from tracking.store import record_events

    edifact_subscription(forwarders[0], receiver.url)
    events = codeco_events()
    record_events(events)
    record_events(events)
    assert OutboundMessage.objects.count() == 1
    record_events([build_event("GTOT", parties=("FWDA",))])
    assert list(OutboundMessage.objects.order_by("pk").values_list("control_reference", flat=True)) == [
        "000000001",
        "000000002",
    ]
    assert webhooks.due() == []  # the events travel in their interchange, never as JSON too


@pytest.mark.django_db
def test_a_terminals_partner_gets_codeco_and_events_the_type_cannot_carry_are_left_out(receiver, forwarders):
    from tracking.store import record_events

    edifact_subscription(forwarders[0], receiver.url, "CODECO")
    record_events(codeco_events() + [build_event("LOAD", parties=("FWDA",))])
    message = OutboundMessage.objects.get()
    assert [m["type"] for m in translate_bytes(bytes(message.body))["messages"]] == ["CODECO"]
    assert len(message.event_ids) == 1 and Delivery.objects.count() == 1


@pytest.mark.django_db
def test_a_failing_receiver_is_retried_with_backoff_then_dead_then_replayable(receiver, forwarders):
    from tracking.store import record_events

    receiver.status = 503
    edifact_subscription(forwarders[0], receiver.url)
    record_events(codeco_events())
    message = OutboundMessage.objects.get()
    with pytest.raises(DeliveryFailed) as failed:
        outbound.deliver(message.pk)
    assert failed.value.retry_in == 30
    assert outbound.deliver(message.pk) == "skipped"  # not due yet
    for _attempt in range(2, webhooks.MAX_ATTEMPTS + 1):
        OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        try:
            outbound.deliver(message.pk)
        except DeliveryFailed:
            pass
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == ("dead", webhooks.MAX_ATTEMPTS, "HTTP 503")
    assert Delivery.objects.get().state == "dead"
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS
    receiver.status = 200
    assert webhooks.replay([Delivery.objects.get().pk]) == 1
    assert outbound.deliver(message.pk) == "delivered"
    assert {bytes(b) for _h, b in receiver.received} == {bytes(message.body)}  # the same bytes every time


@pytest.mark.django_db(transaction=True)
def test_a_slow_failing_receiver_does_not_slow_ingestion(make_party, background_deliveries):
    from tracking.store import record_events

    slow = Receiver(status=500, delay=1.0)
    try:
        edifact_subscription(make_party("FWDA"), slow.url)
        make_party("FWDB")
        started = time.monotonic()
        record_events(codeco_events())
        assert time.monotonic() - started < 0.5
        background_deliveries()
        assert OutboundMessage.objects.get().state == "retrying"
    finally:
        slow.close()


@pytest.mark.django_db
def test_the_subscribers_contrl_marks_the_interchange_it_answers(receiver, forwarders):
    from tracking.store import record_events

    edifact_subscription(forwarders[0], receiver.url)
    record_events(codeco_events())
    message = OutboundMessage.objects.get()
    contrl = build_contrl(validate_interchange(bytes(message.body)), force=True)
    assert "UCI+000000001+LOGIHUB" in contrl
    raw = receive(contrl.encode(), channel="http", party=forwarders[0]).message
    process(str(raw.pk))
    message.refresh_from_db()
    assert message.answer == "acknowledged" and message.answer_detail["type"] == "CONTRL"
    raw.refresh_from_db()
    assert raw.outcome["answersOutbound"] == [message.pk]


@pytest.mark.django_db
def test_a_rejection_is_kept_and_an_answer_from_someone_else_marks_nothing(receiver, forwarders):
    edifact_subscription(forwarders[0], receiver.url)
    from tracking.store import record_events

    record_events(codeco_events())
    message = OutboundMessage.objects.get()
    rejected = {"type": "CONTRL", "status": "rejected", "answers": {"controlReference": "000000001"}}
    accepted = {"type": "APERAK", "status": "accepted", "answers": {"messageReference": "0000000011"}}
    assert outbound.answer(rejected, "FWDB") is None
    assert outbound.answer(rejected, "FWDA") == message.pk
    assert outbound.answer(accepted, "FWDA") == message.pk
    message.refresh_from_db()
    assert message.answer == "rejected"


@pytest.mark.django_db
class TestSubscribingToEdifact:
    def test_the_recipient_defaults_to_the_partys_edi_identity(self, api_client, make_party, key_for):
        created = api_client.post(
            "/api/v1/subscriptions",
            {"callbackUrl": "https://example.com/edi", "format": "edifact", "messageType": "COARRI"},
            format="json",
            **key_for(make_party("TERMPARTNER", role="carrier")),
        )
        assert created.status_code == 201
        body = created.json()
        assert (body["format"], body["messageType"], body["ediRecipient"]) == ("edifact", "COARRI", "TERMPARTNER")

    def test_an_unknown_format_or_type_is_refused(self, api_client, make_party, key_for):
        headers = key_for(make_party("FWDA"))
        for extra in ({"format": "x12"}, {"format": "edifact", "messageType": "BAPLIE"}):
            response = api_client.post(
                "/api/v1/subscriptions", {"callbackUrl": "https://example.com/e", **extra}, format="json", **headers
            )
            assert response.status_code == 400

    def test_an_operators_edifact_subscription_needs_a_recipient(self, admin_client):
        from tracking.exceptions import InvalidSubscription

        with pytest.raises(InvalidSubscription):
            webhooks.subscribe(None, "https://example.com/e", {}, format="edifact")


@pytest.mark.django_db
def test_operators_see_outbound_messages_in_the_admin(admin_client, forwarders):
    from tracking.store import record_events

    edifact_subscription(forwarders[0], "http://127.0.0.1:9/none")
    record_events(codeco_events())
    message = OutboundMessage.objects.get()
    assert "000000001" in admin_client.get("/admin/tracking/outboundmessage/").content.decode()
    assert admin_client.get(f"/admin/tracking/outboundmessage/{message.pk}/change/").status_code == 200


@pytest.mark.django_db
def test_a_withdrawn_event_goes_to_the_edifact_subscriber_again_as_a_cancellation(receiver, forwarders):
    from datetime import datetime

    from tracking.store import record_events
    from tracking.withdrawals import key_of, withdraw

    edifact_subscription(forwarders[0], receiver.url)
    event = codeco_events()[0]
    record_events([event])
    sent = OutboundMessage.objects.get()
    withdraw(key_of(event), function="1", created=datetime.fromisoformat("2026-12-02T10:00:00+00:00"), kept=[],
             raw_message=None, message_reference="2")  # fmt: skip
    cancelling = OutboundMessage.objects.exclude(pk=sent.pk).get()
    assert cancelling.event_ids == [event["eventID"]] and cancelling.state == "pending"
    assert cancelling.control_reference == "000000002"
    assert validate_interchange(bytes(cancelling.body)).errors == []
    (original,) = translate_bytes(bytes(sent.body))["events"]
    (cancellation,) = translate_bytes(bytes(cancelling.body))["messages"]
    # the same document number (from the eventID), function 1, dated by the withdrawing report
    assert cancellation["withdraws"]["document"] == {**original["source"]["document"], "function": "1"}
    assert cancellation["withdraws"]["created"] == "2026-12-02T10:00:00+00:00"
    assert outbound.deliver(cancelling.pk) == "delivered"
    assert receiver.received[-1][1] == bytes(cancelling.body)
    assert Delivery.objects.filter(kind="withdrawn", message=cancelling).count() == 1


@pytest.mark.django_db
def test_an_event_current_again_goes_to_the_edifact_subscriber_again_as_an_original(receiver, forwarders):
    from datetime import datetime

    from tracking.store import record_events
    from tracking.withdrawals import key_of, withdraw

    edifact_subscription(forwarders[0], receiver.url)
    event = codeco_events()[0]
    record_events([event])
    withdraw(key_of(event), function="1", created=datetime.fromisoformat("2026-12-02T10:00:00+00:00"), kept=[])
    record_events([{**event, "eventCreatedDateTime": "2026-12-02T11:00:00+00:00"}])  # the report sent anew
    first, cancelling, again = OutboundMessage.objects.order_by("pk")
    assert again.event_ids == [event["eventID"]] and again.control_reference == "000000003"
    assert validate_interchange(bytes(again.body)).errors == []
    (resent,) = translate_bytes(bytes(again.body))["events"]
    (original,) = translate_bytes(bytes(first.body))["events"]
    assert resent["eventID"] == event["eventID"]
    assert resent["source"]["document"] == original["source"]["document"]  # the same number, an original (9)
    assert resent["eventCreatedDateTime"] > "2026-12-02T10:00:00+00:00"  # after the cancellation it undoes
