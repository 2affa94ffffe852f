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
from typing import Any, BinaryIO

from edi.exceptions import NotAMessage
from edi.issues import Issue, Position
from edi.parse.charsets import (
    LEVEL_A,
    LEVEL_B,
    Charset,
    character_issue,
    charset_for,
    decode,
    invalid_character_pattern,
    read_as_written,
    utf8_reading,
)
from edi.parse.released import mask_released, merge_released, nested_tag, restore_table, split_released
from edi.parse.syntax import (
    DEFAULT_DELIMITERS,
    DEFAULT_DELIMITERS_V4,
    END_PADDING,
    LEVEL_B_DELIMITERS,
    TAG_RE,
    WHITESPACE,
    Delimiters,
    Repetitions,
    Segment,
    element_at,
    line_break_issue,
    read_delimiters,
    sniff_syntax,
    split_repeated,
    una_issues,
    unwrap,
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


_CHUNK = 1 << 20
_HEAD = 4096  # the first chunk holds at least this much: UNA, UNB and its syntax identifier
_new_segment = tuple.__new__
MAX_ISSUES_PER_CODE = 50


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
    def wants(self, code: str) -> bool:
        """Whether an issue of ``code`` would still be kept (count it if not): skip building it."""
        n = self._counts.get(code, 0)
        if n <= MAX_ISSUES_PER_CODE:
            return True
        self._counts[code] = n + 1
        return False

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
        """Decoded text in chunks; the charset comes from UNB, sniffed from the first bytes.

        A ``str`` is EDIFACT text (never a file name); pass a :class:`pathlib.Path` for a file.
        """
        src = self.source
        if isinstance(src, str):
            yield from self._sniffed(src, None)
            for i in range(_CHUNK, len(src), _CHUNK):
                yield src[i : i + _CHUNK]
            return
        if isinstance(src, (bytes, bytearray, memoryview)):
            yield from self._byte_chunks(io.BytesIO(src))
        elif isinstance(src, os.PathLike):
            with open(src, "rb") as handle:
                yield from self._byte_chunks(handle)
        elif hasattr(src, "read"):
            yield from self._byte_chunks(src)
        else:
            raise TypeError(f"cannot read EDIFACT from {type(src).__name__}")

    def _byte_chunks(self, reader: BinaryIO) -> Iterator[str]:
        first = reader.read(_CHUNK)
        while len(first) < _HEAD and (more := reader.read(_CHUNK)):
            first += more  # short reads (pipes, sockets): UNA and UNB must be in the first chunk
        if isinstance(first, str):  # a text stream
            yield from self._sniffed(first, None)
            while chunk := reader.read(_CHUNK):
                yield chunk
            return
        bom = first.startswith(codecs.BOM_UTF8)
        if bom:
            first = first[3:]
        head = first[:_HEAD].decode("latin-1")
        d, start = read_delimiters(head)
        start = len(head) - len(head[start:].lstrip(WHITESPACE))
        syntax_id, _ = sniff_syntax(head, d, start)
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
        self.una = text.startswith("UNA", len(text) - len(text.lstrip(WHITESPACE)))
        while start < len(text) and text[start] in WHITESPACE:
            start += 1  # line breaks between UNA and UNB
        syntax_id, version = sniff_syntax(text, d, start)
        self.syntax_identifier, self.syntax_version = syntax_id, version
        if self.una:
            for issue in una_issues(d):
                self.report(issue)
            if not (version and version.startswith("4")):
                if d.repetition is not None and version is not None:
                    self.report(
                        Issue(
                            "20",
                            f"UNA's fifth character {d.repetition!r} is reserved (a space) before syntax version 4; "
                            "not used as a repetition separator",
                            Position(segment=0, tag="UNA", line=1, column=1),
                            "interchange",
                            severity="warning",
                        )
                    )
                d = d._replace(repetition=None)  # reserved in syntax versions 1 to 3
        elif version and version.startswith("4") and d is DEFAULT_DELIMITERS:
            d = DEFAULT_DELIMITERS_V4
        elif version and version.startswith("4") and d is LEVEL_B_DELIMITERS:
            d = d._replace(repetition="\x1e")  # IS2, level B's default repetition separator
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
        if not first.strip(WHITESPACE):
            raise NotAMessage("Empty input: no EDIFACT segment to read")
        d = self.delimiters
        start = self._start
        head = first[start : start + 4]
        if not TAG_RE.match(head[:3]) or (len(head) == 4 and head[3] not in (d.element, d.segment, d.component)):
            raise NotAMessage(
                f"Not an EDIFACT message: expected a segment tag such as UNB or UNH at offset {start}, "
                f"found {first[start : start + 12]!r}",
                position=Position(offset=start),
            )
        return self._segments(first, chunks, start)

    def _segments(self, first: str, chunks: Iterator[str], start: int) -> Iterator[Segment]:
        """The hot loop: split each chunk on the terminator and yield its segments with positions.

        Kept in one function on purpose: everything per segment is a local-variable operation
        on str (lstrip, count, split); rare work (released data, reports) goes to helpers.
        An unfinished last piece is carried into the next chunk; at the end it is a truncated
        segment, read and reported.
        """
        d = self.delimiters
        term, el, comp, rel, rep = d.segment, d.element, d.component, d.release, d.repetition
        bad = invalid_character_pattern(self.charset, "".join(c for c in d if c)).search
        report = self.report
        restore = restore_table(d) if rel is not None else {}
        known_tags: dict[str, str] = {}  # valid tags seen, each kept once (one str object per tag)
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
            if rel is not None and rel + term in buf:
                parts = merge_released(parts, rel, term)
            tail = parts.pop()
            tail_open = False
            if final and tail.strip(WHITESPACE + END_PADDING):
                if rel is not None and not tail.strip(WHITESPACE).strip(rel):
                    self._report_stray_release(base + len(buf) - len(tail.lstrip(WHITESPACE)))
                else:
                    parts.append(tail.rstrip("\r\n"))  # truncated final segment: read it, report it
                    tail_open = True
            check_chars = bad(buf) is not None
            check_released = rel is not None and rel in buf
            pos = 0
            scanned = 0
            for part in parts:
                raw = part.lstrip(WHITESPACE)
                if not raw:
                    if self.wants("13"):
                        self._report_empty(number + 1, base + pos + len(part))
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
                wrapped = None
                if "\n" in raw or "\r" in raw:  # a line wrapped by the sender's system: read as one
                    wrapped, raw = raw, unwrap(raw, rel)
                if check_released and rel in raw:
                    tag, elements = self._split_released(raw, restore, number, line, column, abs_start)
                else:
                    els = raw.split(el)
                    tag = els[0]
                    if rep is not None and rep in raw:
                        elements = [split_repeated(e, comp, rep) for e in els[1:]]
                    else:
                        elements = [e.split(comp) for e in els[1:]]
                    if comp in tag:
                        tag = nested_tag(tag, comp, self.report, number, line, column, abs_start)
                known = known_tags.get(tag)
                if known is not None:
                    tag = known
                else:
                    if TAG_RE.match(tag):
                        known_tags[tag] = tag
                    elif self.wants("12"):
                        report(
                            Issue("12", f"Invalid segment tag {tag[:20]!r}", _at(number, tag, line, column, abs_start))
                        )
                if check_chars and bad(raw) and self.wants("21"):
                    self._report_characters(wrapped or raw, bad, number, tag, line, column, abs_start)
                if wrapped is not None and self.wants("21"):
                    self._report_line_break(wrapped, raw, number, tag, line, column, abs_start)
                yield new(Segment, (tag, elements, number, line, column, abs_start))
                pos += len(part) + 1
            if final:
                if tail_open:  # the last segment read was the unterminated tail
                    text = f"Segment terminator missing: input ends inside segment {tag[:20]}"
                    report(Issue("13", text, _at(number, tag, line, column, abs_start), "interchange"))
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

    def _split_released(
        self, raw: str, restore: dict[int, str], number: int, line: int, column: int, off: int
    ) -> tuple[str, list]:
        """A segment holding the release character: masked fast split, or the careful path."""
        d = self.delimiters
        masked = mask_released(raw, d)
        if masked is None or (d.repetition is not None and d.repetition in masked):
            return split_released(raw, d, self.report, number, line, column, off)
        els = masked.split(d.element)
        tag = els[0]
        comp = d.component
        elements = [[c.translate(restore) for c in e.split(comp)] for e in els[1:]]
        if comp in tag:
            tag = nested_tag(tag, comp, self.report, number, line, column, off)
        return tag, elements

    def _report_empty(self, number: int, offset: int) -> None:
        self.report(Issue("13", "Empty segment: segment tag missing", Position(segment=number, offset=offset)))

    def _report_stray_release(self, offset: int) -> None:
        self.report(Issue("22", "Release character at the end of the input releases nothing", Position(offset=offset)))

    # -- careful paths (rare) --------------------------------------------------------------
    def _report_characters(self, raw: str, bad: Any, number: int, tag: str, line: int, column: int, off: int) -> None:
        """One code 21 issue per segment: the first character the charset does not allow (under UNOA the first one
        level B does not allow either, when there is one: what makes it an error), and a count."""
        found = re.findall(bad.__self__.pattern, raw)
        match = bad(raw)
        if self.charset.allowed == LEVEL_A and match.group() in LEVEL_B:  # name what makes it an error, if any
            match = next((m for m in bad.__self__.finditer(raw) if m.group() not in LEVEL_B), match)
        i = match.start()
        element, component = element_at(raw, i, self.delimiters)
        position = Position(
            segment=number, tag=tag, element=element, component=component, line=line, column=column, offset=off + i
        )
        issue = character_issue(match.group(), self.syntax_identifier or "", position)
        text = issue.message
        if len(found) > 1:
            text += f" ({len(found)} such characters in this segment)"
        meant = utf8_reading(raw, self.charset.codec)
        if meant is not None:  # the commonest cause: UTF-8 sent under UNOC
            text += f"; the segment's bytes are UTF-8 ({meant[:60]!r}): declare UNOW to send UTF-8"
        severity = "error"
        note = read_as_written(found, self.charset)
        if note is not None:  # 7-bit, readable one way only: nothing is lost
            severity, text = "warning", f"{text}; {note}"
        if text != issue.message or severity != issue.severity:
            issue = Issue(issue.code, text, position, severity=severity)
        self.report(issue)

    def _report_line_break(
        self, wrapped: str, raw: str, number: int, tag: str, line: int, column: int, off: int
    ) -> None:
        where = Position(segment=number, tag=tag, line=line, column=column, offset=off)
        self.report(line_break_issue(wrapped, raw, self.delimiters, where))


def _at(number: int, tag: str, line: int, column: int, offset: int) -> Position:
    return Position(segment=number, tag=tag[:20], line=line, column=column, offset=offset)


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
