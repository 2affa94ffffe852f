"""A processing task takes other waiting messages with its own: each still processed once, with its own outcome.

SQLite has no ``SELECT ... FOR UPDATE SKIP LOCKED``, so the embedded mode processes one message per task;
here the feature is switched on to check the batching rules (the locking itself is PostgreSQL's, proven by
the integration suite's fault tests).
"""

import pytest
from django.db import connection

from edi import batches, processing
from edi.models import MessageState, RawMessage
from edi.services import receive
from tracking.models import Event

pytestmark = pytest.mark.django_db


def codeco(reference: str, container: str = "MSKU1234565", minute: int = 0) -> bytes:
    return (
        f"UNB+UNOA:2+TESTCARRIER+LOGIHUB+261125:0800+{reference}'UNH+1+CODECO:D:95B:UN'BGM+34+G{reference}+9'NAD+CF+COSU:160:20'"
        f"EQD+CN+{container}+45G1:102:5++2+5'DTM+7:2026112508{minute:02d}:203'LOC+11+CNSHA:139:6'CNT+16:1'"
        f"UNT+8+1'UNZ+1+{reference}'"
    ).encode("latin-1")


@pytest.fixture
def skip_locked(monkeypatch):
    monkeypatch.setattr(connection.features, "has_select_for_update_skip_locked", True)


def received(party, *bodies: bytes) -> list[str]:
    return [str(receive(body, channel="http", party=party).message.id) for body in bodies]


def test_a_task_processes_its_own_message_and_the_oldest_waiting_ones(party, skip_locked):
    ids = received(party, *(codeco(f"B{n:04d}", minute=n) for n in range(5)))
    assert batches.process_waiting(ids[3], limit=3) == MessageState.PROCESSED
    states = dict(RawMessage.objects.values_list("id", "state"))
    done = {str(pk) for pk, state in states.items() if state == MessageState.PROCESSED}
    assert done == {ids[3], ids[0], ids[1]}
    assert Event.objects.count() == 3


def test_each_message_of_a_batch_has_its_own_outcome_and_one_attempt(party, skip_locked):
    ids = received(party, codeco("B0001", minute=1), codeco("B0002", minute=2))
    batches.process_waiting(ids[0], limit=10)
    rows = {str(r.pk): r for r in RawMessage.objects.filter(pk__in=ids)}
    for message_id in ids:
        assert rows[message_id].attempts == 1
        assert rows[message_id].outcome["storedEvents"] == 1
        assert rows[message_id].outcome["duplicateEvents"] == 0
        assert len(rows[message_id].outcome["eventIDs"]) == 1
    assert rows[ids[0]].outcome["eventIDs"] != rows[ids[1]].outcome["eventIDs"]


def test_an_event_two_messages_of_a_batch_report_is_stored_by_the_first_and_a_duplicate_of_the_second(
    party, skip_locked
):
    ids = received(party, codeco("B0001"), codeco("B0002"))  # the same gate-in, told twice
    batches.process_waiting(ids[0], limit=10)
    first, second = (RawMessage.objects.get(pk=i).outcome for i in ids)
    assert (first["storedEvents"], first["duplicateEvents"]) == (1, 0)
    assert (second["storedEvents"], second["duplicateEvents"]) == (0, 1)
    assert Event.objects.count() == 1


def test_the_task_of_a_message_already_processed_takes_the_waiting_ones(party, skip_locked):
    ids = received(party, codeco("B0001", minute=1), codeco("B0002", minute=2))
    processing.process(ids[0])
    assert batches.process_waiting(ids[0], limit=10) == MessageState.PROCESSED
    assert RawMessage.objects.get(pk=ids[1]).state == MessageState.PROCESSED
    assert RawMessage.objects.get(pk=ids[0]).attempts == 1


def test_a_message_that_cannot_be_processed_does_not_fail_the_others_of_its_batch(party, skip_locked, monkeypatch):
    ids = received(party, codeco("B0001", minute=1), codeco("B0002", minute=2), codeco("B0003", minute=3))
    real = processing.translate

    def poisoned(message):
        if str(message.id) == ids[0]:
            raise RuntimeError("a mapping bug")
        return real(message)

    monkeypatch.setattr(processing, "translate", poisoned)
    assert batches.process_waiting(ids[1], limit=10) == MessageState.PROCESSED
    states = {str(pk): state for pk, state in RawMessage.objects.values_list("id", "state")}
    assert states == {ids[0]: MessageState.RECEIVED, ids[1]: MessageState.PROCESSED, ids[2]: MessageState.RECEIVED}
    assert batches.process_waiting(ids[2], limit=10) == MessageState.PROCESSED
    with pytest.raises(RuntimeError, match="a mapping bug"):  # its own task fails: retried, then dead-lettered
        batches.process_waiting(ids[0], limit=10)
    assert RawMessage.objects.get(pk=ids[0]).state == MessageState.RECEIVED


def test_without_skip_locked_a_task_processes_its_own_message_only(party, monkeypatch):
    monkeypatch.setattr(connection.features, "has_select_for_update_skip_locked", False)  # as SQLite
    ids = received(party, codeco("B0001", minute=1), codeco("B0002", minute=2))
    batches.process_waiting(ids[1], limit=10)
    states = {str(pk): state for pk, state in RawMessage.objects.values_list("id", "state")}
    assert states == {ids[0]: MessageState.RECEIVED, ids[1]: MessageState.PROCESSED}


def test_while_another_worker_holds_its_message_a_task_works_off_other_waiting_ones(party, skip_locked, monkeypatch):
    ids = received(party, *(codeco(f"B{n:04d}", minute=n) for n in range(5)))
    real, held = batches._claim_ids, {"rounds": 2}

    def another_worker_holds_the_first(message_id, limit):
        claimed, state = real(message_id, limit)
        if held["rounds"]:
            held["rounds"] -= 1
            return [pk for pk in claimed if str(pk) != ids[0]], state  # SKIP LOCKED passes it by
        return claimed, state

    monkeypatch.setattr(batches, "_claim_ids", another_worker_holds_the_first)
    assert batches.process_waiting(ids[0], limit=2) == MessageState.PROCESSED
    states = {str(pk): state for pk, state in RawMessage.objects.values_list("id", "state")}
    # two rounds of one other message each while held, then its own with the next one
    assert [states[i] for i in ids] == [MessageState.PROCESSED] * 4 + [MessageState.RECEIVED]
    assert set(RawMessage.objects.filter(state=MessageState.PROCESSED).values_list("attempts", flat=True)) == {1}


def test_a_large_waiting_message_is_left_to_its_own_task(party, skip_locked, monkeypatch):
    monkeypatch.setattr(batches, "SMALL_BYTES", 300)
    small, large = codeco("B0001", minute=1), codeco("B0002" + "X" * 30, minute=2)
    assert len(small) <= 300 < len(large)
    ids = received(party, large, small)
    batches.process_waiting(ids[1], limit=10)
    states = {str(pk): state for pk, state in RawMessage.objects.values_list("id", "state")}
    assert states == {ids[0]: MessageState.RECEIVED, ids[1]: MessageState.PROCESSED}
    assert batches.process_waiting(ids[0], limit=10) in processing.FINAL_STATES  # its own task takes it
