"""Replacements and cancellations of reports: the events only an earlier report stated are withdrawn,
whatever order the reports arrive in, and the statuses are those of the current events alone."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.tracking.builders import BOX, build_event
from tests.unit.tracking.test_projections import snapshot
from tracking.models import ContainerStatus, Event, EventAssertion, ShipmentStatus, Withdrawal
from tracking.store import record_events
from tracking.withdrawals import document_key, key_of, settle, withdraw

pytestmark = pytest.mark.django_db

SENDER = "SHATML"
KEY = document_key(SENDER, "IFTSTA", "ST-77")


def reported(event: dict, created: str, number: str = "ST-77", function: str = "9", sender: str = SENDER) -> dict:
    """The event as a report created at ``created`` stated it (``source.document``, eventCreatedDateTime)."""
    source = {
        **event["source"],
        "party": sender,
        "document": {"type": "IFTSTA", "number": number, "function": function},
    }
    return {**event, "eventCreatedDateTime": created, "source": source}


GTIN = build_event("GTIN", at="2026-11-20T08:00:00+08:00", bill="BL9")
LOAD_WRONG = build_event("LOAD", at="2026-11-21T08:00:00+08:00", bill="BL9", vessel=("9839131", "A"))
LOAD_RIGHT = build_event("LOAD", at="2026-11-22T06:00:00+08:00", bill="BL9", vessel=("9839131", "A"))
ORIGINAL = ("2026-11-21T09:00:00Z", [GTIN, LOAD_WRONG])
REPLACEMENT = ("2026-11-22T09:00:00Z", [GTIN, LOAD_RIGHT])


def _original() -> None:
    created, events = ORIGINAL
    record_events([reported(e, created) for e in events])


def _replacement(raw: str = "00000000-0000-0000-0000-000000000005") -> None:
    created, events = REPLACEMENT
    record_events([reported(e, created, function="5") for e in events])
    withdraw(KEY, function="5", created=_at(created), kept=[e["eventID"] for e in events], raw_message=raw)


def _cancellation(created: str = "2026-11-23T09:00:00Z") -> None:
    withdraw(KEY, function="1", created=_at(created), kept=[], raw_message="00000000-0000-0000-0000-000000000001")


def _at(text: str):
    from datetime import datetime

    return datetime.fromisoformat(text)


def current() -> set[str]:
    return {str(pk) for pk in Event.objects.values_list("event_id", flat=True)}


def test_the_document_key_is_sender_type_and_number():
    assert KEY == "SHATML/IFTSTA/ST-77"
    assert key_of(reported(GTIN, "2026-11-21T09:00:00Z")) == KEY
    assert key_of(GTIN) == ""  # a source without a document (an RFID read, a test event) is never withdrawn
    assert document_key("", "IFTSTA", "1") == document_key("A", "IFTSTA", "") == ""
    # a document number cannot spell another sender's key, however the sender's identity is written
    assert document_key("A", "IFTSTA", "X/IFTSTA/N") != document_key("A/IFTSTA/X", "IFTSTA", "N")
    assert document_key("A%2F", "IFTSTA", "N") != document_key("A/", "IFTSTA", "N")


def test_a_replacement_withdraws_what_it_no_longer_states_and_the_status_follows():
    _original()
    assert ContainerStatus.objects.get(equipment__reference=BOX).milestone_at == _at(LOAD_WRONG["eventDateTime"])
    _replacement()
    assert current() == {GTIN["eventID"], LOAD_RIGHT["eventID"]}
    withdrawn = Event.every.get(pk=LOAD_WRONG["eventID"])  # kept, marked: the store is append-only
    assert withdrawn.withdrawn_by.function == "5" and withdrawn.withdrawn_by.document_key == KEY
    status = ContainerStatus.objects.get(equipment__reference=BOX)
    assert (status.milestone, status.milestone_at) == ("LOAD", _at(LOAD_RIGHT["eventDateTime"]))


def test_a_replacement_that_corrects_a_time_backwards_takes_the_status_back():
    """The wrong LOAD was the latest; the correct one is older than a later GTOT: a fold alone cannot undo it."""
    late_wrong = build_event("GTOT", at="2026-11-25T08:00:00+08:00", bill="BL9")
    record_events([reported(e, "2026-11-21T09:00:00Z") for e in (GTIN, late_wrong)])
    assert ContainerStatus.objects.get(equipment__reference=BOX).milestone == "GTOT"
    record_events([reported(GTIN, "2026-11-22T09:00:00Z", function="5")])
    withdraw(KEY, function="5", created=_at("2026-11-22T09:00:00Z"), kept=[GTIN["eventID"]])
    assert ContainerStatus.objects.get(equipment__reference=BOX).milestone == "GTIN"
    assert ShipmentStatus.objects.get(shipment__reference="BL9").milestone == "GTIN"


def test_a_cancellation_withdraws_the_whole_report_and_a_container_without_events_loses_its_status():
    _original()
    _cancellation()
    assert current() == set()
    assert not ContainerStatus.objects.filter(equipment__reference=BOX).exists()
    assert not ShipmentStatus.objects.filter(shipment__reference="BL9").exists()
    assert Event.every.count() == 2  # nothing deleted


def test_an_original_arriving_after_its_replacement_is_stored_withdrawn():
    _replacement()
    _original()  # created before the replacement: superseded as it is stored
    assert current() == {GTIN["eventID"], LOAD_RIGHT["eventID"]}
    assert Event.every.filter(pk=LOAD_WRONG["eventID"]).exists()
    status = ContainerStatus.objects.get(equipment__reference=BOX)
    assert status.milestone_at == _at(LOAD_RIGHT["eventDateTime"])


def test_a_fact_another_report_also_stated_stays_current():
    record_events([reported(GTIN, "2026-11-21T09:00:00Z", number="GATE-1")])  # the terminal's own report
    _original()  # the carrier's report restates the same gate-in (same eventID)
    assert EventAssertion.objects.filter(event_id=GTIN["eventID"]).count() == 1
    _cancellation()
    assert current() == {GTIN["eventID"]}
    withdraw(
        document_key(SENDER, "IFTSTA", "GATE-1"), function="1", created=_at("2026-11-24T00:00:00Z"), kept=[]
    )  # and once that report is cancelled too, nobody states it
    assert current() == set()


def test_a_withdrawn_event_another_report_states_later_is_current_again():
    """Found by the property test below: the restatement arrives after the withdrawal it outlives."""
    _original()
    _cancellation()
    assert current() == set()
    record_events([reported(GTIN, "2026-11-21T08:00:00Z", number="GATE-1")])  # the terminal's own report
    assert current() == {GTIN["eventID"]}
    assert ContainerStatus.objects.get(equipment__reference=BOX).milestone == "GTIN"


def test_a_later_replacement_restating_an_event_makes_it_current_again():
    _original()
    _cancellation()
    created = "2026-11-24T09:00:00Z"
    record_events([reported(GTIN, created, function="5")])
    withdraw(KEY, function="5", created=_at(created), kept=[GTIN["eventID"]], raw_message=None, message_reference="R2")
    assert current() == {GTIN["eventID"]}
    assert ContainerStatus.objects.get(equipment__reference=BOX).milestone == "GTIN"


def test_replaying_a_replacement_changes_nothing_and_records_it_once():
    _original()
    _replacement()
    before = (snapshot(), current())
    _replacement()
    assert (snapshot(), current()) == before
    assert Withdrawal.objects.count() == 1
    assert settle([KEY]).withdrawn == settle([KEY]).restored == []


def test_another_senders_report_of_the_same_number_is_untouched():
    other = build_event("GTIN", box=BOX, at="2026-11-19T08:00:00+08:00")
    record_events([reported(other, "2026-11-20T00:00:00Z", sender="OTHERCARRIER")])
    _original()
    _cancellation()
    assert current() == {other["eventID"]}


def test_a_withdrawal_names_a_document_and_a_withdrawing_function():
    with pytest.raises(ValueError, match="1225"):
        withdraw(KEY, function="9", created=_at("2026-11-24T00:00:00Z"), kept=[])
    with pytest.raises(ValueError, match="names a document"):
        withdraw("", function="1", created=_at("2026-11-24T00:00:00Z"), kept=[])


STEPS = {"original": _original, "replacement": _replacement, "cancellation": _cancellation}


def _reset() -> None:
    ContainerStatus.objects.all().delete()
    ShipmentStatus.objects.all().delete()
    Event.every.all().delete()
    Withdrawal.objects.all().delete()


@pytest.mark.parametrize("steps", [("original", "replacement"), ("original", "replacement", "cancellation")])
def test_any_arrival_order_gives_the_same_events_statuses_and_rebuild(steps):
    outcomes = set()
    for order in itertools.permutations(steps):
        _reset()
        for step in order:
            STEPS[step]()
        state = (repr(sorted(snapshot().items())), frozenset(current()))
        call_command("tracking", "rebuild", stdout=StringIO())
        assert repr(sorted(snapshot().items())) == state[0], order  # incremental = rebuilt from current events
        outcomes.add(state)
    assert len(outcomes) == 1


# -- any reports, any arrival order: the rule against a model of it ---------------------------------------------

FACTS = [
    build_event(code, at=f"2026-11-2{n}T08:00:00+08:00", bill="BL7")
    for n, code in enumerate(("GTIN", "LOAD", "DISC", "GTOT"))
]
report_strategy = st.lists(
    st.tuples(st.sampled_from(["ST-1", "ST-2"]), st.sampled_from(["9", "5", "1"]), st.sets(st.integers(0, 3))),
    min_size=1,
    max_size=6,
)


def _send(number: str, function: str, facts: set[int], hour: int) -> None:
    created = f"2026-11-30T{hour:02d}:00:00+00:00"
    events = [] if function == "1" else [reported(FACTS[i], created, number=number, function=function) for i in facts]
    if events:
        record_events(events)
    if function != "9":
        withdraw(document_key(SENDER, "IFTSTA", number), function=function, created=_at(created),
                 kept=[e["eventID"] for e in events], message_reference=f"{number}-{hour}")  # fmt: skip


def _model(reports: list[tuple[str, str, set[int], int]]) -> set[str]:
    """The eventIDs the rule keeps current: stated by a report not superseded for that fact."""
    latest: dict[str, tuple[int, set[int]]] = {}
    for number, function, facts, hour in reports:
        if function != "9" and (number not in latest or hour > latest[number][0]):
            latest[number] = (hour, set() if function == "1" else facts)
    current = set()
    for number, function, facts, hour in reports:
        if function == "1":
            continue
        for i in facts:
            last = latest.get(number)
            if last is None or hour > last[0] or i in last[1]:
                current.add(FACTS[i]["eventID"])
    return current


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports=report_strategy, data=st.data())
def test_any_reports_in_any_order_leave_what_the_rule_says_and_what_a_rebuild_gives(reports, data):
    dated = [(number, function, facts, hour) for hour, (number, function, facts) in enumerate(reports, start=1)]
    order = data.draw(st.permutations(dated))  # each report created at its own hour; they arrive in any order
    _reset()
    for number, function, facts, hour in order:
        _send(number, function, facts, hour)
    assert current() == _model(dated)
    incremental = repr(sorted(snapshot().items()))
    call_command("tracking", "rebuild", stdout=StringIO())
    assert repr(sorted(snapshot().items())) == incremental


def test_tracking_rebuild_settles_a_document_left_unsettled():
    """A settle after commit that failed (logged) leaves marks behind; the rebuild repairs them."""
    _original()
    _replacement()
    Event.every.filter(pk=LOAD_WRONG["eventID"]).update(withdrawn_by=None)  # as if the last settle never ran
    out = StringIO()
    call_command("tracking", "rebuild", stdout=out)
    assert "settled again: 1 withdrawn, 0 restored" in out.getvalue()
    assert current() == {GTIN["eventID"], LOAD_RIGHT["eventID"]}
    assert ContainerStatus.objects.get(equipment__reference=BOX).milestone_at == _at(LOAD_RIGHT["eventDateTime"])


def test_a_withdrawal_withdraws_the_whole_report_as_a_cancellation_does():
    # UN/EDIFACT 1225 50 'withdraw': a message withdrawing a previously approved message (Australia's ICS)
    _original()
    withdraw(KEY, function="50", created=_at("2026-11-24T00:00:00Z"), kept=[])
    assert current() == set()
