"""Times in the place's local time: the UN/LOCODE's zone first, the stated offset where the zone is a guess."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from edi.mappings.edifact.places import COUNTRY_ZONES, LOCODE_ZONES, MAIN_ZONES
from portal.localtime import event_local_time, local_time, offset_label, zone_is_certain, zone_of

MOMENT = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


def test_a_port_in_a_country_of_one_zone_is_shown_in_that_zone_whatever_offset_the_partner_stated():
    at = local_time(MOMENT, "CNSHA", "2026-07-01T12:00:00+00:00")
    assert at.isoformat() == "2026-07-01T20:00:00+08:00"
    assert local_time(MOMENT, "NLRTM", "2026-07-01T20:00:00+08:00").isoformat() == "2026-07-01T14:00:00+02:00"


def test_ports_of_a_country_of_several_zones_get_their_own_zone():
    assert offset_label(local_time(MOMENT, "USNYC")) == "UTC-04:00"
    assert offset_label(local_time(MOMENT, "USLAX")) == "UTC-07:00"
    assert offset_label(local_time(MOMENT, "USHOU")) == "UTC-05:00"
    assert offset_label(local_time(MOMENT, "AUFRE")) == "UTC+08:00"
    assert offset_label(local_time(MOMENT, "ESLPA")) == "UTC+01:00"


def test_an_unknown_place_in_a_country_of_several_zones_keeps_the_stated_offset_then_the_main_zone():
    assert not zone_is_certain("USXYZ") and zone_is_certain("USSAV") and zone_is_certain("DEHAM")
    assert offset_label(local_time(MOMENT, "USXYZ", "2026-07-01T06:00:00-06:00")) == "UTC-06:00"
    assert offset_label(local_time(MOMENT, "USXYZ")) == "UTC-04:00"  # New York, the country's main zone


def test_a_place_of_no_known_country_stays_in_the_stated_offset_or_utc():
    assert offset_label(local_time(MOMENT, "XXABC", "2026-07-01T15:00:00+03:00")) == "UTC+03:00"
    assert offset_label(local_time(MOMENT, "")) == "UTC"


def test_every_country_and_port_zone_exists_in_the_tz_database():
    for name in {*COUNTRY_ZONES.values(), *MAIN_ZONES.values(), *LOCODE_ZONES.values()}:
        ZoneInfo(name)
    assert len(COUNTRY_ZONES) + len(MAIN_ZONES) > 240 and zone_of("sgsin") == ZoneInfo("Asia/Singapore")


def test_an_event_is_timed_at_its_place():
    event = {"eventDateTime": "2026-07-01T12:00:00Z", "transportCall": {"UNLocationCode": "JPTYO"}}
    assert event_local_time(event).isoformat() == "2026-07-01T21:00:00+09:00"
    assert event_local_time({"eventDateTime": "not a time"}) is None
