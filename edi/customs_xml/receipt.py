"""The receipt due to the sender of a customs XML message we refused: which element, which line, why.

    >>> body = build_receipt(entry, errors, sender="LOGIHUB", recipient="CARRIER1")

The XML counterpart of CONTRL/APERAK: a ``Receipt`` in logihub's namespace (``schemas/customs/
receipt.xsd``), answering the sender's message reference, with one ``Error`` per problem
naming its code, the element's path and line, and the text. It is validated against its schema
before it leaves, and is served at ``/api/v1/edi/messages/{id}/ack``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from lxml import etree

from customs_gateway import schemas

NS = "urn:logihub:customs:receipt:1"
MAX_ERRORS = 99


def _add(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def build_receipt(entry: dict, errors: list[dict], *, sender: str, recipient: str, now: datetime | None = None) -> str:
    """A ``Receipt`` refusing the message ``entry`` describes (its type and reference) for ``errors``."""
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    root = etree.Element(f"{{{NS}}}Receipt", nsmap={None: NS})
    _add(root, "MessageID", uuid.uuid4().hex)
    _add(root, "RefMessageID", (entry.get("reference") or "")[:255])
    _add(root, "RefMessageType", (entry.get("type") or "")[:64])
    _add(root, "SenderID", sender[:70])
    _add(root, "ReceiverID", (recipient or "")[:70])
    _add(root, "CreationDateTime", moment.isoformat())
    _add(root, "Status", "rejected")
    for error in errors[:MAX_ERRORS]:
        position = error.get("position") or {}
        item = _add(root, "Error")
        _add(item, "Code", str(error.get("code", ""))[:35])
        if position.get("path"):
            _add(item, "Path", str(position["path"])[:1024])
        if position.get("line"):
            _add(item, "Line", str(int(position["line"])))
        _add(item, "Text", " ".join(str(error.get("message", "")).split())[:2048])
    schemas.validate(root, "receipt.xsd")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")
