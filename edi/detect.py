"""Format detection: is this UN/EDIFACT, XML (and which family), or not a message at all?

Only the head of the input is looked at (64 KB). EDIFACT is recognised by UNA, UNB or UNH
after any BOM or whitespace; XML by its root element and namespace, or, when a sender has
mangled or dropped the namespace, by the root's name and the elements under it. Anything else
raises :class:`edi.exceptions.NotAMessage` with one clear line.

    >>> detect(b"UNA:+.? 'UNB+UNOC:3+SENDER+RECIPIENT+261125:1200+1'").format
    'edifact'
    >>> detect(b'<Manifest xmlnsbak="x"><Head><MessageType>MT1101</MessageType></Head></Manifest>').family
    'china-manifest'
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from edi.exceptions import NotAMessage
from edi.issues import Position
from edi.parse.syntax import Delimiters, read_delimiters, sniff_syntax

HEAD = 65536
_XML_EVENTS = 400  # start tags looked at for structural recognition
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_EDIFACT_START = re.compile(r"(?:UNA.{6}\s*)?UN[BH][^A-Za-z0-9\s]", re.S)
_DECLARED_ENCODING = re.compile(rb"^(\s*<\?xml[^>]*?encoding=[\"'])[A-Za-z0-9._-]+")
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x7fELF", "an executable"),
)


DEC = "http://www.chinaport.gov.cn/dec"
ICS2 = "urn:wco:datamodel:eu:ics2:2"


@dataclass(frozen=True, slots=True)
class XmlFamily:
    """A family of XML messages: its namespaces, and its shape for when the namespace is wrong."""

    name: str
    namespaces: tuple[str, ...]  # prefixes of the namespaces it is published with
    roots: str  # regular expression for the root element's local name
    markers: frozenset[str] = frozenset()  # local names that must appear under the root
    canonical: str | None = None  # the namespace to assume when recognised by structure ("" none)


FAMILIES = (
    XmlFamily(
        "wco-dm",
        ("urn:wco:datamodel:WCO:",),
        r"MetaData|Declaration|Response",
        frozenset({"FunctionCode"}),
        "urn:wco:datamodel:WCO:DEC-DMS:2",
    ),
    XmlFamily(
        "china-manifest",
        ("urn:Declaration:datamodel:standard:CN:",),
        r"Manifest",
        frozenset({"Head", "MessageType", "FunctionCode"}),
    ),
    XmlFamily("china-ceb", ("http://www.chinaport.gov.cn/ceb",), r"CEB\d{3}Message", frozenset({"guid"})),
    # the customs declaration (报关单) and its receipts: the import receipt in the declaration's
    # namespace, the business receipt DEC_RESULT in none
    XmlFamily("china-dec", (DEC,), r"DecMessage", frozenset({"DecHead"})),
    XmlFamily("china-dec", (DEC,), r"DecImportResponse", frozenset({"ResponseCode"})),
    XmlFamily("china-dec", (DEC,), r"DEC_RESULT", frozenset({"CUS_CIQ_NO"}), ""),
    XmlFamily("eu-ics", ("http://ics.dgtaxud.ec",), r"CC\d{3}[A-Z]", frozenset({"MesTypMES20"})),
    XmlFamily("eu-ncts", ("http://ncts.dgtaxud.ec",), r"CC\d{3}[A-Z]", frozenset({"messageType"})),
    # ICS2: filings name their LRN, customs' answers the MRN
    XmlFamily("eu-ics2", ("urn:wco:datamodel:eu:ics2:",), r"IE3[AFNQR]\d{2}", frozenset({"LRN"}), ICS2),
    XmlFamily("eu-ics2", ("urn:wco:datamodel:eu:ics2:",), r"IE3[AFNQR]\d{2}", frozenset({"MRN"}), ICS2),
    XmlFamily(
        "soap",
        ("http://www.w3.org/2003/05/soap-envelope", "http://schemas.xmlsoap.org/soap/envelope/"),
        r"Envelope",
        frozenset({"Body"}),
    ),
    XmlFamily(
        "hmrc-response",
        ("http://www.govtalk.gov.uk/CM/errorresponse", "http://www.hmrc.gov.uk/successresponse/"),
        r"ErrorResponse|SuccessResponse",
    ),
)


_WCO_NAMESPACES = {
    "MetaData": "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2",
    "Declaration": "urn:wco:datamodel:WCO:DEC-DMS:2",
    "Response": "urn:wco:datamodel:WCO:RES-DMS:2",
}


@dataclass(frozen=True, slots=True)
class Detection:
    """What the input is. ``format`` is ``"edifact"`` or ``"xml"``; the other fields say more.

    EDIFACT: ``una``, ``delimiters``, ``first_tag`` (UNB, or UNH for a bare message),
    ``syntax_identifier`` and ``syntax_version`` (UNB S001).
    XML: ``root`` (local name), ``namespace`` (as declared, ``""`` for none), ``family`` (see
    :data:`FAMILIES`, ``None`` if unknown), ``namespace_mangled`` (recognised by structure, the
    declared namespace is not the family's), ``expected_namespace``, ``encoding`` (declared),
    and for SOAP the Body's first child as ``payload_root``/``payload_namespace``.
    ``offset`` is where the content starts (after BOM and whitespace), ``bom`` whether one was there.
    """

    format: str
    offset: int = 0
    bom: bool = False
    una: bool = False
    delimiters: Delimiters | None = None
    first_tag: str | None = None
    syntax_identifier: str | None = None
    syntax_version: str | None = None
    root: str | None = None
    namespace: str | None = None
    family: str | None = None
    namespace_mangled: bool = False
    expected_namespace: str | None = None
    encoding: str | None = None
    payload_root: str | None = None
    payload_namespace: str | None = None


def detect(data: bytes | str) -> Detection:
    """Detect the format of a raw message; raise :class:`NotAMessage` for anything else."""
    if isinstance(data, str):
        head_bytes, bom, codec = data[:HEAD].encode("utf-8", errors="replace"), data.startswith("\ufeff"), "utf-8"
        if bom:
            head_bytes = head_bytes[3:]
    else:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"cannot detect the format of {type(data).__name__}")
        head_bytes, bom, codec = _strip_bom(bytes(data[:HEAD]))
    if not head_bytes.strip():
        raise NotAMessage("Empty input: no EDIFACT or XML message")
    if codec != "utf-8":  # UTF-16 can only be XML here: hand lxml UTF-8 and say so in the declaration
        head_bytes = head_bytes.decode(codec, errors="replace").encode("utf-8")
        head_bytes = _DECLARED_ENCODING.sub(rb"\g<1>UTF-8", head_bytes, count=1)
    stripped = head_bytes.lstrip(b" \t\r\n")
    offset = len(head_bytes) - len(stripped) + (3 if bom and codec == "utf-8" else 2 if bom else 0)
    text = stripped[:4096].decode("latin-1")
    if _EDIFACT_START.match(text):
        if codec != "utf-8":
            raise NotAMessage("Not a message: EDIFACT in UTF-16 is not supported (UNB names 8-bit character sets)")
        return _edifact(text, offset, bom)
    if stripped.startswith(b"<"):
        return _xml(stripped, offset, bom, codec)
    raise NotAMessage(_refusal(stripped), position=Position(offset=offset))


def _strip_bom(head: bytes) -> tuple[bytes, bool, str]:
    for mark, codec in _BOMS:
        if head.startswith(mark):
            return head[len(mark) :], True, codec
    return head, False, "utf-8"


def _refusal(head: bytes) -> str:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"Not a message: the input is {what}, not EDIFACT or XML"
    if b"\x00" in head[:1024]:
        return "Not a message: binary data (NUL bytes), not EDIFACT or XML"
    if head[:1] in (b"{", b"["):
        return "Not a message: the input looks like JSON, not EDIFACT or XML"
    if head.startswith(b"UNA"):
        # ISO 9735: "UNA" and exactly six service characters, then the interchange (UNB) or message (UNH)
        advice = head[3:9].decode("latin-1")
        return (
            f"Not a message: the service string advice UNA is followed by {advice!r}, not by six service "
            "characters (component, element, decimal mark, release, reserved, segment terminator) and UNB or UNH"
        )
    sample = head[:24].decode("utf-8", errors="replace")
    return f"Not a message: starts with {sample!r}; expected EDIFACT (UNA, UNB or UNH) or XML"


def _edifact(text: str, offset: int, bom: bool) -> Detection:
    delimiters, start = read_delimiters(text)
    una = text.startswith("UNA")
    start = len(text) - len(text[start:].lstrip(" \t\r\n"))
    syntax_id, version = sniff_syntax(text, delimiters, start)
    return Detection(
        "edifact",
        offset=offset,
        bom=bom,
        una=una,
        delimiters=delimiters,
        first_tag=text[start : start + 3],
        syntax_identifier=syntax_id,
        syntax_version=version,
    )


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return local, namespace
    return tag, ""


def _xml(head: bytes, offset: int, bom: bool, codec: str = "utf-8") -> Detection:
    from lxml import etree

    encoding = None if codec == "utf-8" else codec.upper()
    declared = re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", head)
    if declared and codec == "utf-8":
        encoding = declared.group(1).decode("ascii")
    elements: list[tuple[str, str]] = []
    texts: dict[str, str] = {}
    parser = etree.iterparse(
        io.BytesIO(head),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    error = None
    try:
        for event, element in parser:
            local, namespace = _split(element.tag) if isinstance(element.tag, str) else ("", "")
            if event == "start":
                elements.append((local, namespace))
                if len(elements) >= _XML_EVENTS:
                    break
            elif element.text and local not in texts:
                texts[local] = element.text.strip()
    except etree.XMLSyntaxError as exc:  # a truncated head ends this way too: keep what was read
        error = exc
    if not elements:
        if error is not None and len(head) >= HEAD - 4:  # the head was cut inside the root's start tag
            text = _("Not a message: the root element's start tag is longer than %(size)d bytes (oversized attributes)")
            raise NotAMessage(text % {"size": HEAD}, position=Position(line=1))
        detail = f": {' '.join(str(error.msg).split())}" if error is not None else ""
        raise NotAMessage(f"Not a message: XML without a readable root element{detail}", position=Position(line=1))
    root, namespace = elements[0]
    return _classify(root, namespace, elements, texts, offset, bom, encoding)


def _classify(
    root: str,
    namespace: str,
    elements: list[tuple[str, str]],
    texts: dict[str, str],
    offset: int,
    bom: bool,
    encoding: str | None,
) -> Detection:
    names = {local for local, _ in elements}
    family, mangled, expected = None, False, None
    for candidate in FAMILIES:
        if namespace and namespace.startswith(candidate.namespaces):
            family = candidate.name
            break
    if family is None:
        for candidate in FAMILIES:
            if re.fullmatch(candidate.roots, root) and candidate.markers and candidate.markers <= names:
                family = candidate.name
                expected = candidate.namespaces[0] if candidate.canonical is None else candidate.canonical
                mangled = namespace != expected
                if candidate.name == "china-manifest" and re.fullmatch(
                    r"MT(\d{4}|ECIM|ECEX)", texts.get("MessageType", "")
                ):
                    expected = f"urn:Declaration:datamodel:standard:CN:{texts['MessageType']}:1"
                elif candidate.name == "wco-dm":
                    expected = _WCO_NAMESPACES.get(root, expected)
                break
    payload_root = payload_namespace = None
    if family == "soap":
        for i, (local, _ns) in enumerate(elements):
            if local == "Body" and i + 1 < len(elements):
                payload_root, payload_namespace = elements[i + 1]
                break
    return Detection(
        "xml",
        offset=offset,
        bom=bom,
        root=root,
        namespace=namespace,
        family=family,
        namespace_mangled=mangled,
        expected_namespace=expected,
        encoding=encoding,
        payload_root=payload_root,
        payload_namespace=payload_namespace,
    )
