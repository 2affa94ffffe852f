"""Opening a customs XML message: detect, parse safely, unwrap DXP and SOAP, repair a lost namespace, pick the table.

    >>> opened = open_message(body)
    >>> opened.family, opened.type, opened.table, opened.root      # root: the business message

The transport layers come off first: a DXP envelope (:mod:`customs_gateway.envelope`: base64,
sometimes zipped; a server node's ``DxpMsgSv`` relays the client's ``DxpMsg``), a SOAP envelope (the Body's payload, and the inner element where a service
wraps its message in a same-named one) and the service wrappers in :data:`WRAPPERS`. A document whose namespace a sender dropped or
mangled (:mod:`edi.detect` recognises it by structure) is read in its family's namespace, with
a warning, so that it is validated like any other. Parsing is :func:`edi.parse.xml.parse_xml`:
no DTD, no entities, no network, bounded depth; what cannot be read raises
:class:`edi.exceptions.ParseError` with the line, and what is no XML message at all
:class:`edi.exceptions.NotAMessage`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import ModuleType

from lxml import etree

from edi.customs_xml.paths import first, local
from edi.detect import Detection, detect
from edi.exceptions import NotAMessage, ParseError, UnknownMessageType
from edi.issues import Issue, Position
from edi.mappings.xml import XML_REGISTRY, xml_tables
from edi.parse.xml import parse_xml

DXP = "http://www.chinaport.gov.cn/dxp"
#: service envelopes around a business message: root -> the element whose first child is the message
WRAPPERS = {
    "submitDeclarationRequest": "requestDetail",  # HMRC's MDG submission wrapper
    "MFTMessage": "MFTData",  # a port EDI centre's manifest envelope (MFTHead: platform, signature, company)
}
CEB = "http://www.chinaport.gov.cn/ceb"


@dataclass
class Opened:
    """A business message ready to map: its root, family, type, table, and what was taken off it."""

    root: etree._Element
    family: str
    type: str
    table: ModuleType | type
    detection: Detection
    envelope: dict = field(default_factory=dict)  # the DXP TransInfo, when it came in one
    warnings: list[Issue] = field(default_factory=list)


def option(table: object, name: str, default: object = None) -> object:
    """A table's name, looked up on the table and then on the module that declares it."""
    if hasattr(table, name):
        return getattr(table, name)
    import sys

    return getattr(sys.modules.get(getattr(table, "__module__", ""), None), name, default)


def open_message(body: bytes) -> Opened:
    """The business message ``body`` carries (see the module docstring)."""
    detection = detect(body)
    if detection.format != "xml":
        raise NotAMessage("Not an XML message")
    root = parse_xml(body)
    envelope: dict = {}
    if root.tag == f"{{{DXP}}}DxpMsgSv":  # a server node's relay: SvNo, then the client's DxpMsg
        root = _unwrap(root, "DxpMsgSv", name="DxpMsg")
    if root.tag == f"{{{DXP}}}DxpMsg":
        root, envelope = _unwrap_dxp(root)
        detection = detect(etree.tostring(root))
    if detection.family == "soap":
        root = _soap_payload(root)
        detection = _payload_detection(detection, root)
    elif local(root) in WRAPPERS:
        root = _unwrap(root, WRAPPERS[local(root)])
        detection = detect(etree.tostring(root))
    family = detection.family or _family_by_namespace(root)
    if family is None:
        raise UnknownMessageType(
            f"XML document {local(root)!r} ({etree.QName(root).namespace or 'no namespace'}) is no customs message "
            "this platform reads",
            position=Position(path=f"/{local(root)}", line=root.sourceline),
        )
    opened = _identify(root, family, detection)
    opened.envelope = envelope
    if _needs_namespace(opened):
        _repair_namespace(opened)
    _repair_root_name(opened)
    return opened


def _unwrap_dxp(root: etree._Element) -> tuple[etree._Element, dict]:
    from customs_gateway import envelope
    from customs_gateway.exceptions import CustomsError

    try:
        info, data, keys = envelope.unwrap(root)
    except CustomsError as exc:
        path = (exc.position or {}).get("path") if isinstance(exc.position, dict) else None
        line = (exc.position or {}).get("line") if isinstance(exc.position, dict) else None
        position = Position(path=path, line=line)
        raise ParseError(f"DXP envelope: {exc.message}", code="XML_ENVELOPE", position=position) from exc
    inner = parse_xml(data)
    return inner, {"messageId": info.message_id, "sender": info.sender, "receivers": list(info.receivers),
                   "msgType": info.msg_type, "created": info.created, "keys": keys}  # fmt: skip


def _soap_payload(root: etree._Element) -> etree._Element:
    body = next((c for c in root if isinstance(c.tag, str) and local(c) == "Body"), None)
    payload = next((c for c in body if isinstance(c.tag, str)), None) if body is not None else None
    if payload is None:
        raise ParseError(
            "SOAP envelope without a Body payload", code="XML_ENVELOPE", position=Position(path="/Envelope")
        )
    inner = [c for c in payload if isinstance(c.tag, str)]
    if len(inner) == 1 and local(inner[0]) == local(payload):
        payload = inner[0]  # a service's wrapper of the same name
    elif not inner and (payload.text or "").lstrip().startswith("<"):
        escaped = _escaped_message(payload)
        if escaped is not None:
            return escaped
    payload.getparent().remove(payload)  # its own document: "/" paths start at the payload
    return payload


def _escaped_message(wrapper: etree._Element) -> etree._Element | None:
    """The message a service's same-named wrapper carries as escaped text (ALVS/IBM: ``&lt;NS2:...``).

    Parsed as any partner XML is (:func:`edi.parse.xml.parse_xml`: no DTD, no entities); text that
    is not one well-formed element of the wrapper's name is left alone (the wrapper is the message).
    """
    try:
        message = parse_xml(wrapper.text.strip().encode("utf-8"))
    except (ParseError, NotAMessage):
        return None
    return message if local(message) == local(wrapper) else None


def _unwrap(root: etree._Element, holder: str, *, name: str = "") -> etree._Element:
    """The message ``holder`` carries: its first child element, or its first child called ``name``."""
    found = next((c for c in root.iter() if isinstance(c.tag, str) and local(c) == holder), None)
    children = (
        [c for c in found if isinstance(c.tag, str) and (not name or local(c) == name)] if found is not None else []
    )
    payload = children[0] if children else None
    if payload is None:
        raise ParseError(
            f"{local(root)} without a message in {holder}",
            code="XML_ENVELOPE",
            position=Position(path=f"/{local(root)}"),
        )
    payload.getparent().remove(payload)
    return payload


def _payload_detection(detection: Detection, root: etree._Element) -> Detection:
    """The payload's own family where it has one (an ICS message sent in SOAP), else the SOAP service's."""
    from dataclasses import replace

    inner = detect(etree.tostring(root))
    if inner.family:
        return inner
    return replace(detection, root=local(root), namespace=etree.QName(root).namespace or "")


def _family_by_namespace(root: etree._Element) -> str | None:
    namespace = etree.QName(root).namespace or ""
    if namespace.startswith(CEB) or re.fullmatch(r"CEB\d{3}Message", local(root)):
        return "china-ceb"
    return None


def _message_type(root: etree._Element, table: object, family: str) -> str:
    """The first candidate type a table of the family maps, else the first one the document names.

    ``#root`` is the root's local name, ``#namespace`` the type a namespace names
    (``urn:...:CN:MT1101:1``), any other entry a path; a ``(path, template)`` pair names the type
    the template makes of the path's value (``("/Response/../Head/MessageType", "{}-RESPONSE")``:
    an answer that repeats the type of the message it answers).
    """
    found = []
    for entry in option(table, "TYPE_FROM", ("#root",)):
        path, template = entry if isinstance(entry, tuple) else (entry, "{}")
        if path == "#root":
            value = local(root)
        elif path == "#namespace":
            match = re.search(r":(MT(?:\d{4}|ECIM|ECEX)):\d+$", etree.QName(root).namespace or "")
            value = match.group(1) if match else ""
        else:
            value = first(root, (path,))
        value = value.removesuffix("Message") if value.startswith("CEB") else value
        value = template.format(value) if value else value
        if value and ("XML", value, family) in XML_REGISTRY:
            return value
        found.append(value)
    return next((value for value in found if value), "")


def _identify(root: etree._Element, family: str, detection: Detection) -> Opened:
    from customs_gateway.responses import interpret

    tables = xml_tables(family)
    if not tables:
        raise UnknownMessageType(f"no mapping for the {family} family yet", position=Position(path=f"/{local(root)}"))
    message_type = _message_type(root, tables[0], family)
    table = XML_REGISTRY.get(("XML", message_type, family))
    if table is None:
        answers = [t for t in tables if option(t, "ANSWER", False)]
        if answers and interpret(root):  # an answer of a known shape, of a type no table lists
            table = answers[0]
        else:
            raise UnknownMessageType(
                f"{family} message type {message_type or local(root)!r} has no mapping",
                position=Position(path=f"/{local(root)}", line=root.sourceline),
            )
    return Opened(root=root, family=family, type=message_type, table=table, detection=detection)


def _needs_namespace(opened: Opened) -> bool:
    """Whether the root's namespace is not its family's (dropped, mangled, or added where there is none)."""
    rules = option(opened.table, "NAMESPACES", {}) or {}
    wanted = _rule_for(opened.root, opened.root, rules) if rules else None
    if wanted is None:
        return False
    return (etree.QName(opened.root).namespace or "") != wanted.format(type=opened.type)


def _repair_namespace(opened: Opened) -> None:
    """Read the document in its family's namespaces (by root-relative path), and say so."""
    rules = option(opened.table, "NAMESPACES", {}) or {}
    if not rules:
        return
    root = opened.root
    declared = etree.QName(root).namespace or ""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        namespace = _rule_for(element, root, rules)
        if namespace is None:
            continue
        if etree.QName(element).namespace and etree.QName(element).namespace != declared:
            continue  # a foreign namespace (a signature) stays as it is
        namespace = namespace.format(type=opened.type)
        element.tag = f"{{{namespace}}}{local(element)}" if namespace else local(element)
    for name in [a for a in root.attrib if _renamed_declaration(a, root.attrib[a], opened)]:
        del root.attrib[name]  # a namespace declaration a sender renamed into an attribute (xmlnsbak=, bxmlns=)
    etree.cleanup_namespaces(root)
    opened.warnings.append(
        Issue(
            "XML_NAMESPACE",
            f"root element {local(root)!r} has namespace {declared or 'none'!r}: read as "
            f"{_rule_for(root, root, rules).format(type=opened.type) or 'none'!r}",
            Position(path=f"/{local(root)}", line=root.sourceline),
            level="message",
            severity="warning",
        )
    )


def _renamed_declaration(name: str, value: str, opened: Opened) -> bool:
    """Whether a root attribute is a namespace declaration a sender renamed (``xmlnsbak=``, ``bxmlns=``).

    An unqualified attribute whose name holds ``xmlns``, or whose value is the namespace the
    document is now read in; a qualified one (``xsi:schemaLocation``) is the sender's and stays.
    """
    if name.startswith("{"):
        return False
    rules = option(opened.table, "NAMESPACES", {}) or {}
    wanted = _rule_for(opened.root, opened.root, rules) if rules else None
    read_in = wanted.format(type=opened.type) if wanted else None
    return "xmlns" in name.lower() or (bool(read_in) and value.strip() == read_in)


def _repair_root_name(opened: Opened) -> None:
    """Give the root the name its family publishes (``CEB214`` -> ``CEB214Message``), and say so."""
    wanted = option(opened.table, "ROOT_NAME", None)
    root = opened.root
    if not wanted or local(root) == wanted.format(type=opened.type):
        return
    name = wanted.format(type=opened.type)
    opened.warnings.append(
        Issue(
            "XML_ROOT_NAME",
            f"root element {local(root)!r} read as {name!r}",
            Position(path=f"/{local(root)}", line=root.sourceline),
            level="message",
            severity="warning",
        )
    )
    namespace = etree.QName(root).namespace
    root.tag = f"{{{namespace}}}{name}" if namespace else name


def _rule_for(element: etree._Element, root: etree._Element, rules: dict) -> str | None:
    """The namespace of the deepest rule whose path is an ancestor-or-self of ``element``."""
    if "" in rules:  # only the root is qualified (EU messages)
        return rules[""] if element is root else None
    names = []
    node = element
    while node is not None and node is not root.getparent():
        names.append(local(node))
        node = node.getparent()
    names.reverse()
    for depth in range(len(names), 0, -1):
        key = "/".join(names[:depth])
        if key in rules:
            return rules[key]
    return rules.get("*")
