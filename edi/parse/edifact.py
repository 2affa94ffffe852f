"""Read UN/EDIFACT segments from bytes, text or a binary stream, fast and with positions.

The reader splits on the segment terminator with ``str.split`` (no character-at-a-time loop)
and only looks closer at segments that hold a release character. It streams: a 100 MB input is
read in chunks and its segments are yielded one at a time, never held all at once. Problems
are appended to the caller's ``issues`` list as :class:`edi.issues.Issue` values carrying
ISO 9735 syntax error codes (data element 0085) and positions; only input where nothing can be
read at all raises :class:`edi.exceptions.NotAMessage`.

    >>> [s.tag for s in iter_segments(b"UNA:+.? 'UNB+UNOA:2+S+R+200101:1200+1'UNZ+0+1'")]
    ['UNB', 'UNZ']

Elements are lists of components: ``NAD+CZ+ACME:160`` gives ``[["CZ"], ["ACME", "160"]]``; an
empty element is ``[""]``; a repeated element (syntax version 4 only) is a :class:`Repetitions`.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Iterator
from typing import Any, BinaryIO, NamedTuple

from edi.exceptions import NotAMessage
from edi.issues import Issue, Position
from edi.parse.charsets import (
    Charset,
    character_issue,
    charset_for,
    decode,
    invalid_character_pattern,
)

__all__ = [
    "DEFAULT_DELIMITERS",
    "Delimiters",
    "Repetitions",
    "Segment",
    "SegmentReader",
    "decode",
    "iter_segments",
    "read_delimiters",
    "to_pydifact",
]


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
        """The value at a 1-based element and component position, ``default`` when absent."""
        try:
            value = self.elements[element - 1]
            if isinstance(value, Repetitions):
                value = value[0]
            return value[component - 1]
        except IndexError:
            return default


_WHITESPACE = " \r\n\t\ufeff"
_CHUNK = 1 << 20
_TAG_RE = re.compile(r"[A-Z0-9]{3}\Z")
_new_segment = tuple.__new__
MAX_ISSUES_PER_CODE = 50


def read_delimiters(text: str) -> tuple[Delimiters, int]:
    """Service characters from a leading UNA (after any BOM or whitespace), else the defaults.

    Returns the delimiters and the offset where segments begin (after UNA, BOM and whitespace).
    The fifth UNA character is kept as the repetition separator unless it is a space; whether it
    is used depends on the syntax version in UNB (see :class:`SegmentReader`).
    """
    start = len(text) - len(text.lstrip(_WHITESPACE))
    if text.startswith("UNA", start) and len(text) >= start + 9:
        c = text[start + 3 : start + 9]
        release = None if c[3] == " " else c[3]
        repetition = None if c[4] == " " else c[4]
        return Delimiters(c[0], c[1], c[2], release, repetition, c[5]), start + 9
    if text.startswith("UNB\x1d", start):
        return LEVEL_B_DELIMITERS, start
    return DEFAULT_DELIMITERS, start


def _una_issues(d: Delimiters) -> list[Issue]:
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


def _sniff_syntax(head: str, d: Delimiters, start: int) -> tuple[str | None, str | None]:
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


class SegmentReader:
    """Streams the segments of one input; after the first segment it knows the envelope basics.

    Attributes once iteration has started: ``delimiters``, ``una`` (a UNA was present),
    ``syntax_identifier`` and ``syntax_version`` (from UNB S001, ``None`` for a bare message),
    ``charset``. ``issues`` is the list problems are appended to.
    """

    def __init__(self, source: Any, issues: list[Issue] | None = None) -> None:
        self.source = source
        self.issues: list[Issue] = issues if issues is not None else []
        self.delimiters = DEFAULT_DELIMITERS
        self.una = False
        self.syntax_identifier: str | None = None
        self.syntax_version: str | None = None
        self.charset: Charset = charset_for(None)
        self._counts: dict[str, int] = {}

    # -- reporting -------------------------------------------------------------------------
    def report(self, issue: Issue) -> None:
        """Append an issue, at most :data:`MAX_ISSUES_PER_CODE` of a code (then one summary)."""
        n = self._counts.get(issue.code, 0) + 1
        self._counts[issue.code] = n
        if n <= MAX_ISSUES_PER_CODE:
            self.issues.append(issue)
        elif n == MAX_ISSUES_PER_CODE + 1:
            self.issues.append(
                Issue(issue.code, f"Further code {issue.code} problems not reported", issue.position, issue.level)
            )

    # -- input -----------------------------------------------------------------------------
    def _text_chunks(self) -> Iterator[str]:
        """Decoded text in chunks; the charset comes from UNB, sniffed from the first bytes."""
        src = self.source
        if isinstance(src, str):
            yield from self._sniffed(src, None)
            for i in range(_CHUNK, len(src), _CHUNK):
                yield src[i : i + _CHUNK]
            return
        if isinstance(src, (bytes, bytearray, memoryview)):
            reader: BinaryIO = io.BytesIO(src)
        elif isinstance(src, (str, os.PathLike)):
            reader = open(src, "rb")  # noqa: SIM115 - closed below
        elif hasattr(src, "read"):
            reader = src
        else:
            raise TypeError(f"cannot read EDIFACT from {type(src).__name__}")
        first = reader.read(_CHUNK)
        if isinstance(first, str):  # a text stream
            yield from self._sniffed(first, None)
            while chunk := reader.read(_CHUNK):
                yield chunk
            return
        bom = first.startswith(codecs.BOM_UTF8)
        if bom:
            first = first[3:]
        head = first[:4096].decode("latin-1")
        d, start = read_delimiters(head)
        start = len(head) - len(head[start:].lstrip(_WHITESPACE))
        syntax_id, _ = _sniff_syntax(head, d, start)
        charset = charset_for(syntax_id)
        decoder = codecs.getincrementaldecoder(charset.codec)(errors="replace")
        yield from self._sniffed(("\ufeff" if bom else "") + decoder.decode(first), charset)
        while chunk := reader.read(_CHUNK):
            yield decoder.decode(chunk)
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail

    def _sniffed(self, text: str, charset: Charset | None) -> Iterator[str]:
        """First chunk: settle delimiters, syntax and charset before any segment is split."""
        if isinstance(self.source, str):
            text = text[:_CHUNK]
        d, start = read_delimiters(text)
        self.una = text.startswith("UNA", len(text) - len(text.lstrip(_WHITESPACE)))
        while start < len(text) and text[start] in _WHITESPACE:
            start += 1  # line breaks between UNA and UNB
        syntax_id, version = _sniff_syntax(text, d, start)
        self.syntax_identifier, self.syntax_version = syntax_id, version
        if self.una:
            for issue in _una_issues(d):
                self.report(issue)
            if not (version and version.startswith("4")):
                d = d._replace(repetition=None)  # reserved in syntax versions 1 to 3
        elif version and version.startswith("4") and d is DEFAULT_DELIMITERS:
            d = DEFAULT_DELIMITERS_V4
        self.delimiters = d
        self.charset = charset if charset is not None else charset_for(syntax_id)
        if syntax_id is not None and not self.charset.supported:
            self.report(
                Issue(
                    "46",
                    f"Character set not supported: syntax identifier {syntax_id!r}; read as ISO 8859-1",
                    Position(segment=1, tag="UNB", element=1, component=1),
                    "interchange",
                )
            )
        self._start = start
        yield text

    # -- segments --------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Segment]:
        chunks = self._text_chunks()
        first = next(chunks, "")
        if not first.strip(_WHITESPACE):
            raise NotAMessage("Empty input: no EDIFACT segment to read")
        d = self.delimiters
        start = self._start
        head = first[start : start + 4]
        if not _TAG_RE.match(head[:3]) or (len(head) == 4 and head[3] not in (d.element, d.segment, d.component)):
            raise NotAMessage(
                f"Not an EDIFACT message: expected a segment tag such as UNB or UNH at offset {start}, "
                f"found {first[start : start + 12]!r}",
                position=Position(offset=start),
            )
        yield from self._segments(first, chunks, start)

    def _segments(self, first: str, chunks: Iterator[str], start: int) -> Iterator[Segment]:
        d = self.delimiters
        term, el, comp, rel, rep = d.segment, d.element, d.component, d.release, d.repetition
        bad = invalid_character_pattern(self.charset, "".join(c for c in d if c)).search
        report = self.report
        known_tags: set[str] = set()
        number = 0
        line = 1
        last_nl = -1  # absolute offset of the last newline before the current segment
        base = 0  # absolute offset of buf[0]
        if first.startswith("\ufeff"):
            last_nl = 0  # the BOM takes no column
        if "\n" in first[:start]:  # line breaks before the first segment (or after UNA)
            line += first.count("\n", 0, start)
            last_nl = first.rfind("\n", 0, start)
        buf = first[start:]
        base = start
        pending: list[str] = []
        new = _new_segment
        chunk = buf
        while True:
            nxt = next(chunks, None)
            final = nxt is None
            if not final and term not in chunk:
                pending.append(chunk)  # a long segment: gather, join once
                chunk = nxt
                continue
            if pending:
                pending.append(chunk)
                buf = "".join(pending)
                pending = []
            else:
                buf = chunk
            parts = buf.split(term)
            if rel is not None and rel in buf:
                parts = _merge_released(parts, rel, term)
            tail = parts.pop()
            tail_open = False
            if final and tail.strip(_WHITESPACE):
                parts.append(tail)  # truncated final segment: read it, report it
                tail_open = True
            check_chars = bad(buf) is not None
            check_released = rel is not None and rel in buf
            pos = 0
            scanned = 0
            last = len(parts) - 1
            for i, part in enumerate(parts):
                raw = part.lstrip(_WHITESPACE)
                if not raw:
                    if not (tail_open and i == last):
                        report(
                            Issue(
                                "13",
                                "Empty segment: segment tag missing",
                                Position(segment=number + 1, offset=base + pos + len(part)),
                                "segment",
                            )
                        )
                    pos += len(part) + 1
                    continue
                seg_start = pos + len(part) - len(raw)
                nl = buf.count("\n", scanned, seg_start)
                if nl:
                    line += nl
                    last_nl = base + buf.rfind("\n", scanned, seg_start)
                scanned = seg_start
                abs_start = base + seg_start
                column = abs_start - last_nl
                number += 1
                if check_released and rel in raw:
                    tag, elements = _split_released(raw, d, self, number, line, column, abs_start)
                else:
                    els = raw.split(el)
                    tag = els[0]
                    if rep is not None and rep in raw:
                        elements = [_split_repeated(e, comp, rep) for e in els[1:]]
                    else:
                        elements = [e.split(comp) for e in els[1:]]
                    if comp in tag:
                        tag = _nested_tag(tag, comp, self, number, line, column, abs_start)
                if tag not in known_tags:
                    if _TAG_RE.match(tag):
                        known_tags.add(tag)
                    else:
                        report(
                            Issue(
                                "12",
                                f"Invalid segment tag {tag[:20]!r}",
                                Position(segment=number, tag=tag[:20], line=line, column=column, offset=abs_start),
                            )
                        )
                if check_chars and bad(raw):
                    self._report_characters(raw, bad, number, tag, line, column, abs_start)
                if "\n" in raw or "\r" in raw:
                    self._report_line_break(raw, number, tag, line, column, abs_start)
                if tail_open and i == last:
                    report(
                        Issue(
                            "13",
                            f"Segment terminator missing: input ends inside segment {tag[:20]}",
                            Position(segment=number, tag=tag[:20], line=line, column=column, offset=abs_start),
                            "interchange",
                        )
                    )
                yield new(Segment, (tag, elements, number, line, column, abs_start))
                pos += len(part) + 1
            if final:
                break
            # carry the unfinished tail into the next chunk, keeping line bookkeeping exact
            consumed = len(buf) - len(tail)
            nl = buf.count("\n", scanned, consumed)
            if nl:
                line += nl
                last_nl = base + buf.rfind("\n", scanned, consumed)
            base += consumed
            pending = [tail] if tail else []
            chunk = nxt

    # -- careful paths (rare) --------------------------------------------------------------
    def _report_characters(self, raw: str, bad: Any, number: int, tag: str, line: int, column: int, off: int) -> None:
        """One code 21 issue per segment: the first character the charset does not allow, and a count."""
        found = re.findall(bad.__self__.pattern, raw)
        match = bad(raw)
        i = match.start()
        element, component = _element_at(raw, i, self.delimiters)
        position = Position(
            segment=number, tag=tag, element=element, component=component, line=line, column=column, offset=off + i
        )
        issue = character_issue(match.group(), self.syntax_identifier or "", position)
        if len(found) > 1:
            issue = Issue(issue.code, f"{issue.message} ({len(found)} such characters in this segment)", position)
        self.report(issue)

    def _report_line_break(self, raw: str, number: int, tag: str, line: int, column: int, off: int) -> None:
        i = min(x for x in (raw.find("\n"), raw.find("\r")) if x != -1)
        element, component = _element_at(raw, i, self.delimiters)
        position = Position(
            segment=number, tag=tag, element=element, component=component, line=line, column=column, offset=off + i
        )
        self.report(Issue("21", "Invalid character: line break inside a segment", position))


def _element_at(raw: str, index: int, d: Delimiters) -> tuple[int | None, int | None]:
    """1-based element and component holding ``raw[index]`` (``None`` inside the tag)."""
    head = raw[:index]
    element = head.count(d.element)
    if element == 0:
        return None, None
    component = head[head.rfind(d.element) + 1 :].count(d.component) + 1
    return element, component


def _merge_released(parts: list[str], rel: str, term: str) -> list[str]:
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


def _split_repeated(element: str, comp: str, rep: str) -> list[str] | Repetitions:
    if rep not in element:
        return element.split(comp)
    return Repetitions(r.split(comp) for r in element.split(rep))


def _nested_tag(tag: str, comp: str, reader: SegmentReader, number: int, line: int, column: int, off: int) -> str:
    """A tag with components (explicit nesting indication): keep the tag, report the rest."""
    name = tag.split(comp, 1)[0]
    reader.report(
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


def _split_released(
    raw: str, d: Delimiters, reader: SegmentReader, number: int, line: int, column: int, off: int
) -> tuple[str, list]:
    """Split a segment that contains release characters, honouring each release."""
    rel, comp, rep = d.release, d.component, d.repetition
    service = {c for c in d if c}
    elements: list = []
    comps: list[str] = []
    reps: Repetitions | None = None
    cur: list[str] = []
    index = 0
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
                    reader.report(
                        _release_issue(
                            f"Release character before {piece[1]!r}, which needs no release",
                            raw,
                            index,
                            d,
                            number,
                            line,
                            column,
                            off,
                        )
                    )
            else:
                reader.report(
                    _release_issue(
                        "Release character at the end releases nothing", raw, index, d, number, line, column, off
                    )
                )
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
    first = elements[0]
    tag = first[0][0] if isinstance(first, Repetitions) else first[0]
    if len(first) > 1 or isinstance(first, Repetitions):
        reader.report(
            Issue(
                "34",
                f"Nesting indicator in segment tag {tag[:20]!r} not supported",
                Position(segment=number, tag=tag, line=line, column=column, offset=off),
                severity="warning",
            )
        )
    return tag, elements[1:]


def _release_issue(
    text: str, raw: str, index: int, d: Delimiters, number: int, line: int, column: int, off: int
) -> Issue:
    element, component = _element_at(raw, index, d)
    tag = raw.split(d.element, 1)[0][:20]
    position = Position(
        segment=number, tag=tag, element=element, component=component, line=line, column=column, offset=off + index
    )
    return Issue("22", text, position, severity="warning" if "needs no release" in text else "error")


def iter_segments(source: Any, *, issues: list[Issue] | None = None) -> Iterator[Segment]:
    """Yield the segments of ``source`` (bytes, str, a path or a binary file object), streaming.

    UNA is honoured and not yielded; problems are appended to ``issues``. Raises
    :class:`~edi.exceptions.NotAMessage` when the input is empty or does not start with a segment.
    """
    return iter(SegmentReader(source, issues))


def to_pydifact(segment: Segment):  # -> pydifact.segments.Segment
    """The pydifact ``Segment`` for one of ours (see :func:`edi.parse.interchange.to_pydifact`)."""
    from edi.parse.interchange import to_pydifact as convert

    return convert(segment)
