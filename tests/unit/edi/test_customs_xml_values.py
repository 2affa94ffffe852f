"""Customs XML values: every time layout customs systems write reads back as the same instant."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edi.customs_xml.paths import locode, xml_datetime
from edi.mappings.values import BadValue

moments = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2068, 12, 31)).map(
    lambda m: m.replace(microsecond=0)
)
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: m - m % 15)


@given(moments, offsets)
def test_stamps_with_a_zone_read_back_as_the_same_instant(moment, minutes):
    zone = timezone(timedelta(minutes=minutes))
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    for text in (
        moment.strftime("%Y%m%d%H%M%S") + f"{sign}{hours:02d}{rest:02d}",
        moment.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{hours:02d}:{rest:02d}",
    ):
        value, how = xml_datetime(text)
        assert datetime.fromisoformat(value) == moment.replace(tzinfo=zone) and how == "message"


@given(moments)
def test_stamps_without_a_zone_take_the_ports_zone(moment):
    value, how = xml_datetime(moment.strftime("%Y%m%d%H%M%S") + "123", "CNSHA")
    assert value == moment.replace(tzinfo=ZoneInfo("Asia/Shanghai")).isoformat() and how == "location:Asia/Shanghai"
    utc, _ = xml_datetime(moment.strftime("%Y%m%d%H%M"), None, "UTC")
    assert datetime.fromisoformat(utc) == moment.replace(second=0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026", "20261332", "yesterday", "20261126T", "202611260800+1", "2026-13-01T00:00"])
def test_what_is_no_time_is_refused(text):
    with pytest.raises(BadValue):
        xml_datetime(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("CNSHA", ("CNSHA", "")), ("CNNHS510088/5119", ("CNNHS", "510088")), ("CN SHA", ("CNSHA", "")),
     ("CNSTG/6014", ("CNSTG", "")), ("HK", ("", "")), ("WLALONBTW", ("", ""))],
)  # fmt: skip
def test_place_codes_give_the_locode_and_the_terminal(text, expected):
    assert locode(text) == expected
