"""Data element checks of one segment against its directory definition (ISO 9735 codes 12, 13, 16, 37-40).

``check_segment(segment, specs, add)`` calls ``add(code, text, element, component, severity)``
for each problem; element and component positions are 1-based. The common cases (a plain
``an`` value, a composite whose components are all plainly valid) take an inline fast path.
"""

from __future__ import annotations

from typing import Any

from edi.directory.load import Composite, Simple

_DIGITS = frozenset("0123456789")


def _n_length(value: str) -> int:
    """Significant length of a numeric value, or -1 when it is not a number, -2 for a bare mark."""
    digits = value[1:] if value[0] == "-" else value
    if digits.isascii() and digits.isdigit():
        return len(digits)
    for mark in (".", ","):
        if mark in digits:
            whole, _, frac = digits.partition(mark)
            joined = whole + frac
            if joined and joined.isascii() and joined.isdigit():
                return -2 if not whole else len(joined)
            return -1
    return -1


def check_value(value: str, spec: Simple, check_codes: bool) -> tuple[str, str] | None:
    """The first problem of a non-empty value against its element spec: ``(code, message)``.

    A coded value is first held to its code list (when it binds): a value outside a list is that,
    whatever its length (``DTM+7:...:2030`` is no 2379 format, not a too long one)."""
    if check_codes and spec.codes is not None and value not in spec.codes:
        return "12", f"Invalid value {value[:40]!r} for element {spec.id}: not in its code list"
    kind = spec.kind
    if kind == "n":
        length = _n_length(value)
        if length == -1:
            return "37", f"Element {spec.id} is numeric (n) but holds {value[:40]!r}"
        if length == -2:
            return "38", f"Element {spec.id}: missing digit in front of the decimal sign in {value[:40]!r}"
    else:
        length = len(value)
        if kind == "a" and not _DIGITS.isdisjoint(value):
            return "37", f"Element {spec.id} is alphabetic (a) but holds digits: {value[:40]!r}"
    if length > spec.max:
        return "39", f"Element {spec.id} is too long: {length} characters, at most {spec.max}"
    if length < spec.min:
        return "40", f"Element {spec.id} is too short: {length} characters, at least {spec.min}"
    return None


def check_segment(segment: Any, specs: tuple, add: Any) -> None:
    """Check a segment's data elements against its directory definition; ``add(code, text, el, comp)``."""
    elements = segment.elements
    count = len(elements)
    total = len(specs)
    if count > total:
        extra = elements[total:]
        if any(any(c for c in _occurrence(e)) for e in extra):
            add("16", f"Segment {segment.tag} has {count} data elements, at most {total}", total + 1, None)
        elements = elements[:total]
    index = 0
    for element in elements:
        spec = specs[index]
        index += 1
        if type(element) is not list:  # Repetitions (syntax 4): check each occurrence
            for occurrence in element or [[""]]:
                _check_element(occurrence, spec, index, add)
            continue
        if type(spec) is Simple and len(element) == 1:  # the common case, inline
            value = element[0]
            if not value:
                if spec.mandatory:
                    add("13", f"Mandatory data element {spec.id} missing", index, None)
                continue
            if spec.kind == "an" and spec.min <= len(value) <= spec.max:
                codes = spec.codes
                if codes is None or value in codes:
                    continue
        elif type(spec) is Composite and _composite_clean(element, spec.components):
            continue
        _check_element(element, spec, index, add)
    if count < total:
        required = _required.get(id(specs))
        if required is None:
            required = _required[id(specs)] = max((i + 1 for i, s in enumerate(specs) if s.mandatory), default=0)
        for index in range(count, required):
            if specs[index].mandatory:
                add("13", f"Mandatory data element {specs[index].id} missing", index + 1, None)


_required: dict[int, int] = {}  # id(segment or composite specs) -> 1 + the index of its last mandatory one


def _composite_clean(element: list, components: tuple) -> bool:
    """Fast check: a present composite whose components are all plainly valid (else look closer)."""
    if not element or len(element) > len(components) or not element[0]:
        return False
    required = _required.get(id(components))
    if required is None:
        required = _required[id(components)] = max((i + 1 for i, c in enumerate(components) if c.mandatory), default=0)
    if len(element) < required:
        return False
    k = 0
    for value in element:
        component = components[k]
        k += 1
        if value:
            if component.kind != "an" or not component.min <= len(value) <= component.max:
                return False
            codes = component.codes
            if codes is not None and value not in codes:
                return False
        elif component.mandatory:
            return False
    return True


def _occurrence(element: list) -> list:
    if type(element) is not list and element and isinstance(element[0], list):
        return [c for occ in element for c in occ]
    return element


def _check_element(element: list, spec: Simple | Composite, position: int, add: Any) -> None:
    if type(spec) is Simple:
        value = element[0] if element else ""
        if len(element) > 1 and any(element[1:]):
            add("16", f"Simple data element {spec.id} has components", position, 2)
        if not value:
            if spec.mandatory:
                add("13", f"Mandatory data element {spec.id} missing", position, None)
            return
        problem = check_value(value, spec, True)
        if problem:
            add(problem[0], problem[1], position, None, _severity(problem[0], spec.closed))
        return
    components = spec.components
    if len(element) > len(components) and any(element[len(components) :]):
        add("16", f"Composite {spec.id} has {len(element)} components, at most {len(components)}", position, None)
    if not any(element):
        if spec.mandatory:
            add("13", f"Mandatory composite data element {spec.id} missing", position, None)
        return
    agency = spec.agency
    agency_value = element[agency] if 0 <= agency < len(element) else ""
    un_list = agency_value in ("", "6")
    count = len(element)
    for k, component in enumerate(components):
        value = element[k] if k < count else ""
        if not value:
            if component.mandatory:
                add("13", f"Mandatory component {component.id} of {spec.id} missing", position, k + 1)
            continue
        if component.kind == "an" and component.min <= len(value) <= component.max:
            codes = component.codes
            if codes is None or value in codes or not (un_list or k == agency):
                continue
        problem = check_value(value, component, un_list or k == agency)
        if problem:
            add(problem[0], problem[1], position, k + 1, _severity(problem[0], component.closed or agency_value == "6"))


def _severity(code: str, closed: bool) -> str:
    return "warning" if code == "12" and not closed else "error"
