"""The operators' message monitor: one message taken apart (raw text, parsed structure, errors), reprocess.

    >>> page = messages(filters={"state": "rejected"}).page(1)
    >>> view = message_view(message)      # raw text, segments with positions, errors, acknowledgement

The structure is read with :func:`edi.parse.interchange.read_interchange`, the same streaming
reader processing uses, so positions on this page are the positions in errors and CONTRLs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree

from edi.choices import ActionCode, MessageStatus, SyntaxErrorCode
from edi.detect import detect
from edi.exceptions import EdiError
from edi.models import MessageFormat, MessageState, RawMessage
from edi.parse.charsets import charset_for
from edi.parse.interchange import read_interchange
from edi.parse.syntax import Repetitions
from edi.parse.xml import local_name, parse_xml

PAGE_SIZE = 50
MAX_SEGMENTS = 2000
MAX_RAW_CHARS = 200_000
MAX_INDENT = 16  # rem: deeper elements of an XML outline are indented as the 16th level
MAX_VALUE_CHARS = 160  # an XML value in the outline (base64 data runs on in the raw bytes below)
TYPE_PATH = "outcome__messages__0__type"


def messages(filters: dict[str, str]) -> QuerySet:
    """Inbound raw messages, newest first, narrowed by partner (party id), type and state."""
    rows = RawMessage.objects.select_related("party").defer("body").order_by("-received_at")
    if filters.get("partner", "").isdigit():
        rows = rows.filter(party_id=int(filters["partner"]))
    if filters.get("type"):
        rows = rows.filter(**{TYPE_PATH: filters["type"][:12].upper()})
    if filters.get("state") in MessageState.values:
        rows = rows.filter(state=filters["state"])
    return rows


def page_of(rows: QuerySet, number: str | None):
    return Paginator(rows, PAGE_SIZE).get_page(number)


def known_types() -> list[str]:
    """The message types seen so far (for the filter's choices)."""
    found = RawMessage.objects.exclude(**{f"{TYPE_PATH}__isnull": True}).values_list(TYPE_PATH, flat=True)
    return sorted({t for t in found.distinct()[:200] if t})


def message_type(message: RawMessage) -> str:
    outcome = message.outcome or {}
    return ", ".join(dict.fromkeys(m.get("type", "") for m in outcome.get("messages") or [] if m.get("type")))


@dataclass
class SegmentRow:
    number: int
    line: int
    tag: str
    elements: list[str]
    errors: list[dict] = field(default_factory=list)
    message: str = ""


@dataclass
class MessageView:
    raw: str
    truncated: bool
    segments: list[SegmentRow]
    structure_error: str
    errors: list[dict]
    acknowledgements: list[dict]
    events: int
    duplicate_events: int
    messages: list[dict]
    refusal: dict | None
    outline: list = field(default_factory=list)  # an XML message's elements


def status_label(status: str) -> str:
    return str(MessageStatus(status).label) if status in MessageStatus.values else status


def withdrawal_label(message: dict) -> str:
    """What a replacement or cancellation did to the earlier report it names ("" for any other message)."""
    asked, done = message.get("withdraws"), message.get("withdrawal")
    if not asked or not done:
        return ""
    document = f"{asked['document']['type']} {asked['document']['number']}"
    if not done.get("applied"):
        return _("%(document)s: not withdrawn (%(reason)s)") % {"document": document, "reason": done.get("reason", "")}
    withdrawn, restored = len(done.get("withdrawn") or ()), len(done.get("restored") or ())
    if asked["document"]["function"] == "5":
        text = ngettext(
            "replaces %(document)s: %(n)d event withdrawn", "replaces %(document)s: %(n)d events withdrawn", withdrawn
        )
    else:
        text = ngettext(
            "cancels %(document)s: %(n)d event withdrawn", "cancels %(document)s: %(n)d events withdrawn", withdrawn
        )
    text = text % {"document": document, "n": withdrawn}
    if restored:
        text += ", " + ngettext("%(n)d restored", "%(n)d restored", restored) % {"n": restored}
    return text


def _element(value) -> str:
    if isinstance(value, Repetitions):
        return "*".join(_element(v) for v in value)
    return ":".join(value)


def all_errors(outcome: dict) -> list[dict]:
    """Every error and warning of an outcome, interchange level first, each once.

    Each carries ``label``: its ISO 9735 code named in the reader's language (``29 控制计数与实际数量不符``),
    beside the parser's own English ``message``.
    """
    found = list(outcome.get("errors") or [])
    for message in outcome.get("messages") or []:
        for issue in [*(message.get("errors") or []), *(message.get("warnings") or [])]:
            if issue not in found:
                found.append(issue)
    return [{**issue, "label": _code_label(SyntaxErrorCode, str(issue.get("code", "")))} for issue in found]


def segments_of(body: bytes, errors: list[dict]) -> list[SegmentRow]:
    """The interchange's segments with their numbers, lines and elements, errors attached by segment."""
    by_segment: dict[int, list[dict]] = {}
    for error in errors:
        number = (error.get("position") or {}).get("segment")
        if number is not None:
            by_segment.setdefault(number, []).append(error)
    reader = read_interchange(body)
    rows: list[SegmentRow] = []

    def add(segment, message_ref: str = "") -> None:
        if segment is not None and len(rows) < MAX_SEGMENTS:
            rows.append(
                SegmentRow(
                    number=segment.number,
                    line=segment.line,
                    tag=segment.tag,
                    elements=[_element(e) for e in segment.elements],
                    errors=by_segment.get(segment.number, []),
                    message=message_ref,
                )
            )

    add(reader.header)
    for message in reader:
        for segment in message.segments:  # UNH to UNT, the trailer included once read
            add(segment, message.reference)
        if len(rows) >= MAX_SEGMENTS:
            break
    add(reader.trailer)
    return rows


def acknowledgements_of(outcome: dict) -> list[dict]:
    """The acknowledgements sent back (CONTRL, APERAKs), in the outcome's current or earlier shape."""
    found = list(outcome.get("acknowledgements") or [])
    if not found and outcome.get("acknowledgement"):
        found.append(outcome["acknowledgement"])
    return [ack for ack in found if isinstance(ack, dict)]


def readable(body: bytes) -> str:
    """The first ``MAX_RAW_CHARS`` bytes of a message as its sender wrote them, in the encoding
    :func:`edi.detect.detect` finds: EDIFACT in the character set its UNB declares (UNOC is ISO 8859-1:
    a partner's MÜLLER is not shown as M?LLER), XML in its BOM's or declaration's encoding (GB18030
    manifests), anything else as UTF-8; undecodable bytes as U+FFFD."""
    head = body[:MAX_RAW_CHARS]
    try:
        found = detect(head)
    except EdiError:  # not a message at all: its bytes as UTF-8
        found = None
    codec = "utf-8-sig"
    if found is not None and found.format == "edifact" and found.syntax_identifier:
        codec = charset_for(found.syntax_identifier).codec
    elif found is not None and found.encoding:
        codec = found.encoding
    try:
        return head.decode(codec, errors="replace")
    except LookupError:  # an encoding Python does not know: the bytes as UTF-8
        return head.decode("utf-8-sig", errors="replace")


def message_view(message: RawMessage) -> MessageView:
    body = bytes(message.body)
    raw = readable(body)
    outcome = message.outcome or {}
    errors = all_errors(outcome)
    segments, outline, problem = [], [], ""
    if message.format == MessageFormat.EDIFACT:
        try:
            segments = segments_of(body, errors)
        except EdiError as exc:
            problem = exc.message
    elif message.format == MessageFormat.XML:
        outline, problem = xml_outline(body)
    return MessageView(
        raw=raw,
        truncated=len(body) > MAX_RAW_CHARS,
        segments=segments,
        structure_error=problem,
        errors=errors,
        acknowledgements=acknowledgements_of(outcome),
        events=outcome.get("storedEvents") or 0,
        duplicate_events=outcome.get("duplicateEvents") or 0,
        messages=[
            {**m, "status_label": status_label(m.get("status", "")), "withdrawal_label": withdrawal_label(m)}
            for m in outcome.get("messages") or []
        ],
        refusal=message.refusal,
        outline=outline,
    )


def edifact_structure(body: bytes) -> tuple[list[SegmentRow], str]:
    """An outbound or answered interchange's segments, or the reader's complaint."""
    try:
        return segments_of(body, []), ""
    except EdiError as exc:
        return [], exc.message


@dataclass(frozen=True)
class XmlNode:
    depth: int
    name: str
    attributes: str
    text: str
    line: int | None

    @property
    def indent(self) -> int:
        """Its indentation in rem (site.css's ``depth-N``): one more than its depth, at most 16."""
        return min(self.depth + 1, MAX_INDENT)


def xml_outline(body: bytes) -> tuple[list[XmlNode], str]:
    """An XML document as an indented outline of elements (local names), read by the hardened parser."""
    try:
        root = parse_xml(body)
    except EdiError as exc:
        return [], exc.message
    nodes: list[XmlNode] = []
    stack = [(root, 0)]
    while stack and len(nodes) < MAX_SEGMENTS:
        element, depth = stack.pop()
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        attributes = " ".join(f"{etree.QName(k).localname}={v}" for k, v in element.attrib.items())
        text = (element.text or "").strip()
        text = text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"
        nodes.append(XmlNode(depth, local_name(element), attributes, text, element.sourceline))
        stack.extend((child, depth + 1) for child in reversed(element))
    return nodes, ""


@dataclass(frozen=True)
class Layer:
    label: str
    raw: str
    truncated: bool
    segments: list[SegmentRow]
    outline: list[XmlNode]
    structure_error: str


def layer(label: str, body: bytes) -> Layer:
    """Raw text and parsed structure of one message body, EDIFACT or XML."""
    segments, outline, problem = [], [], ""
    if body.lstrip()[:1] == b"<":
        outline, problem = xml_outline(body)
    else:
        segments, problem = edifact_structure(body)
    raw = readable(body)
    return Layer(label, raw, len(body) > MAX_RAW_CHARS, segments, outline, problem)


@dataclass(frozen=True)
class Verdict:
    level: str
    reference: str
    action: str
    error: str


def _code_label(table, code: str) -> str:
    return f"{code} {table(code).label}" if code in table.values else code


def contrl_verdicts(segments: list[SegmentRow]) -> list[Verdict]:
    """What a CONTRL says, level by level: the interchange (UCI), each message (UCM), segment and element errors."""
    found = []
    for s in segments:
        e = s.elements + [""] * 6
        if s.tag == "UCI":
            found.append(
                Verdict(_("Interchange"), e[0], _code_label(ActionCode, e[3]), _code_label(SyntaxErrorCode, e[4]))
            )
        elif s.tag == "UCM":
            reference = f"{e[0]} {e[1].split(':')[0]}".strip()
            found.append(
                Verdict(_("Message"), reference, _code_label(ActionCode, e[2]), _code_label(SyntaxErrorCode, e[3]))
            )
        elif s.tag == "UCS":
            found.append(Verdict(_("Segment"), e[0], "", _code_label(SyntaxErrorCode, e[1])))
        elif s.tag == "UCD":
            found.append(Verdict(_("Data element"), e[1], "", _code_label(SyntaxErrorCode, e[0])))
    return found
