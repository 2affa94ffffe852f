"""Who sent a message and under which control reference, read before anything else is trusted.

    >>> identify(body)   # Envelope(format="edifact", sender="CARRIER1", control_reference="0001", ...)

EDIFACT: the UNB sender (S002 0004), recipient (S003 0010) and control reference (0020).
XML: the family's own header fields, from the table below; families whose documents name no
sender (the authenticated party is then the sender) give an empty ``sender``.
"""

from __future__ import annotations

from dataclasses import dataclass

from edi.detect import detect
from edi.exceptions import NotAMessage
from edi.parse.interchange import read_interchange
from edi.parse.xml import find_text, local_name, parse_xml

# root local name -> (sender path, recipient path, reference path), local names from the root
XML_HEADERS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Manifest": (("Head", "SenderID"), ("Head", "ReceiverID"), ("Head", "MessageID")),
    "DxpMsg": (("TransInfo", "SenderId"), ("TransInfo", "ReceiverIds", "ReceiverId"), ("TransInfo", "CopMsgId")),
    # a server node's relay carries the client's DxpMsg: its sender is the client's
    "DxpMsgSv": (
        ("DxpMsg", "TransInfo", "SenderId"),
        ("DxpMsg", "TransInfo", "ReceiverIds", "ReceiverId"),
        ("DxpMsg", "TransInfo", "CopMsgId"),
    ),
}
NCTS_STYLE = (("messageSender",), ("messageRecipient",), ("messageIdentification",))


@dataclass(frozen=True)
class Envelope:
    format: str
    sender: str = ""
    recipient: str = ""
    control_reference: str = ""
    root: str = ""


def identify(body: bytes) -> Envelope:
    """Read only the envelope of ``body``; raise NotAMessage for what cannot be a message at all."""
    if not body or not body.strip(b"\xef\xbb\xbf \t\r\n\x00"):
        raise NotAMessage("empty body: no message")
    if detect(body).format == "xml":
        root = parse_xml(body)
        name = local_name(root)
        paths = XML_HEADERS.get(name) or (NCTS_STYLE if find_text(root, "messageSender") else None)
        if paths is None:
            return Envelope(format="xml", root=name)
        sender, recipient, reference = (find_text(root, *path) for path in paths)
        return Envelope(format="xml", sender=sender, recipient=recipient, control_reference=reference, root=name)
    reader = read_interchange(body)
    if reader.header is None:
        raise NotAMessage("EDIFACT without an interchange header (UNB): the sender cannot be known")
    return Envelope(
        format="edifact",
        sender=reader.sender or "",
        recipient=reader.recipient or "",
        control_reference=reader.control_reference or "",
        root="UNB",
    )
