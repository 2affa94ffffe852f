"""Times in the place's local time: from the event's own offset, else from the UN/LOCODE's country.

A canonical event's ``eventDateTime`` carries the offset of the place where it happened
(``2026-11-25T08:12:00+08:00``), so that offset is the first choice. Where only a UTC time is
at hand (a status row), the UN/LOCODE's country picks a time zone from a small table; a
country with several zones gets its main port's zone, and an unknown one stays in UTC.

    >>> local_time(datetime(2026, 11, 25, 0, 12, tzinfo=UTC), "CNSHA").isoformat()
    '2026-11-25T08:12:00+08:00'
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

COUNTRY_ZONES = {
    "AE": "Asia/Dubai",
    "AU": "Australia/Sydney",
    "BE": "Europe/Brussels",
    "BR": "America/Sao_Paulo",
    "CA": "America/Vancouver",
    "CN": "Asia/Shanghai",
    "DE": "Europe/Berlin",
    "EG": "Africa/Cairo",
    "ES": "Europe/Madrid",
    "FR": "Europe/Paris",
    "GB": "Europe/London",
    "GR": "Europe/Athens",
    "HK": "Asia/Hong_Kong",
    "ID": "Asia/Jakarta",
    "IN": "Asia/Kolkata",
    "IT": "Europe/Rome",
    "JP": "Asia/Tokyo",
    "KR": "Asia/Seoul",
    "LK": "Asia/Colombo",
    "MA": "Africa/Casablanca",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NL": "Europe/Amsterdam",
    "PA": "America/Panama",
    "PH": "Asia/Manila",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
    "SA": "Asia/Riyadh",
    "SG": "Asia/Singapore",
    "TH": "Asia/Bangkok",
    "TR": "Europe/Istanbul",
    "TW": "Asia/Taipei",
    "US": "America/Los_Angeles",
    "VN": "Asia/Ho_Chi_Minh",
    "ZA": "Africa/Johannesburg",
}


def zone_of(un_location_code: str) -> ZoneInfo | None:
    """The time zone of a UN/LOCODE's country, when the table knows it."""
    name = COUNTRY_ZONES.get((un_location_code or "")[:2].upper())
    return ZoneInfo(name) if name else None


def local_time(at: datetime | None, un_location_code: str = "", stated: str = "") -> datetime | None:
    """``at`` in the place's local time: the stated ISO 8601 offset first, then the country's zone."""
    if at is None:
        return None
    if stated:
        try:
            parsed = datetime.fromisoformat(stated)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return at.astimezone(parsed.tzinfo)
    zone = zone_of(un_location_code)
    return at.astimezone(zone) if zone else at.astimezone(UTC)


def offset_label(at: datetime | None) -> str:
    """``UTC+08:00`` for a local time (``UTC`` when the offset is zero)."""
    if at is None or at.utcoffset() is None:
        return ""
    minutes = int(at.utcoffset().total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def event_local_time(event: dict) -> datetime | None:
    """A canonical event's time, in the offset it was stated in."""
    stated = event.get("eventDateTime") or ""
    try:
        parsed = datetime.fromisoformat(stated)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed
