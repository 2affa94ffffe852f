"""The JSON document that carries a set-based write's rows: every value typed as PostgreSQL reads it back."""

import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from django.utils.translation import gettext_lazy

from tracking.bulk import document
from tracking.choices import ShipmentKind


def test_rows_become_objects_keyed_by_column_position():
    assert json.loads(document([("a", 1, True, None), ("b", 2, False, "x")])) == [
        {"c0": "a", "c1": 1, "c2": True, "c3": None},
        {"c0": "b", "c1": 2, "c2": False, "c3": "x"},
    ]


def test_no_rows_is_an_empty_array():
    assert json.loads(document([])) == []


def test_date_times_keep_their_offset_and_microseconds_and_uuids_are_text():
    key = uuid.UUID("6f1b1d2e-3c57-5a7e-9c1e-2a0d1c4b7e11")
    shanghai = timezone(timedelta(hours=8))
    row = (key, datetime(2026, 11, 25, 8, 0, tzinfo=shanghai), datetime(2026, 11, 25, 0, 0, 0, 123456, tzinfo=UTC))
    assert json.loads(document([row])) == [
        {"c0": str(key), "c1": "2026-11-25T08:00:00+08:00", "c2": "2026-11-25T00:00:00.123456+00:00"}
    ]


def test_nested_json_choices_decimals_dates_and_lazy_text_are_written_as_text_or_json():
    payload = {"eventID": "x", "parties": [{"partyFunction": "CA"}], "weight": 1.5}
    row = (payload, ShipmentKind.BKG, Decimal("12.50"), date(2026, 11, 25), gettext_lazy("released"))
    assert json.loads(document([row])) == [
        {"c0": payload, "c1": "BKG", "c2": "12.50", "c3": "2026-11-25", "c4": "released"}
    ]
