"""Times in the place's local time: the UN/LOCODE's time zone, else the offset the partner stated.

A place's zone comes from :mod:`edi.mappings.edifact.places` (the one table the EDIFACT dates are read by): the port's own zone where a country spans
several (``USLAX`` is Los Angeles, ``USNYC`` New York), else the country's. In a country of
several zones whose port the table does not know, the offset the event was stated in
(``2026-11-25T08:12:00-05:00``) is the better guess, then the country's main zone; a place
with no known country stays in UTC. Every time is shown with its offset, so nothing is hidden.

    >>> local_time(datetime(2026, 11, 25, 0, 12, tzinfo=UTC), "CNSHA").isoformat()
    '2026-11-25T08:12:00+08:00'
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from edi.mappings.edifact.places import COUNTRY_ZONES, LOCODE_ZONES, MAIN_ZONES, SEVERAL


def zone_of(un_location_code: str) -> ZoneInfo | None:
    """The time zone of a UN/LOCODE: the port's own, else its country's main zone."""
    code = (un_location_code or "").upper()
    name = LOCODE_ZONES.get(code) or COUNTRY_ZONES.get(code[:2]) or MAIN_ZONES.get(code[:2])
    return ZoneInfo(name) if name else None


def zone_is_certain(un_location_code: str) -> bool:
    """Whether :func:`zone_of` names the place's own zone, not a guess among a country's several."""
    code = (un_location_code or "").upper()
    return code in LOCODE_ZONES or (code[:2] in COUNTRY_ZONES and code[:2] not in SEVERAL)


def _stated_zone(stated: str):
    try:
        parsed = datetime.fromisoformat(stated) if stated else None
    except ValueError:
        return None
    return parsed.tzinfo if parsed is not None else None


def local_time(at: datetime | None, un_location_code: str = "", stated: str = "") -> datetime | None:
    """``at`` in the place's local time (see the module's text for the order of the rules)."""
    if at is None:
        return None
    zone = zone_of(un_location_code)
    if zone is not None and zone_is_certain(un_location_code):
        return at.astimezone(zone)
    stated_zone = _stated_zone(stated)
    if stated_zone is not None:
        return at.astimezone(stated_zone)
    return at.astimezone(zone or UTC)


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
    """A canonical event's time in its place's local time (None when it states no usable time)."""
    stated = event.get("eventDateTime") or ""
    try:
        parsed = datetime.fromisoformat(stated)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return local_time(parsed, (event.get("transportCall") or {}).get("UNLocationCode", ""), stated)
