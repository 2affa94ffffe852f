"""The careful path: segments that hold a release character (and other rare shapes).

The reader's fast path splits with ``str.split``; a segment containing the release character
comes here instead, where each release is honoured and every misuse is reported (code 22).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from edi.issues import Issue, Position
from edi.parse.syntax import Delimiters, Repetitions, element_at

Report = Callable[[Issue], None]


# Private-use placeholders for released characters in the fast masked path: release, element,
# component, segment terminator, repetition.
_PLACEHOLDERS = "\ue000\ue001\ue002\ue003\ue004"


def mask_released(raw: str, d: Delimiters) -> str | None:
    """``raw`` with every released service character swapped for a placeholder, ready for ``split``.

    ``None`` when only the careful path can read the segment: a release before an ordinary
    character or at the end (to be reported), or placeholder characters already in the data.
    ``str.replace`` works left to right, so ``??`` pairs are taken before ``?+`` and friends.
    """
    for p in _PLACEHOLDERS:
        if p in raw:
            return None
    rel = d.release
    masked = raw.replace(rel + rel, _PLACEHOLDERS[0])
    for placeholder, char in zip(_PLACEHOLDERS[1:], (d.element, d.component, d.segment, d.repetition), strict=True):
        if char is not None:
            masked = masked.replace(rel + char, placeholder)
    if rel in masked:
        return None
    return masked


def restore_table(d: Delimiters) -> dict[int, str]:
    """``str.translate`` table turning placeholders back into the characters they stand for."""
    chars = (d.release, d.element, d.component, d.segment, d.repetition)
    return {ord(p): c for p, c in zip(_PLACEHOLDERS, chars, strict=True) if c is not None}


def merge_released(parts: list[str], rel: str, term: str) -> list[str]:
    """Re-join pieces whose terminator was released (a piece ending in an odd run of releases)."""
    out: list[str] = []
    pending: str | None = None
    for part in parts:
        if pending is not None:
            part = pending + term + part
            pending = None
        if part.endswith(rel) and (len(part) - len(part.rstrip(rel))) % 2 == 1:
            pending = part
        else:
            out.append(part)
    if pending is not None:
        out.append(pending)
    return out


def nested_tag(tag: str, comp: str, report: Report, number: int, line: int, column: int, off: int) -> str:
    """A tag with components (explicit nesting indication): keep the tag, report the rest."""
    name = tag.split(comp, 1)[0]
    report(
        Issue(
            "34",
            f"Nesting indicator in segment tag {tag[:20]!r} not supported",
            Position(segment=number, tag=name, line=line, column=column, offset=off),
            severity="warning",
        )
    )
    return name


_TOKEN_CACHE: dict[Delimiters, re.Pattern[str]] = {}


def _token_pattern(d: Delimiters) -> re.Pattern[str]:
    pattern = _TOKEN_CACHE.get(d)
    if pattern is None:
        seps = "".join(re.escape(c) for c in (d.element, d.component, d.repetition) if c)
        pattern = re.compile(f"({re.escape(d.release or '')}.?|[{seps}])", re.S)
        _TOKEN_CACHE[d] = pattern
    return pattern


def split_released(
    raw: str, d: Delimiters, report: Report, number: int, line: int, column: int, off: int
) -> tuple[str, list]:
    """Split a segment that contains release characters, honouring each release."""
    rel, comp, rep = d.release, d.component, d.repetition
    service = {c for c in d if c}
    elements: list = []
    comps: list[str] = []
    reps: Repetitions | None = None
    cur: list[str] = []
    index = 0
    unneeded = 0
    first_unneeded: tuple[int, str] | None = None
    stray: int | None = None
    for k, piece in enumerate(_token_pattern(d).split(raw)):
        if k % 2 == 0:
            if piece:
                cur.append(piece)
            index += len(piece)
            continue
        if piece[0] == rel:
            if len(piece) == 2:
                cur.append(piece[1])
                if piece[1] not in service:
                    unneeded += 1
                    if first_unneeded is None:
                        first_unneeded = (index, piece[1])
            else:
                stray = index
            index += len(piece)
            continue
        index += 1
        comps.append("".join(cur))
        cur = []
        if piece == comp:
            continue
        if piece == rep:
            if reps is None:
                reps = Repetitions()
            reps.append(comps)
            comps = []
            continue
        # element separator
        if reps is not None:
            reps.append(comps)
            elements.append(reps)
            reps = None
        else:
            elements.append(comps)
        comps = []
    comps.append("".join(cur))
    if reps is not None:
        reps.append(comps)
        elements.append(reps)
    else:
        elements.append(comps)
    if first_unneeded is not None:
        at, char = first_unneeded
        more = f" ({unneeded} such releases in this segment)" if unneeded > 1 else ""
        text = f"Release character before {char!r}, which needs no release{more}"
        report(_release_issue(text, raw, at, d, number, line, column, off, "warning"))
    if stray is not None:
        text = "Release character at the end releases nothing"
        report(_release_issue(text, raw, stray, d, number, line, column, off, "error"))
    first = elements[0]
    tag = first[0][0] if isinstance(first, Repetitions) else first[0]
    if len(first) > 1 or isinstance(first, Repetitions):
        report(
            Issue(
                "34",
                f"Nesting indicator in segment tag {tag[:20]!r} not supported",
                Position(segment=number, tag=tag, line=line, column=column, offset=off),
                severity="warning",
            )
        )
    return tag, elements[1:]


def _release_issue(
    text: str, raw: str, index: int, d: Delimiters, number: int, line: int, column: int, off: int, severity: str
) -> Issue:
    element, component = element_at(raw, index, d)
    tag = raw.split(d.element, 1)[0][:20]
    position = Position(
        segment=number, tag=tag, element=element, component=component, line=line, column=column, offset=off + index
    )
    return Issue("22", text, position, severity=severity)
