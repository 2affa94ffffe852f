"""Which directory deviations lose nothing and so are warnings, not rejections.

A message is rejected for what makes it unreadable or ambiguous: a structure the directory does not
allow, a mandatory part missing, a number that is not one, a count that does not add up. These
deviations are read as written and reported as warnings (code kept, text saying how it was read):

* a data element of a message's own segments longer or shorter than the directory says (39, 40):
  ``GDS+REEF`` (7085 an..3) from a stowage planner, ``DGS+IMD+3+1866+49:CEL`` (7106 n3) with its
  leading zero left out. The value is kept whole; what the mapping reads from it is checked on its
  own terms (ISO 6346 check digits, dates, UN/LOCODEs, IMO numbers).
* a service segment (UNB, UNG, UNH, UNT, UNE, UNZ) written as another syntax version defines it
  than the one its UNB names: an 8-digit date (0017 n8 in version 4) or UNH's S009 with version
  4's code list directory version and sub-function (0110, 0113) under ``UNOA:2``, a 6-digit date
  under ``UNOA:4``, or a code only version 4 lists: ``UNOY:3`` (UTF-8, levels W to Y came with
  version 4; partners that write Chinese or Cyrillic names declare it under version 3 too).
* a code of a closed list (2379, the date/time format) that the message's directory lacks but the
  newest shipped one defines: ``DTM+137:202403151200+0100:205`` in a D95B message (205 came later).
  Code lists grow; a partner that writes the newer list into an older message loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from edi.directory.load import Composite, available_directories, load_directory, service_directory
from edi.validation.elements import check_segment

SYNTAX_VERSIONS = (4, 3, 2, 1)  # the latest first: the one a sender most likely wrote
LENGTH_CODES = frozenset({"39", "40"})
REPRESENTATION_CODES = frozenset({"16", "37", "39", "40"})
#: What a service segment may owe to another syntax version: its representation, or a code of its list.
OTHER_SYNTAX_CODES = REPRESENTATION_CODES | {"12"}

Add = Callable[..., None]


def lengths_as_written(add: Add) -> Add:
    """``add`` for a message's own segments: a value too long or too short is a warning."""

    def lenient(code: str, text: str, element: int | None, component: int | None, severity: str = "error") -> None:
        if code in LENGTH_CODES and severity == "error":
            text, severity = f"{text}; read as written", "warning"
        add(code, text, element, component, severity)

    return lenient


def other_syntax(add: Add, segment: Any, syntax_version: Any) -> Add:
    """``add`` for a service segment: what another syntax version allows at that place is a warning.

    The other versions' verdicts are worked out only once the segment has a problem."""
    try:
        version = int(syntax_version or 3)
    except (TypeError, ValueError):
        return add
    verdicts: dict[int, tuple[set[tuple[int | None, int | None]], int]] = {}

    def allowed_by(element: int | None, component: int | None) -> int | None:
        if not verdicts:
            for other in SYNTAX_VERSIONS:
                specs = service_directory(other).segments.get(segment.tag)
                if other != version and specs is not None:
                    refused: set[tuple[int | None, int | None]] = set()
                    check_segment(segment, specs, lambda _c, _t, e, c, *_s, r=refused: r.add((e, c)))
                    verdicts[other] = (refused, len(specs))
        # an element past the end of the other version's segment is not one it defines, whichever
        # position that version's own "too many data elements" names
        return next(
            (
                other
                for other, (refused, length) in verdicts.items()
                if (element, component) not in refused
                and (element or 0) <= length
                and not any(e is not None and e > length for e, _ in refused)
            ),
            None,
        )

    def lenient(code: str, text: str, element: int | None, component: int | None, severity: str = "error") -> None:
        if code in OTHER_SYNTAX_CODES and severity == "error":
            other = allowed_by(element, component)
            if other is not None:
                text, severity = f"{text}; syntax version {other} defines it so: read as it does", "warning"
        add(code, text, element, component, severity)

    return lenient


def _spec_at(specs: tuple | None, element: int | None, component: int | None) -> Any:
    """The element or component spec at a 1-based position of a segment's specs, or None."""
    if specs is None or not element or element > len(specs):
        return None
    spec = specs[element - 1]
    if isinstance(spec, Composite):
        if not component or component > len(spec.components):
            return None
        return spec.components[component - 1]
    return spec


@lru_cache(maxsize=256)
def defined_later(element_id: str, value: str) -> str | None:
    """The newest shipped UN directory whose code list for ``element_id`` holds ``value``, or None."""
    newest = max((name for name in available_directories() if name[:1] == "D"), key=_directory_year, default=None)
    if newest is None:
        return None
    return newest if value in load_directory(newest).codes.get(element_id, ()) else None


def _directory_year(name: str) -> tuple[int, str]:
    """``D95B`` -> (1995, 'B'), ``D23A`` -> (2023, 'A'): directories in the order the UN published them."""
    year = int(name[1:3]) if name[1:3].isdigit() else 0
    return (1900 + year if year >= 90 else 2000 + year, name[3:])


def newer_codes(add: Add, current: list, segments: dict[str, tuple]) -> Add:
    """``add`` for a message's own segments: a code of a closed list (2379) that the message's directory
    lacks but a newer directory defines is a warning, read as that directory defines it.

    ``current[0]`` is the segment being checked, ``segments`` the message directory's segment specs."""

    def lenient(code: str, text: str, element: int | None, component: int | None, severity: str = "error") -> None:
        if code == "12" and severity == "error":
            segment = current[0]
            spec = _spec_at(segments.get(segment.tag), element, component)
            value = segment.get(element, component or 1) if spec is not None and spec.closed else ""
            newer = defined_later(spec.id, value) if value else None
            if newer is not None:
                text, severity = f"{text}; directory {newer} defines it: read as it does", "warning"
        add(code, text, element, component, severity)

    return lenient
