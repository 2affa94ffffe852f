"""Events are checked against schemas/canonical-event.schema.json before anything is stored."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.tracking.builders import build_event
from tracking.exceptions import InvalidEvent
from tracking.models import Event
from tracking.store import record_events
from tracking.validation import problems_of

DCSA_EXAMPLES = Path("/work/shared/standards/dcsa/examples")


def test_a_built_event_of_every_type_is_valid():
    events = [
        build_event("GTIN"),
        build_event("ARRI", kind="TRANSPORT", vessel=("9839131", "DEMO HARMONY"), voyage="001E"),
        build_event("CONF", kind="SHIPMENT", booking="BK1"),
        build_event("HOLD", kind="CUSTOMS", declaration="DEC1", authority="CNSHA-CUSTOMS"),
    ]
    assert problems_of(events) == []


@pytest.mark.skipif(not DCSA_EXAMPLES.exists(), reason="DCSA examples not available")
def test_dcsa_track_and_trace_2_2_example_events_are_valid_canonical_events():
    events = json.loads((DCSA_EXAMPLES / "tnt-220-response.json").read_text())
    assert problems_of(events) == []


@pytest.mark.parametrize(
    ("mangle", "path", "words"),
    [
        (lambda e: e.pop("eventID"), "[0]", "'eventID' is a required property"),
        (lambda e: e.update(eventDateTime="2026-11-25T08:00:00"), "[0].eventDateTime", "UTC offset"),
        (lambda e: e.update(eventDateTime="2026-13-45T08:00:00Z"), "[0].eventDateTime", "not a real date-time"),
        (lambda e: e.update(eventType="TELEPORT"), "[0].eventType", "is not one of"),
        (lambda e: e.update(equipmentEventTypeCode="FLY"), "[0].equipmentEventTypeCode", "is not one of"),
        (lambda e: e.pop("equipmentEventTypeCode"), "[0]", "'equipmentEventTypeCode' is a required property"),
        (
            lambda e: e["transportCall"].update(UNLocationCode="shanghai"),
            "[0].transportCall.UNLocationCode",
            "UN/LOCODE",
        ),
        (lambda e: e.update(eventID="not-a-uuid"), "[0].eventID", "UUID"),
    ],
)
def test_an_invalid_event_is_refused_with_its_position(mangle, path, words):
    event = copy.deepcopy(build_event())
    mangle(event)
    problems = problems_of([event])
    assert problems, "expected a problem"
    assert problems[0]["path"] == path
    assert words in problems[0]["message"]


@pytest.mark.django_db
def test_a_batch_with_one_invalid_event_stores_nothing_and_names_it():
    good, bad = build_event("GTIN"), build_event("LOAD")
    bad["eventClassifierCode"] = "MAYBE"
    with pytest.raises(InvalidEvent) as caught:
        record_events([good, bad])
    assert caught.value.code == "invalid_event"
    assert caught.value.position == "[1].eventClassifierCode"
    assert "event 1 is invalid" in str(caught.value)
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_an_invalid_event_is_also_a_value_error_for_callers_that_catch_those():
    with pytest.raises(ValueError, match="UTC offset"):
        record_events([build_event(at="2026-11-25T08:00:00")])


def _slow_verdict(event) -> bool:
    """What the Python ``jsonschema`` (with the date-time check) says alone: no problem at all."""
    from tracking.validation import validator

    if not isinstance(event, dict) or any(True for _ in validator().iter_errors(event)):
        return False
    return _dates_real(event)


def _dates_real(event: dict) -> bool:
    from datetime import datetime

    try:
        return all(datetime.fromisoformat(event[f]) is not None for f in ("eventDateTime", "eventCreatedDateTime"))
    except ValueError:
        return False


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
VALID = [
    build_event("GTIN", facility="YSPIV", bill="BL1", booking="BK1"),
    build_event("ARRI", kind="TRANSPORT", vessel=("9839131", "DEMO HARMONY"), voyage="001E"),
    build_event("CONF", kind="SHIPMENT", booking="BK1"),
    build_event("HOLD", kind="CUSTOMS", declaration="DEC1", authority="CNSHA-CUSTOMS", parties=("CNCUSTOMS",)),
]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


@settings(max_examples=400, deadline=None)
@given(base=st.sampled_from(VALID), data=st.data())
def test_the_fast_check_passes_an_event_only_when_jsonschema_passes_it_too(base, data):
    from tracking.validation import all_valid

    event = copy.deepcopy(base)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from([p for p in _paths(event) if p]))
        parent = event
        for step in path[:-1]:
            parent = parent[step]
        how = data.draw(st.sampled_from(["drop", "replace", "append newline"]))
        if how == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif how == "append newline" and isinstance(parent[path[-1]], str):
            parent[path[-1]] += "\n"
        else:
            parent[path[-1]] = data.draw(JSON)
    slow = _slow_verdict(event)
    assert slow or not all_valid([event]), "jsonschema-rs passed what jsonschema refuses"
    assert (problems_of([event]) == []) == slow  # a fast refusal is checked again: the verdict is jsonschema's
