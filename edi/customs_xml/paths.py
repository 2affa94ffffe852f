"""Reading a customs XML document by the tables' paths, and its values (times, places, vessels).

    >>> values(consignment, "TransportEquipment/EquipmentIdentification/ID")   # every match, stripped
    >>> first(consignment, ("UnloadingLocation/ID", "/Declaration/LoadingLocation/ID"))
    >>> element_path(element)          # '/Manifest/Declaration/Consignment[2]' (local names)
    >>> xml_datetime("20171118180000", "HKHKG", "Asia/Shanghai")
    ('2017-11-18T18:00:00+08:00', 'location:Asia/Hong_Kong')

Paths use local names (namespaces ignored): ``/`` first reads from the document's root, ``..``
steps up, ``*`` is any child (``*Head`` any whose name ends in Head), ``@name`` an attribute of
the element reached. Pure functions.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from fnmatch import fnmatchcase

from lxml import etree

from edi.mappings.edifact.places import zone_of
from edi.mappings.values import BadValue, _zone, iso, locode_problem

_DIGITS = {6: "%y%m%d", 8: "%Y%m%d", 10: "%y%m%d%H%M", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
_STAMP = re.compile(r"(\d{6,17})(Z|[+-]\d{2}(?::?\d{2})?)?\Z")
_OFFSET = re.compile(r"([+-])(\d{2})(?::?(\d{2}))?\Z")


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    if "*" in name:  # a pattern: "*" any child, "*Head" every child whose name ends so
        return [c for c in element if isinstance(c.tag, str) and fnmatchcase(local(c), name)]
    return [c for c in element if isinstance(c.tag, str) and local(c) == name]


def select(element: etree._Element, path: str) -> list[etree._Element | str]:
    """The elements (or attribute values, for ``@name``) ``path`` reaches from ``element``."""
    current: list = [top(element)] if path.startswith("/") else [element]
    for step in (s for s in path.strip("/").split("/") if s):
        if step == "..":
            current = [p for p in (e.getparent() for e in current) if p is not None]
        elif step.startswith("@"):
            return [e.get(step[1:]) for e in current if e.get(step[1:]) is not None]
        else:
            current = [c for e in current for c in _children(e, step)]
    return current


def top(element: etree._Element) -> etree._Element:
    """The outermost ancestor (a payload taken out of its envelope is its own top)."""
    while element.getparent() is not None:
        element = element.getparent()
    return element


def values(element: etree._Element, path: str) -> list[str]:
    """Every non-empty text (or attribute value) at ``path``, in document order."""
    found = []
    for item in select(element, path):
        value = item if isinstance(item, str) else (item.text or "")
        value = " ".join(value.split())
        if value:
            found.append(value)
    return found


def first(element: etree._Element, paths: tuple[str, ...]) -> str:
    """The first value of the first path that has one ("" if none does)."""
    for path in paths:
        found = values(element, path)
        if found:
            return found[0]
    return ""


def element_path(element: etree._Element) -> str:
    """``/Root/Child[2]/Leaf``: local names, with a 1-based index where a name repeats."""
    parts = []
    while element is not None and isinstance(element.tag, str):
        parent = element.getparent()
        name = local(element)
        if parent is not None:
            same = _children(parent, name)
            if len(same) > 1:
                name = f"{name}[{same.index(element) + 1}]"
        parts.append(name)
        element = parent
    return "/" + "/".join(reversed(parts))


def locode(value: str) -> tuple[str, str]:
    """The UN/LOCODE a place field holds, and the terminal code written after it, or ("", "").

    China's manifests write the port, its terminal and the customs office as one code
    (``CNNHS510088/5119``: Nansha, terminal 510088, office 5119); others the code alone
    (``CNSHA``, ``CN SHA``). A terminal code longer than a facility code (6) is left out.
    """
    code = value.split("/")[0].replace(" ", "").upper()
    if locode_problem(code[:5]):
        return "", ""
    rest = code[5:]
    return code[:5], rest if rest.isalnum() and len(rest) <= 6 else ""


def _zone_for(place: str | None, default: str) -> tuple[timezone | object, str]:
    name = zone_of(place) if place else None
    if name and _zone(name) is not None:
        return _zone(name), f"location:{name}"
    if default and default != "UTC" and _zone(default) is not None:
        return _zone(default), f"authority:{default}"
    return UTC, "UTC-assumed" if default != "UTC" else "message"


def xml_datetime(value: str, place: str | None = None, default_zone: str = "") -> tuple[str, str]:
    """ISO 8601 with offset, and where the offset came from; raises :class:`BadValue`.

    Takes ISO 8601 (``2022-07-02T03:11:04``, with or without an offset, fractions allowed) and
    the digit stamps customs systems write: ``YYMMDD``, ``CCYYMMDD``, ``YYMMDDHHMM``,
    ``CCYYMMDDHHMM``, ``CCYYMMDDHHMMSS`` with milliseconds (17 digits) or a zone (``Z``, ``+0800``,
    ``+01`` as UK CDS writes it).
    A time without a zone is in the place's zone, else the family's authority's.
    """
    value = value.strip()
    stamp = _STAMP.match(value)
    if stamp:
        digits, zone = stamp.groups()
        digits = digits[:14] if len(digits) in (15, 16, 17) else digits
        layout = _DIGITS.get(len(digits))
        if layout is None:
            raise BadValue(f"{value!r} is not a date/time stamp customs systems write")
        try:
            moment = datetime.strptime(digits, layout)
        except ValueError as exc:
            raise BadValue(f"{value!r} is not a real date/time ({exc})") from None
        if zone:
            return iso(moment.replace(tzinfo=_parse_offset(zone))), "message"
    else:
        if "-" not in value[:8]:  # not the extended ISO form: no guessing at what the digits mean
            raise BadValue(f"{value!r} is not a date/time stamp customs systems write")
        try:
            moment = datetime.fromisoformat(value.replace("z", "Z"))
        except ValueError:
            raise BadValue(f"{value!r} is not an ISO 8601 date/time") from None
        if moment.tzinfo is not None:
            return iso(moment.replace(microsecond=0)), "message"
    zone, how = _zone_for(place, default_zone)
    return iso(moment.replace(microsecond=0, tzinfo=zone)), how


def _parse_offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    match = _OFFSET.match(text)
    if not match:
        raise BadValue(f"time zone {text!r} is not an offset")
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return timezone(-delta if sign == "-" else delta)
