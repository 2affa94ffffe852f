"""A partner's replacement or cancellation of an earlier report, processed: what only the earlier report
said leaves the container's answer, the events list and the status; nothing is deleted; the message's
outcome says what was withdrawn."""

from __future__ import annotations

import pytest

from edi import processing
from edi.models import MessageState, RawMessage
from edi.services import receive
from tracking.models import ContainerStatus, Event

pytestmark = pytest.mark.django_db

BOX = "MSCU1234566"


def codeco(control: str, function: str, gate_time: str, *, created: str = "2612011010", number: str = "GO123") -> bytes:
    """A terminal's gate-out report (CODECO D.95B) for one container; ``created`` (YYMMDDHHMM): the
    interchange's preparation date, which dates a D.95B CODECO (it has no message date)."""
    segments = [
        f"BGM+36+{number}+{function}'",
        "NAD+MS+SHATML:160:ZZZ'",
        f"EQD+CN+{BOX}+22G1:102:5+2+2+5'",
        f"DTM+7:{gate_time}:203'",
        "LOC+165+CNSHA:139:6'",
        "CNT+16:1'",
    ]
    body = "".join(s for s in segments if s)
    count = body.count("'") + 2
    return (
        f"UNB+UNOA:2+SHATML:ZZZ+LOGIHUB:ZZZ+{created[:6]}:{created[6:]}+{control}'UNH+1+CODECO:D:95B:UN:ITG14'"
        f"{body}UNT+{count}+1'UNZ+1+{control}'"
    ).encode()


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_user("operator", password="pw-operator-1", is_staff=True)


@pytest.fixture
def terminal(db):
    from tracking.models import Party

    return Party.objects.create(name="Shanghai terminal", edi_id="SHATML", role="terminal")


def _process(data: bytes, party) -> RawMessage:
    message = receive(data, channel="http", party=party).message
    assert processing.process(str(message.id)) in (MessageState.PROCESSED,)
    return RawMessage.objects.get(pk=message.id)


def _timeline(api_client, operator) -> list[str]:
    api_client.force_authenticate(operator)
    body = api_client.get(f"/api/v1/containers/{BOX}").json()
    return [event["eventDateTime"] for event in body["timeline"]]


def test_a_replacement_corrects_the_gate_time_everywhere(api_client, operator, terminal):
    first = _process(codeco("C1", "9", "202612010930", created="2612010940"), terminal)
    (wrong,) = first.outcome["eventIDs"]
    second = _process(codeco("C2", "5", "202612010830", created="2612011100"), terminal)
    (entry,) = second.outcome["messages"]
    assert entry["withdraws"]["document"] == {"type": "CODECO", "number": "GO123", "function": "5"}
    assert entry["withdrawal"] == {"applied": True, "withdrawn": [wrong], "restored": []}
    assert _timeline(api_client, operator) == ["2026-12-01T08:30:00+08:00"]  # the container answer (readsql)
    listed = api_client.get(f"/api/v1/events?equipmentReference={BOX}").json()
    assert [e["eventDateTime"] for e in listed] == ["2026-12-01T08:30:00+08:00"]
    status = ContainerStatus.objects.get(equipment__reference=BOX)
    assert status.milestone_event_id == second.outcome["eventIDs"][0]
    assert Event.every.filter(pk=wrong).exists()  # kept, marked
    (told,) = api_client.get(f"/api/v1/edi/messages/{second.pk}").json()["messages"]  # what the sender reads
    assert told["withdrawal"] == {"applied": True, "withdrawn": [wrong], "restored": []}


def test_a_cancellation_takes_the_move_away(api_client, operator, terminal):
    _process(codeco("C1", "9", "202612010930"), terminal)
    cancelled = _process(codeco("C2", "1", "202612010930", created="2612011200"), terminal)
    (entry,) = cancelled.outcome["messages"]
    assert cancelled.outcome["eventIDs"] == [] and len(entry["withdrawal"]["withdrawn"]) == 1
    assert _timeline(api_client, operator) == []
    assert not ContainerStatus.objects.filter(equipment__reference=BOX).exists()


def test_an_original_arriving_after_its_cancellation_is_stored_withdrawn(api_client, operator, terminal):
    _process(codeco("C2", "1", "202612010930", created="2612011200"), terminal)
    late = _process(codeco("C1", "9", "202612010930", created="2612010940"), terminal)
    assert late.outcome["storedEvents"] == 1  # recorded, and withdrawn as it was stored
    assert _timeline(api_client, operator) == []
    assert Event.every.count() == 1


def test_an_original_made_after_the_cancellation_stands(api_client, operator, terminal):
    _process(codeco("C1", "9", "202612010930", created="2612010940"), terminal)
    _process(codeco("C2", "1", "202612010930", created="2612011200"), terminal)
    _process(codeco("C3", "9", "202612011300", created="2612011310"), terminal)  # the document number reused
    assert _timeline(api_client, operator) == ["2026-12-01T13:00:00+08:00"]


def test_another_document_of_the_sender_is_untouched(api_client, operator, terminal):
    _process(codeco("C1", "9", "202612010930", number="GO100"), terminal)
    _process(codeco("C2", "1", "202612011030", number="GO123"), terminal)
    assert _timeline(api_client, operator) == ["2026-12-01T09:30:00+08:00"]


def test_a_replacement_with_errors_withdraws_nothing(api_client, operator, terminal):
    _process(codeco("C1", "9", "202612010930", created="2612010940"), terminal)
    broken = codeco("C2", "5", "203612010830", created="2612011100")  # a typo'd year: the gate-out is not mapped
    message = receive(broken, channel="http", party=terminal).message
    processing.process(str(message.id))
    (entry,) = RawMessage.objects.get(pk=message.id).outcome["messages"]
    assert entry["withdrawal"]["applied"] is False and "errors" in entry["withdrawal"]["reason"]
    assert _timeline(api_client, operator) == ["2026-12-01T09:30:00+08:00"]


def test_the_operators_message_page_says_what_the_replacement_withdrew(client, operator, terminal):
    _process(codeco("C1", "9", "202612010930", created="2612010940"), terminal)
    second = _process(codeco("C2", "5", "202612010830", created="2612011100"), terminal)
    client.force_login(operator)
    page = client.get(f"/portal/ops/messages/{second.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "replaces CODECO GO123: 1 event withdrawn" in page
    page = client.get(f"/portal/ops/messages/{second.pk}/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert "替换 CODECO GO123：撤回 1 条事件" in page
