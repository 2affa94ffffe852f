"""IFTSAI schedules map to one TRANSPORT event per sailing's call, PLN or EST by its date's qualifier."""

from edi.map import map_interchange
from edi.translate import translate_bytes
from tests.unit.edi.container_fixtures import FIXTURES, position, truncated, valid_and_mapped

D95B = "iftsai_d95b_logihub_schedule.edi"
D16A = "iftsai_d16a_logihub_schedule.edi"


def _calls(events: list[dict]) -> list[tuple]:
    return [
        (
            e["transportEventTypeCode"],
            e["eventClassifierCode"],
            e["eventDateTime"],
            e["transportCall"]["UNLocationCode"],
            e["transportCall"]["vessel"]["vesselIMONumber"],
            e["transportCall"]["carrierVoyageNumber"],
        )
        for e in events
    ]


def test_each_sailing_gives_its_departure_and_arrival_by_the_dates_own_kind():
    result = valid_and_mapped(D95B)
    assert _calls(result.events) == [
        ("DEPA", "EST", "2026-11-30T18:00:00+08:00", "CNSHA", "9703291", "613E"),  # DTM 133
        ("ARRI", "EST", "2026-12-28T12:00:00+01:00", "NLRTM", "9703291", "613E"),  # DTM 132
        ("DEPA", "PLN", "2026-12-07T18:00:00+08:00", "CNSHA", "9839430", "615E"),  # DTM 189 scheduled
        ("ARRI", "PLN", "2027-01-04T12:00:00+01:00", "NLRTM", "9839430", "615E"),  # DTM 232 scheduled
    ]
    assert [position(e) for e in result.events] == [(9, "DTM"), (11, "DTM"), (14, "DTM"), (16, "DTM")]
    assert all(e["eventType"] == "TRANSPORT" for e in result.events) and result.issues == []


def test_d16a_port_groups_are_read_past_their_equipment_and_count():
    result = valid_and_mapped(D16A)
    assert _calls(result.events) == [
        ("DEPA", "EST", "2026-11-30T18:00:00+08:00", "CNSHA", "9703291", "613E"),
        ("ARRI", "EST", "2026-12-28T12:00:00+01:00", "NLRTM", "9703291", "613E"),
    ]
    assert result.events[1]["source"]["timeZone"] == "message"  # format 303 with its offset


def test_the_same_sailing_in_two_schedules_is_one_event_each_call():
    assert [e["eventID"] for e in valid_and_mapped(D16A).events] == [
        e["eventID"] for e in valid_and_mapped(D95B).events[:2]
    ]


def test_a_schedule_request_states_nothing():
    text = (FIXTURES / D95B).read_text().replace("SCH20261120+11", "SCH20261120+13")
    result = map_interchange(text.encode())
    assert result.events == [] and result.issues == []


def test_truncated_schedule_gives_positioned_errors_and_no_crash():
    document = translate_bytes(truncated(D16A, 300))
    assert document["errors"] and all(e["position"].get("segment") for e in document["errors"])
