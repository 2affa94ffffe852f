"""Reprocessing after a mapping fix: the message runs again, no event is stored twice."""

import pytest

from edi.models import MessageState, RawMessage
from edi.processing import mark_failed, process, reprocess
from edi.services import receive
from tracking.models import Event

pytestmark = pytest.mark.django_db

BODY = (
    b"UNB+UNOA:2+TESTCARRIER+LOGIHUB+261125:0800+CTRL0077'UNH+1+CODECO:D:95B:UN'BGM+34+X+9'"
    b"EQD+CN+MSKU1234565'CNT+16:1'UNT+5+1'UNZ+1+CTRL0077'"
)


def test_processing_twice_changes_nothing(party):
    message = receive(BODY, channel="http", party=party).message
    first = process(str(message.id))
    events = Event.objects.count()
    assert process(str(message.id)) == first
    assert Event.objects.count() == events
    assert RawMessage.objects.get(pk=message.id).attempts == 1


def test_a_failed_message_can_be_reprocessed(party):
    message = receive(BODY, channel="http", party=party).message
    mark_failed(str(message.id), "OperationalError: database down")
    assert RawMessage.objects.get(pk=message.id).state == MessageState.FAILED
    assert reprocess(str(message.id)) != MessageState.FAILED


def test_a_refused_or_duplicate_message_is_not_reprocessed(party):
    from edi.exceptions import EdiError

    receive(BODY, channel="http", party=party)
    duplicate = receive(BODY, channel="http", party=party).message
    with pytest.raises(EdiError, match="can be reprocessed"):
        reprocess(str(duplicate.id))


def test_operators_reprocess_from_the_admin(admin_client, party):
    message = receive(BODY, channel="http", party=party).message
    mark_failed(str(message.id), "boom")
    response = admin_client.post(
        "/admin/edi/rawmessage/", {"action": "reprocess_selected", "_selected_action": [str(message.id)]}, follow=True
    )
    assert response.status_code == 200
    assert RawMessage.objects.get(pk=message.id).state != MessageState.FAILED


def test_the_message_flow_list_filters_by_state_and_partner(admin_client, party):
    receive(BODY, channel="http", party=party)
    response = admin_client.get("/admin/edi/rawmessage/", {"state__exact": "received", "party__id__exact": party.id})
    assert response.status_code == 200


def test_an_event_the_schema_refuses_is_reported_and_the_others_are_stored(party, monkeypatch):
    from edi import processing

    real = processing.translate

    def with_a_bad_event(message):
        document = real(message)
        good = document["events"][0]
        document["events"].append({**good, "eventID": "not-a-uuid"})
        return document

    monkeypatch.setattr(processing, "translate", with_a_bad_event)
    valid = (
        b"UNB+UNOA:2+TESTCARRIER+LOGIHUB+261125:0800+CTRL0078'UNH+1+CODECO:D:95B:UN'BGM+34+GATEIN0001+9'"
        b"NAD+CF+BLUEOCEAN:160:20'EQD+CN+MSKU1234565+45G1:102:5++2+5'CNT+16:1'UNT+6+1'UNZ+1+CTRL0078'"
    )
    message = receive(valid, channel="http", party=party).message
    process(str(message.id))
    stored = RawMessage.objects.get(pk=message.id)
    assert Event.objects.count() == 1
    assert any(e["code"] == "INVALID_EVENT" and "eventID" in e["message"] for e in stored.outcome["errors"])
