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


def test_each_port_group_of_a_d99b_sailing_dates_its_own_port():
    """D99B nests the dates in the sailing's LOC groups (SG4 TDT > SG5 LOC-DTM): a date is at the port
    that opens its group, the port of loading and the previous and next ports included."""
    text = (
        "UNA:+.? 'UNB+UNOC:3+CARRIER+PORT+261120:0900+7'UNH+1+IFTSAI:D:99B:UN'BGM+404+SCH7+9'"
        "TDT+20+701W+1++:172+++9703291:146::EXAMPLE VESSEL'"
        "LOC+9+NLRTM:139:6'DTM+132:202612010700:203'DTM+133:202612021500:203'"
        "LOC+94+CNTAO:139:6'DTM+132:202611010200:203'DTM+133:202611021400:203'"
        "LOC+152+SGSIN:139:6'DTM+186:202611121800:203'"
        "UNT+11+1'UNZ+1+7'"
    )
    result = map_interchange(text.encode())
    assert [
        (
            e["transportEventTypeCode"],
            e["eventClassifierCode"],
            e["eventDateTime"],
            e["transportCall"]["UNLocationCode"],
        )
        for e in result.events
    ] == [
        ("ARRI", "EST", "2026-12-01T07:00:00+01:00", "NLRTM"),
        ("DEPA", "EST", "2026-12-02T15:00:00+01:00", "NLRTM"),
        ("ARRI", "EST", "2026-11-01T02:00:00+08:00", "CNTAO"),
        ("DEPA", "EST", "2026-11-02T14:00:00+08:00", "CNTAO"),
        ("DEPA", "ACT", "2026-11-12T18:00:00+08:00", "SGSIN"),
    ]
    assert result.issues == []
