"""The EDIFACT envelope, streamed: UNB/UNZ, UNG/UNE and UNH/UNT, one message at a time.

    >>> reader = read_interchange(data)          # reads UNB (raises NotAMessage if it can't)
    >>> for message in reader:                   # Message objects, one at a time
    ...     message.type, message.reference, message.issues
    >>> reader.trailer, reader.issues            # UNZ and interchange/group-level issues

The envelope's control counts and references are checked as the segments go by (ISO 9735
codes 13, 28, 29, 30, 32, 33). A message with a problem carries it in its own ``issues`` and
the next message is read as usual: one bad message never stops the good ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain
from typing import Any

from edi.exceptions import ParseError
from edi.issues import Issue, Position
from edi.parse.edifact import MAX_ISSUES_PER_CODE, Repetitions, Segment, SegmentReader

ENVELOPE_TAGS = frozenset({"UNB", "UNZ", "UNG", "UNE", "UNH", "UNT"})


def _value(segment: Segment, element: int, component: int = 1) -> str:
    return segment.get(element, component)


def _count_is(declared: str, actual: int) -> bool:
    """Whether a control count (n..6; leading zeros are insignificant) equals ``actual``."""
    return declared.isascii() and declared.isdigit() and int(declared) == actual


def _at(segment: Segment, element: int | None = None, component: int | None = None) -> Position:
    return Position(
        segment=segment.number,
        tag=segment.tag,
        element=element,
        component=component,
        line=segment.line,
        column=segment.column,
        offset=segment.offset,
    )


class Message:
    """One message, UNH to UNT, with its identification (S009) and its own issues."""

    __slots__ = ("header", "segments", "trailer", "group_reference", "issues")

    def __init__(self, header: Segment, group_reference: str | None = None) -> None:
        self.header = header
        self.segments: list[Segment] = [header]
        self.trailer: Segment | None = None
        self.group_reference = group_reference
        self.issues: list[Issue] = []

    reference = property(lambda self: _value(self.header, 1), doc="Message reference number (0062).")
    type = property(lambda self: _value(self.header, 2, 1), doc="Message type (0065), e.g. CODECO.")
    version = property(lambda self: _value(self.header, 2, 2), doc="Message version number (0052), e.g. D.")
    release = property(lambda self: _value(self.header, 2, 3), doc="Message release number (0054), e.g. 95B.")
    agency = property(lambda self: _value(self.header, 2, 4), doc="Controlling agency (0051), e.g. UN.")
    association = property(lambda self: _value(self.header, 2, 5), doc="Association assigned code (0057).")

    @property
    def directory(self) -> str:
        """The directory the message claims, e.g. ``D95B`` (version and release joined)."""
        return (self.version + self.release).upper()

    @property
    def body(self) -> list[Segment]:
        """The segments between UNH and UNT."""
        return self.segments[1:-1] if self.trailer is not None else self.segments[1:]

    def add_issue(self, issue: Issue) -> None:
        self.issues.append(replace(issue, message_ref=self.reference))

    def __repr__(self) -> str:
        return f"<Message {self.type} {self.directory} ref={self.reference!r} segments={len(self.segments)}>"


class Group:
    """One functional group, UNG to UNE (its messages are yielded by the reader, not kept here)."""

    __slots__ = ("header", "trailer", "message_count", "issues")

    def __init__(self, header: Segment) -> None:
        self.header = header
        self.trailer: Segment | None = None
        self.message_count = 0
        self.issues: list[Issue] = []

    reference = property(lambda self: _value(self.header, 5), doc="Group reference number (0048).")
    message_type = property(lambda self: _value(self.header, 1), doc="Message group identification (0038).")


class InterchangeReader:
    """Iterate to get the messages; envelope facts and interchange-level issues are attributes.

    ``header`` (UNB or ``None`` for a bare message), ``trailer`` (UNZ or ``None``),
    ``syntax_identifier``, ``syntax_version``, ``sender``, ``recipient``, ``control_reference``,
    ``ack_requested``, ``test_indicator``, ``delimiters``, ``groups`` and ``issues``.
    ``trailer`` and the count checks are final once iteration has finished.
    """

    def __init__(self, source: Any) -> None:
        self._pending: list[Issue] = []
        self._segments = SegmentReader(source, self._pending)
        self._iter = iter(self._segments)
        self.issues: list[Issue] = []
        self._counts: dict[str, int] = {}
        self.groups: list[Group] = []
        self.trailer: Segment | None = None
        self.message_count = 0
        self.segment_count = 0
        self._references: set[str] = set()  # UNH 0062 seen: unique within an interchange
        self._first: Segment | None = next(self._iter, None)  # raises NotAMessage early
        self.header: Segment | None = self._first if self._first and self._first.tag == "UNB" else None
        self._route(None)
        self._done = False

    # envelope facts --------------------------------------------------------------------------
    delimiters = property(lambda self: self._segments.delimiters)
    syntax_identifier = property(lambda self: self._segments.syntax_identifier)
    syntax_version = property(lambda self: self._segments.syntax_version)
    una = property(lambda self: self._segments.una)
    sender = property(lambda self: self._unb(2), doc="Interchange sender identification (S002 0004).")
    recipient = property(lambda self: self._unb(3), doc="Interchange recipient identification (S003 0010).")
    control_reference = property(lambda self: self._unb(5), doc="Interchange control reference (0020).")
    ack_requested = property(lambda self: self._unb(9) == "1", doc="Acknowledgement request (0031) is 1.")
    test_indicator = property(lambda self: self._unb(11), doc="Test indicator (0035).")

    def _unb(self, element: int, component: int = 1) -> str | None:
        return None if self.header is None else (self.header.get(element, component) or None)

    # issue routing -----------------------------------------------------------------------------
    def _route(self, message: Message | None) -> None:
        """Move the segment reader's issues to the message being read, else to the interchange."""
        if not self._pending:
            return
        for issue in self._pending:
            if message is not None and issue.level not in ("interchange", "group"):
                message.add_issue(issue)
            else:
                self.issues.append(issue)
        self._pending.clear()

    def _issue(self, code: str, text: str, position: Position, level: str = "interchange") -> None:
        """Record an interchange-level issue, at most MAX_ISSUES_PER_CODE of a code (then one summary)."""
        n = self._counts.get(code, 0) + 1
        self._counts[code] = n
        if n <= MAX_ISSUES_PER_CODE:
            self.issues.append(Issue(code, text, position, level))
        elif n == MAX_ISSUES_PER_CODE + 1:
            self.issues.append(Issue(code, f"Further code {code} problems not reported", position, level))

    # reading ----------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Message]:
        if self._done:
            return
        self._done = True
        segments: Iterable[Segment] = self._iter if self._first is None else chain((self._first,), self._iter)
        group: Group | None = None
        message: Message | None = None
        ungrouped = 0
        last: Segment | None = None
        for seg in segments:
            last = seg
            tag = seg.tag
            self.segment_count += 1
            if message is not None:
                if tag == "UNT":
                    message.segments.append(seg)
                    message.trailer = seg
                    self._route(message)
                    self._check_unt(message, seg)
                    yield message
                    message = None
                    continue
                if tag not in ENVELOPE_TAGS:
                    message.segments.append(seg)
                    if self._pending:
                        self._route(message)
                    continue
                # an envelope segment inside a message: UNT is missing
                message.add_issue(
                    Issue("13", f"UNT missing: message {message.reference!r} ends at {tag}", _at(seg), "message")
                )
                yield message
                message = None
            self._route(None)
            if tag == "UNH":
                message = Message(seg, group.reference if group else None)
                self._check_reference(message, seg)
                self.message_count += 1
                if group is not None:
                    group.message_count += 1
                    self._check_group_type(group, message)
                else:
                    ungrouped += 1
                    if self.groups:
                        self._issue("30", "Message outside a functional group in an interchange with groups", _at(seg))
            elif tag == "UNG":
                if group is not None:
                    self._close_group(group, seg)
                if ungrouped:
                    self._issue("30", "Functional group in an interchange with messages outside groups", _at(seg))
                group = Group(seg)
                self.groups.append(group)
            elif tag == "UNE":
                if group is None:
                    self._issue("33", "UNE without UNG", _at(seg))
                else:
                    group.trailer = seg
                    self._check_une(group, seg)
                    group = None
            elif tag == "UNZ":
                if group is not None:
                    self._close_group(group, seg)
                    group = None
                if self.trailer is not None:
                    self._issue("33", "Second UNZ", _at(seg))
                self.trailer = seg
            elif tag == "UNB":
                if seg is not self._first:  # one interchange per message: what follows is not read
                    self._issue(
                        "33",
                        f"A second interchange (UNB {seg.get(5)!r}) starts here: only the first is read, "
                        "send each interchange on its own",
                        _at(seg),
                    )
                    break
            elif tag == "UNT":
                self._issue("33", "UNT without UNH", _at(seg))
            else:
                self._issue("33", f"Segment {tag} outside a message", _at(seg))
            if self.trailer is not None and seg is not self.trailer:
                self._issue("33", f"Segment {tag} after UNZ", _at(seg))
        if message is not None:
            message.add_issue(
                Issue("13", f"UNT missing: input ends inside message {message.reference!r}", _at(last), "message")
            )
            self._route(message)
            yield message
        self._route(None)
        if group is not None:
            self._close_group(group, last)
        self._check_unz(last)

    def read_all(self) -> list[Message]:
        """All messages as a list (for small inputs and tests; streaming callers iterate)."""
        return list(self)

    # checks -----------------------------------------------------------------------------------
    def _check_reference(self, message: Message, unh: Segment) -> None:
        """A message reference (0062) seen before in this interchange: 26, a warning (partners that number
        every message 1); the message is read as one of its own, by its place in the interchange."""
        if message.reference in self._references:
            text = (
                f"Duplicate message reference {message.reference!r} in this interchange: read as a message of its own"
            )
            message.add_issue(Issue("26", text, _at(unh, 1), "message", severity="warning"))
        self._references.add(message.reference)

    def _check_unt(self, message: Message, unt: Segment) -> None:
        declared = unt.get(1)
        actual = len(message.segments)
        if not _count_is(declared, actual):
            message.add_issue(
                Issue(
                    "29",
                    f"UNT segment count {declared!r} but the message has {actual} segments (UNH to UNT)",
                    _at(unt, 1),
                    "message",
                )
            )
        ref = unt.get(2)
        if ref != message.reference:
            message.add_issue(
                Issue(
                    "28",
                    f"UNT reference {ref!r} differs from UNH reference {message.reference!r}",
                    _at(unt, 2),
                    "message",
                )
            )

    def _check_group_type(self, group: Group, message: Message) -> None:
        """Syntax versions 1 to 3: a group holds one message type, the one UNG 0038 names (code 31)."""
        if (self.syntax_version or "").startswith("4") or any(i.code == "31" for i in group.issues):
            return
        expected = group.message_type
        if expected and message.type != expected:
            issue = Issue(
                "31",
                f"Group {group.reference!r} is for {expected} but holds a {message.type} message",
                _at(message.header, 2, 1),
                "group",
            )
            group.issues.append(issue)
            self.issues.append(issue)

    def _close_group(self, group: Group, where: Segment | None) -> None:
        pos = _at(where) if where is not None else Position()
        group.issues.append(Issue("13", f"UNE missing for group {group.reference!r}", pos, "group"))
        self.issues.append(group.issues[-1])

    def _check_une(self, group: Group, une: Segment) -> None:
        found: list[Issue] = []
        if not _count_is(une.get(1), group.message_count):
            found.append(
                Issue(
                    "29",
                    f"UNE message count {une.get(1)!r} but the group has {group.message_count} messages",
                    _at(une, 1),
                    "group",
                )
            )
        if une.get(2) != group.reference:
            found.append(
                Issue(
                    "28",
                    f"UNE reference {une.get(2)!r} differs from UNG reference {group.reference!r}",
                    _at(une, 2),
                    "group",
                )
            )
        if group.message_count == 0:
            found.append(Issue("32", f"Group {group.reference!r} holds no message", _at(une), "group"))
        group.issues.extend(found)
        self.issues.extend(found)

    def _check_unz(self, last: Segment | None) -> None:
        if self.header is None:
            return  # a bare message: no interchange envelope to check
        if self.trailer is None:
            pos = _at(last) if last is not None else Position()
            self._issue("13", "UNZ missing: the interchange has no trailer", pos)
            return
        unz = self.trailer
        expected = len(self.groups) if self.groups else self.message_count
        what = "groups" if self.groups else "messages"
        if not _count_is(unz.get(1), expected):
            self._issue(
                "29", f"UNZ control count {unz.get(1)!r} but the interchange has {expected} {what}", _at(unz, 1)
            )
        if unz.get(2) != (self.control_reference or ""):
            self._issue(
                "28",
                f"UNZ reference {unz.get(2)!r} differs from UNB reference {self.control_reference!r}",
                _at(unz, 2),
            )
        if expected == 0:
            self._issue("32", "The interchange holds no message", _at(unz))


#: The envelope reader under the name the brief's interface uses.
Interchange = InterchangeReader


def read_interchange(source: Any) -> InterchangeReader:
    """Open an interchange (bytes, str, path or binary file); iterate the result for messages.

    Raises :class:`~edi.exceptions.NotAMessage` at once when the input is not EDIFACT.
    """
    return InterchangeReader(source)


# -- pydifact at the edges ---------------------------------------------------------------------


def _pydifact_element(value: list) -> Any:
    if isinstance(value, Repetitions):
        return [_pydifact_element(v) for v in value]
    return value[0] if len(value) == 1 else list(value)


def to_pydifact(segment: Segment):  # -> pydifact.segments.Segment
    """The pydifact ``Segment`` for one of ours: a one-component element becomes a str.

    A repeated element (syntax 4) becomes a list of its occurrences; pydifact has no notion of
    repetition, so its serializer cannot write such a segment back.
    """
    from pydifact.segments import Segment as PydifactSegment

    return PydifactSegment(segment.tag, *[_pydifact_element(e) for e in segment.elements])


def to_pydifact_interchange(source: Any):  # -> pydifact.segmentcollection.Interchange
    """A pydifact ``Interchange`` built from our reader's segments.

    Raises :class:`~edi.exceptions.ParseError` when the input has no UNB or pydifact refuses it.
    Segments with a tag pydifact refuses (not three upper-case letters or digits) raise ValueError
    from pydifact's own ``Segment``.
    """
    from pydifact.control import Characters
    from pydifact.exceptions import EDISyntaxError
    from pydifact.segmentcollection import Interchange as PydifactInterchange

    reader = SegmentReader(source)
    segments = iter(reader)
    first = next(segments)
    if first.tag != "UNB":
        raise ParseError(f"A pydifact Interchange needs a UNB first, found {first.tag}", position=_at(first))
    d = reader.delimiters
    characters = Characters(d.component, d.element, d.decimal, d.release or " ", d.repetition or " ", d.segment)
    try:
        interchange = PydifactInterchange.from_segments([to_pydifact(first)], characters=characters)
    except (EDISyntaxError, ValueError) as exc:
        raise ParseError(f"pydifact cannot take this UNB: {exc}", position=_at(first)) from exc
    interchange.has_una_segment = reader.una
    interchange.add_segments(to_pydifact(s) for s in segments)
    return interchange
