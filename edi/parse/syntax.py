"""The ISO 9735 syntax of a segment: service characters, the Segment tuple, UNA.

>>> read_delimiters("UNA:+.? 'UNB+UNOA:3+S+R'")
(Delimiters(component=':', element='+', decimal='.', release='?', repetition=None, segment="'"), 9)
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from edi.issues import Issue, Position


class Delimiters(NamedTuple):
    """The service characters of an interchange (UNA, or the ISO 9735 defaults)."""

    component: str
    element: str
    decimal: str
    release: str | None
    repetition: str | None
    segment: str


#: ISO 9735 defaults for levels A and B written with graphic characters, ``:+.? '``.
#: The repetition separator exists only in syntax version 4, where its default is ``*``.
DEFAULT_DELIMITERS = Delimiters(":", "+", ".", "?", None, "'")
#: Syntax version 4 defaults when no UNA is present.
DEFAULT_DELIMITERS_V4 = Delimiters(":", "+", ".", "?", "*", "'")
#: Level B defaults with information separators: IS1 component, IS3 element, IS4 terminator, no release.
LEVEL_B_DELIMITERS = Delimiters("\x1f", "\x1d", ".", None, None, "\x1c")


class Repetitions(list):
    """A repeated data element (syntax version 4): a list of its occurrences' component lists."""

    __slots__ = ()


class Segment(NamedTuple):
    """One segment: its tag, its data elements (lists of components) and where it starts."""

    tag: str
    elements: list
    number: int
    line: int
    column: int
    offset: int

    @property
    def position(self) -> Position:
        return Position(segment=self.number, tag=self.tag, line=self.line, column=self.column, offset=self.offset)

    def get(self, element: int, component: int = 1, default: str = "") -> str:
        """The value at a 1-based element and component (first occurrence if repeated), else ``default``."""
        try:
            value = self.elements[element - 1]
            if isinstance(value, Repetitions):
                value = value[0]
            return value[component - 1]
        except IndexError:
            return default


WHITESPACE = " \r\n\t\ufeff"
#: What DOS-era systems and fixed-block transfers leave after the last segment: the end-of-file mark
#: (Ctrl-Z) and NUL padding. Read past at the very end of the input, like trailing whitespace.
END_PADDING = "\x1a\x00"
TAG_RE = re.compile(r"[A-Z0-9]{3}\Z")


def read_delimiters(text: str) -> tuple[Delimiters, int]:
    """Service characters from a leading UNA (after any BOM or whitespace), else the defaults.

    Returns the delimiters and the offset where segments begin (after UNA, BOM and whitespace).
    The fifth UNA character is kept as the repetition separator unless it is a space; whether it
    is used depends on the syntax version in UNB (see :class:`SegmentReader`).
    """
    start = len(text) - len(text.lstrip(WHITESPACE))
    if text.startswith("UNA", start) and len(text) >= start + 9:
        c = text[start + 3 : start + 9]
        release = None if c[3] == " " else c[3]
        repetition = None if c[4] == " " else c[4]
        return Delimiters(c[0], c[1], c[2], release, repetition, c[5]), start + 9
    if text.startswith("UNB\x1d", start):
        return LEVEL_B_DELIMITERS, start
    return DEFAULT_DELIMITERS, start


def una_issues(d: Delimiters) -> list[Issue]:
    """Code 20 for UNA service characters that clash or cannot work as separators."""
    issues = []
    seps = [d.component, d.element, d.segment, d.release, d.repetition]
    used = [c for c in seps if c is not None]
    where = Position(segment=0, tag="UNA", line=1, column=1)
    if len(set(used)) != len(used):
        issues.append(Issue("20", f"UNA advises the same character twice: {''.join(used)!r}", where, "interchange"))
    for c in used:
        if c.isalnum() or c in "\r\n":
            issues.append(Issue("20", f"UNA advises {c!r}, which cannot be a service character", where, "interchange"))
    return issues


def sniff_syntax(head: str, d: Delimiters, start: int) -> tuple[str | None, str | None]:
    """UNB's syntax identifier and version (S001 0001, 0002) from the start of the input."""
    if not head.startswith("UNB", start) or head[start + 3 : start + 4] != d.element:
        return None, None
    end = len(head)
    for sep in (d.element, d.segment):
        pos = head.find(sep, start + 4)
        if pos != -1:
            end = min(end, pos)
    parts = head[start + 4 : end].split(d.component)
    return parts[0] or None, (parts[1] if len(parts) > 1 else None)


def element_at(raw: str, index: int, d: Delimiters) -> tuple[int | None, int | None]:
    """1-based element and component holding ``raw[index]`` (``None`` inside the tag)."""
    head = raw[:index]
    element = head.count(d.element)
    if element == 0:
        return None, None
    component = head[head.rfind(d.element) + 1 :].count(d.component) + 1
    return element, component


def unwrap(raw: str, release: str | None) -> str:
    """A segment without the line breaks a sender's system wrapped it with (fixed-length records,
    80 or 128 columns): CR and LF are dropped unless the release character releases them (data)."""
    if release is None or release not in raw:
        return raw.replace("\r", "").replace("\n", "")
    return re.sub(f"(?<!{re.escape(release)})[\r\n]", "", raw)


def split_repeated(element: str, comp: str, rep: str) -> list[str] | Repetitions:
    if rep not in element:
        return element.split(comp)
    return Repetitions(r.split(comp) for r in element.split(rep))


def line_break_issue(wrapped: str, raw: str, d: Delimiters, where: Position) -> Issue:
    """Code 21 for a line break inside a segment (``wrapped`` as written, ``raw`` as read): a wrapped
    line, dropped, is a warning; a released one, kept as data, an error (no repertoire has it)."""
    text = "Invalid character: line break inside a segment"
    if "\n" in raw or "\r" in raw:
        written, severity = raw, "error"
    else:
        written, severity = wrapped, "warning"
        text += "; read as if the line were not broken"
    i = min(x for x in (written.find("\n"), written.find("\r")) if x != -1)
    element, component = element_at(written, i, d)
    offset = (where.offset or 0) + i
    return Issue("21", text, replace(where, element=element, component=component, offset=offset), severity=severity)
