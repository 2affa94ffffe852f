"""Reading coded values: EDIFACT dates with their zones, UN/LOCODEs, container and vessel numbers.

Pure functions on strings; the mapping engine (:mod:`edi.map`) turns their complaints into issues.

    >>> edifact_datetime("202611250800", "203", "CNSHA")
    ('2026-11-25T08:00:00+08:00', 'location:Asia/Shanghai')
    >>> edifact_datetime("202611250800+0100", "205", None)
    ('2026-11-25T08:00:00+01:00', 'message')
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stdnum import imo, iso6346
from stdnum.exceptions import ValidationError

from edi.mappings.edifact.common import DATE_FORMATS, DAY_FIRST_FORMATS, EXTENDED_FORMATS, PERIOD_FORMATS
from edi.mappings.edifact.places import COUNTRIES, zone_of

LOCODE_RE = re.compile(r"[A-Z]{2}[A-Z2-9]{3}\Z")
_ZONE_RE = re.compile(r"([+-])(\d{1,2})(?::?(\d{2}))?\Z")
UTC_NAMES = frozenset({"UTC", "GMT", "UT", "Z", "ZZZ"})
MAX_OFFSET_HOURS = 14  # the widest offset a zone has (Kiribati, +14:00)
MIN_YEAR, MAX_YEAR = 1900, 2999  # dates outside are placeholders (00010101, 99991231), never an event's
#: Zone abbreviations partners write after a 303/304 time, where they mean one offset only
#: (CST and IST are left out: China or Central, India or Ireland).
ZONE_NAMES = {
    "CET": 60, "CEST": 120, "WET": 0, "WEST": 60, "EET": 120, "EEST": 180, "BST": 60, "MSK": 180,
    "EST": -300, "EDT": -240, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "HKT": 480, "SGT": 480, "JST": 540, "KST": 540, "AEST": 600, "AEDT": 660,
}  # fmt: skip


class BadValue(ValueError):
    """A value that cannot be read as what its qualifier says it is."""


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _offset(text: str) -> timezone:
    text = text.strip().upper()
    if text in UTC_NAMES:
        return UTC
    if text in ZONE_NAMES:
        return timezone(timedelta(minutes=ZONE_NAMES[text]))
    match = _ZONE_RE.match(text)
    if not match:
        raise BadValue(f"time zone {text!r} is not an offset such as +0800 or UTC")
    sign, hours, minutes = match.groups()
    if int(hours) > MAX_OFFSET_HOURS or int(minutes or 0) > 59:
        raise BadValue(f"time zone {text!r} is no UTC offset (at most 14 hours, minutes below 60)")
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return timezone(-delta if sign == "-" else delta)


def _naive(value: str, layout: str) -> tuple[datetime, str]:
    """The local date-time of ``value`` and what follows it (a zone for the Z layouts)."""
    digits = layout.rstrip("Z")
    width = len(digits)
    head, rest = value[:width], value[width:]
    if len(head) != width or not head.isdigit():
        raise BadValue(f"{value!r} does not match the date/time format {layout}")
    if digits.startswith("YY"):
        head = ("19" if int(head[:2]) >= 70 else "20") + head
    year, month, day = int(head[0:4]), int(head[4:6]), int(head[6:8])
    if not MIN_YEAR <= year <= MAX_YEAR:  # 0001 or 9999: a placeholder, and beyond what a zone can shift
        raise BadValue(f"{value!r} is no real date/time (year {year}, outside {MIN_YEAR} to {MAX_YEAR})")
    hour = int(head[8:10]) if len(head) >= 10 else 0
    minute = int(head[10:12]) if len(head) >= 12 else 0
    second = int(head[12:14]) if len(head) >= 14 else 0
    if hour == 24 and minute == 0:
        hour, day_shift = 0, 1
    else:
        day_shift = 0
    try:
        moment = datetime(year, month, day, hour, minute, second) + timedelta(days=day_shift)
    except ValueError as exc:
        raise BadValue(f"{value!r} is not a real date/time ({exc})") from None
    if rest and not layout.endswith("Z"):
        raise BadValue(f"{value!r} is longer than the date/time format {layout}")
    return moment, rest


def edifact_datetime(value: str, fmt: str, locode: str | None) -> tuple[str, str]:
    """ISO 8601 with offset, and where the offset came from: ``message``, ``location:<zone>`` or ``UTC-assumed``.

    Raises :class:`BadValue` for an unknown format (2379) or a value that does not fit it.
    """
    value = value.strip()
    if not fmt:  # no 2379: the length says which of the plain digit layouts it is
        fmt = PLAIN_BY_LENGTH.get(len(value), "203")
    if fmt in PERIOD_FORMATS:
        value, fmt = _period_start(value, PERIOD_FORMATS[fmt]), PERIOD_FORMATS[fmt]
    elif fmt in DAY_FIRST_FORMATS:
        fmt, slices = DAY_FIRST_FORMATS[fmt]
        if len(value) != max(end for _, end in slices) or not value.isdigit():
            raise BadValue(f"{value!r} does not match its day-first date/time format")
        value = "".join(value[a:b] for a, b in slices)
    elif fmt in EXTENDED_FORMATS:
        value, fmt = _without_extension(value, fmt)
    layout = DATE_FORMATS.get(fmt)
    if layout is None:
        raise BadValue(f"date/time format {fmt!r} (2379) is not supported")
    moment, rest = _naive(value, layout)
    if rest:
        aware = moment.replace(tzinfo=_offset(rest))
        how = "message"
    else:
        name = zone_of(locode)
        zone = _zone(name) if name else None
        if zone is not None:
            aware = moment.replace(tzinfo=zone)
            how = f"location:{name}"
        else:
            aware = moment.replace(tzinfo=UTC)
            how = "UTC-assumed"
    return iso(aware), how


#: The plain digit layouts by their length (what a DTM without a 2379 is read as).
PLAIN_BY_LENGTH = {6: "101", 8: "102", 10: "201", 12: "203", 14: "204"}
#: Plain layouts and the longer ones that only add to them (a time to a date, seconds to a time):
#: a value of one of these under the shorter format is read as what it is. A value shorter than its
#: format is not guessed at (``2010040811`` under 203 is a cut-off time, not YYMMDDHHMM).
EXTENDED_BY = {"101": ("201", "202"), "102": ("203", "204"), "201": ("202",), "203": ("204",)}


def dtm_datetime(value: str, fmt: str, locode: str | None) -> tuple[str, str, str]:
    """:func:`edifact_datetime` and a note: a plain digit value that is its format with more added
    (``20261203093015`` under 203, ``202612030930`` under 102, see :data:`EXTENDED_BY`) is read by its
    length rather than lost, and the note says so ('' when the value is read as declared).
    Raises :class:`BadValue` otherwise."""
    try:
        return (*edifact_datetime(value, fmt, locode), "")
    except BadValue as exc:
        local = _on_local_clock(value.strip(), fmt, locode) or _with_designator_or_zone(value.strip(), fmt, locode)
        if local is not None:
            return local
        digits = value.strip()
        guess = PLAIN_BY_LENGTH.get(len(digits))
        if guess not in EXTENDED_BY.get(fmt, ()) or not digits.isdigit():
            raise
        try:
            when, how = edifact_datetime(digits, guess, locode)
        except BadValue:
            raise exc from None
        return when, how, f"{exc}: read by its length as {DATE_FORMATS[guess]}"


#: Zone-less layouts -> the same layout with a zone after it (2379 30x).
ZONED = {"201": "301", "202": "302", "203": "303", "204": "304"}
#: A plain CCYYMMDD date and time with ISO 8601's time designator between them (2379's format 10 has it).
_DESIGNATED_RE = re.compile(r"(\d{8})[Tt](\d{4}(?:\d{2})?)")


def _with_designator_or_zone(value: str, fmt: str, locode: str | None) -> tuple[str, str, str] | None:
    """A plain date/time (201 to 204) written with what ISO 8601 adds and nothing ambiguous, read with a
    note: the time designator (``20240314T1200`` under 203) or a zone after the time
    (``202403141200+0100``, ``202403141200UTC``: read as 303 reads it); None otherwise."""
    if fmt not in ZONED:
        return None
    text, added = value, []
    designated = _DESIGNATED_RE.match(value) if fmt in ("203", "204") else None
    if designated:
        text = designated.group(1) + designated.group(2) + value[designated.end() :]
        added.append("the time designator T")
    layout = DATE_FORMATS[fmt]
    read_as = fmt
    if len(text) > len(layout) and text[: len(layout)].isdigit() and not text[len(layout) :].isdigit():
        read_as = ZONED[fmt]
        added.append(f"the zone {text[len(layout) :]!r}")
    if not added:
        return None
    try:
        when, how = edifact_datetime(text, read_as, locode)
    except BadValue:
        return None
    return when, how, f"{value!r} adds {' and '.join(added)} to its format {layout}: read with it"


#: 2379 formats with a zone -> the same layout without it.
ZONELESS = {
    "205": "203",
    "206": "201",
    "207": "202",
    "208": "204",
    "301": "201",
    "302": "202",
    "303": "203",
    "304": "204",
}


def _on_local_clock(value: str, fmt: str, locode: str | None) -> tuple[str, str, str] | None:
    """A time whose zone is a name that is no one offset (``CST``: China's or US Central?) read on the
    clock of the event's place when that is known; None otherwise."""
    plain = ZONELESS.get(fmt)
    if plain is None:
        return None
    width = len(DATE_FORMATS[plain])
    zone = value[width:].strip()
    if not zone.isalpha() or zone.upper() in UTC_NAMES or zone.upper() in ZONE_NAMES:
        return None
    try:
        when, how = edifact_datetime(value[:width], plain, locode)
    except BadValue:
        return None
    if not how.startswith("location:"):
        return None
    return when, how, f"time zone {zone!r} is not one UTC offset: read on the clock of {locode} ({how[9:]})"


def _without_extension(value: str, code: str) -> tuple[str, str]:
    """``value`` of format ``code`` without the part that format adds to its plain format, and that format."""
    fmt, start, part = EXTENDED_FORMATS[code]
    match = re.compile(part).match(value, start)
    if match is None:
        raise BadValue(f"{value!r} does not match the date/time format {code} (2379)")
    return value[:start] + value[match.end() :], fmt


def _period_start(value: str, fmt: str) -> str:
    """The start of a period written as two dates of format ``fmt``, with or without a hyphen."""
    width = len(DATE_FORMATS[fmt])
    start, hyphen, end = value.partition("-")
    if not hyphen:
        start, end = value[:width], value[width:]
    if len(start) != width or len(end) != width or not (start + end).isdigit():
        raise BadValue(f"{value!r} is not a period of two {DATE_FORMATS[fmt]} dates")
    if end < start:
        raise BadValue(f"{value!r}: the period ends before it starts")
    return start


def iso(moment: datetime) -> str:
    """ISO 8601 with seconds and a ``+hh:mm`` offset (``Z`` written as ``+00:00``)."""
    return moment.isoformat(timespec="seconds")


def utc_key(text: str) -> str:
    """The same instant in UTC, for identities: two offsets of one moment give one key."""
    return datetime.fromisoformat(text).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: How far an actual event may lie after the moment we got the message reporting it (a zone or a clock set wrong).
ACTUAL_EVENT_TOLERANCE = timedelta(days=1)


def lies_ahead(when: str, now: datetime) -> bool:
    """Whether an event at ``when`` (ISO 8601 with offset) lies beyond ``now`` by more than the tolerance:
    then it cannot be an actual event yet."""
    return datetime.fromisoformat(when) > now + ACTUAL_EVENT_TOLERANCE


def locode_problem(code: str) -> str:
    """Why ``code`` is not a UN/LOCODE; empty when it looks like one of a real country."""
    if not LOCODE_RE.match(code):
        return f"{code!r} is not a UN/LOCODE (two letters of country, three of place)"
    if code[:2] not in COUNTRIES:
        return f"{code!r}: {code[:2]!r} is not an ISO 3166 country"
    return ""


def _letter_values() -> dict[str, int]:
    values, n = {}, 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if n % 11 == 0:
            n += 1
        values[letter] = n
        n += 1
    return values


_ISO6346_VALUES = {**_letter_values(), **{str(d): d for d in range(10)}}
_ISO6346_RE = re.compile(r"[A-Z]{3}[UJZR][0-9]{7}\Z")


_SEPARATORS_RE = re.compile(r"[\s./-]+")
_SHAPE_RE = re.compile(r"[A-Z]{4}[0-9]{7}\Z")
_WITHOUT_CHECK_DIGIT_RE = re.compile(r"[A-Z]{3}[UJZR][0-9]{6}\Z")


def equipment_number(text: str) -> str:
    """An equipment number as stored: upper case, and written without the spaces, hyphens or dots
    people put in a container number (``MSCU 123456-6`` is MSCU1234566, ``MSCU 123456`` MSCU123456);
    anything else as written."""
    number = text.strip().upper()
    if _SHAPE_RE.match(number):
        return number
    compact = _SEPARATORS_RE.sub("", number)
    return compact if _SHAPE_RE.match(compact) or _WITHOUT_CHECK_DIGIT_RE.match(compact) else number


def with_check_digit(number: str) -> str:
    """An ISO 6346 number written without its check digit (owner code, category and six-digit serial:
    ``MSCU123456``, as depot and rail systems keep them) with the digit it must have (``MSCU1234566``),
    so that it names the same container as the partners who write it whole; anything else as given."""
    if not _WITHOUT_CHECK_DIGIT_RE.match(number):
        return number
    total = sum(_ISO6346_VALUES[c] << i for i, c in enumerate(number))
    return number + str(total % 11 % 10)


def container_problem(number: str) -> str:
    """Why ``number`` is not a valid ISO 6346 container number; empty when it is."""
    if _ISO6346_RE.match(number):  # the common case, without stdnum's cleaning
        values = _ISO6346_VALUES
        total = sum(values[c] << i for i, c in enumerate(number[:10]))
        if str(total % 11 % 10) == number[10]:
            return ""
    if not number.isascii():  # a look-alike letter (Cyrillic М, Latin É): stdnum's own check raises on it
        odd = next(c for c in number if not c.isascii())
        return f"{number!r} is not an ISO 6346 container number: {odd!r} is no Latin capital letter or digit"
    try:
        iso6346.validate(number)
    except ValidationError:
        if len(number) == 11 and number[:4].isalpha() and number[4:].isdigit():
            return f"ISO 6346 check digit of {number} should be {iso6346.calc_check_digit(number[:10])}"
        return f"{number!r} is not an ISO 6346 container number"
    return ""


def imo_problem(number: str) -> str:
    """Why ``number`` is not a valid IMO ship number (7 digits, check digit); empty when it is."""
    try:
        imo.validate(number)
    except ValidationError:
        return f"{number!r} is not a valid IMO number"
    return ""
