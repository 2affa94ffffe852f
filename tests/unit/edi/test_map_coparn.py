"""COPARN announcements give a planned or estimated gate move only where they say when; otherwise no events."""

from edi.map import map_interchange
from edi.map.engine import iter_mapped
from edi.translate import translate_bytes
from tests.unit.edi.container_fixtures import FIXTURES, position, refs, truncated, valid_and_mapped

ANNOUNCEMENT = "coparn_d00b_logihub_announcement.edi"


def test_acceptance_order_with_an_estimated_positioning_time_gives_an_estimated_gate_in():
    result = valid_and_mapped(ANNOUNCEMENT)
    (event,) = result.events  # the second container has no time; the second message orders no move
    assert (event["eventType"], event["equipmentEventTypeCode"], event["eventClassifierCode"]) == (
        "EQUIPMENT",
        "GTIN",
        "EST",
    )
    assert event["equipmentReference"] == "MSCU1234566"
    assert event["eventDateTime"] == "2026-12-04T14:30:00+01:00"  # DTM 395, not the vessel's ETD (133)
    assert event["transportCall"]["UNLocationCode"] == "DEHAM"
    assert event["transportCall"]["facilityCode"] == "CTA"
    assert event["transportCall"]["modeOfTransport"] == "TRUCK"
    assert event["transportCall"]["truckLicensePlate"] == "HHAB123"
    assert refs(event) == [("TRD", "MEDUBL0001"), ("BKG", "BKG990011")]
    assert position(event) == (11, "EQD")
    assert result.issues == []


def test_a_requested_positioning_time_is_a_planned_move():
    text = (FIXTURES / ANNOUNCEMENT).read_text().replace("DTM+395:202612041430", "DTM+396:202612041430")
    (event,) = map_interchange(text.encode()).events
    assert (event["eventClassifierCode"], event["eventDateTime"]) == ("PLN", "2026-12-04T14:30:00+01:00")


def test_the_partys_positioning_date_is_not_the_gate_time():
    # the header NAD group's DTM 396 is at the shipper's premises: the container without its own time gets none
    result = map_interchange(FIXTURES / ANNOUNCEMENT)
    assert [e["equipmentReference"] for e in result.events] == ["MSCU1234566"]


def test_release_order_with_a_planned_pick_up_gives_a_planned_gate_out():
    text = (
        (FIXTURES / ANNOUNCEMENT)
        .read_text()
        .replace("BGM+126+", "BGM+129+")
        .replace("DTM+395:202612041430", "DTM+393:202612041430")
    )
    (event,) = map_interchange(text.encode()).events
    assert (event["equipmentEventTypeCode"], event["eventClassifierCode"]) == ("GTOT", "PLN")


def test_a_cancelled_announcement_gives_no_events_and_withdraws_the_announcement():
    text = (FIXTURES / ANNOUNCEMENT).read_text().replace("ACC20261203001+9", "ACC20261203001+1")
    (_message, result), *_others = list(iter_mapped(text.encode()))
    assert result.events == [] and result.issues == []
    assert result.withdraws["document"] == {"type": "COPARN", "number": "ACC20261203001", "function": "1"}


def test_truncated_announcement_gives_positioned_errors_and_no_crash():
    document = translate_bytes(truncated(ANNOUNCEMENT, 420))
    assert document["errors"] and all(e["position"].get("segment") for e in document["errors"])


def test_empties_ordered_by_size_type_and_count_name_no_container_and_no_error():
    text = (
        (FIXTURES / ANNOUNCEMENT)
        .read_text()
        .replace("BGM+134+", "BGM+144+")
        .replace("EQD+CN++22G1:102:5'EQN+3'DTM+396", "EQD+CN++22G1:102:5'EQN+3'DTM+393")
    )
    result = map_interchange(text.encode())
    assert [e["source"]["messageReference"] for e in result.events] == ["1"]
    assert result.issues == []


ITIGG_ORDER = (
    "UNB+UNOA:2+AGENT+DEPOT+240621:0800+1'UNH+2+COPARN:D:95B:UN:ITG11'BGM+{code}+3+9'RFF+BN:B1'"
    "TDT+20+18N+1++GEK:172:87+++47AVS:103::X'LOC+9+ITSAL:139:6'NAD+CF+GEK:172:87'"
    "EQD+CN+TGHU3344558+42G1:102:5++2+4'DTM+{qualifier}:202406241000:203'CNT+16:1'UNT+11+2'UNZ+1+1'"
)


def test_the_itigg_d95b_order_codes_are_the_gate_moves_they_order():
    # ITIGG's D95B container guide: 11 acceptance, 12 release, 27 impending arrival, 695 disposition
    expected = {"11": "GTIN", "12": "GTOT", "27": "GTIN", "695": "GTOT", "690": "GTOT"}
    for code, move in expected.items():
        qualifier = "393" if move == "GTOT" else "396"
        result = map_interchange(ITIGG_ORDER.format(code=code, qualifier=qualifier).encode())
        assert [i for i in result.issues if i.severity == "error"] == [], code
        (event,) = result.events
        assert (event["equipmentEventTypeCode"], event["equipmentReference"]) == (move, "TGHU3344558"), code
        assert event["eventDateTime"] == "2024-06-24T10:00:00+02:00"


def test_the_itigg_empty_equipment_advice_orders_no_move_and_is_no_error():
    result = map_interchange(ITIGG_ORDER.format(code="689", qualifier="393").encode())
    assert result.events == []
    assert [i for i in result.issues if i.severity == "error"] == []


def test_the_vessel_of_an_order_is_the_headers_main_carriage_not_the_containers_on_carriage():
    # SMDG COPARN (D00B): a container's group may name its on-carriage after discharge (TDT 30) beside
    # the main carriage of the header; the planned gate-in is for the main carriage's vessel
    data = (
        "UNB+UNOA:2+AGENT+DEPOT+240703:1323+1'UNH+2+COPARN:D:00B:UN:SMDG20'BGM+126+3+9'"
        "TDT+20+00018N+1++GEK:172:87+++47AVS:103::SALERNO PRIDE'LOC+9+ITSAL:139:6'NAD+CA+GEK:172:ZZZ'"
        "EQD+CN+TGHU3344558+45G1:102:5+2+2+5'DTM+396:202407081000:203'LOC+11+ESALG:139:6'"
        "TDT+30+09+1++XXX:172:87+++478AWD:103::WET OCEAN'LOC+11+GWOXB:139:6'CNT+16:1'UNT+13+2'UNZ+1+1'"
    )
    (event,) = map_interchange(data.encode()).events
    call = event["transportCall"]
    assert (call["carrierVoyageNumber"], call["vessel"]["vesselName"]) == ("00018N", "SALERNO PRIDE")
    assert call["UNLocationCode"] == "ITSAL"
