"""The DXP transport envelope of China's e-port: ``DxpMsg`` with ``TransInfo``, base64 ``Data`` and business keys.

    >>> body = wrap(signed_manifest, message_id="...", sender="LOGIHUB", receiver="EPORT", msg_type="MT1101")
    >>> info, data, keys = unwrap(body)

The envelope carries the signed business message unchanged (its exact bytes, base64), so a
signature made over the manifest still verifies after transport. ``BizKey`` keys name the
business reference and, on answers, the message id answered (``RefMsgId``): the first key the
gateway correlates on.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import zipfile
from dataclasses import dataclass

from django.utils import timezone
from lxml import etree

from customs_gateway import schemas
from customs_gateway.exceptions import ERRORS, InvalidMessage

DXP = "http://www.chinaport.gov.cn/dxp"
MAX_UNPACKED = 64 * 1024 * 1024  # a zipped Data never unpacks past this (zip bombs)


@dataclass(frozen=True)
class TransInfo:
    message_id: str
    sender: str
    receivers: tuple[str, ...]
    created: str
    msg_type: str


def _e(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{DXP}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def wrap(data: bytes, *, message_id: str, sender: str, receiver: str, msg_type: str, keys: dict[str, str]) -> bytes:
    """A ``DxpMsg`` around ``data``, checked against our ``dxp.xsd``."""
    root = etree.Element(f"{{{DXP}}}DxpMsg", {"ver": "1.0"}, nsmap={"dxp": DXP})
    info = _e(root, "TransInfo")
    _e(info, "CopMsgId", message_id[:255])
    _e(info, "SenderId", sender[:16])
    _e(_e(info, "ReceiverIds"), "ReceiverId", receiver[:16])
    _e(info, "CreatTime", timezone.now().replace(microsecond=0).isoformat())
    _e(info, "MsgType", msg_type[:30])
    _e(root, "Data", base64.b64encode(data).decode("ascii"))
    if keys:
        bizkey = _e(_e(root, "AddInfo"), "BizKey")
        for name, value in list(keys.items())[:5]:
            _e(bizkey, "Key", value[:64], name=name)
    schemas.validate(root, "dxp.xsd")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def is_envelope(root: etree._Element) -> bool:
    return root.tag == f"{{{DXP}}}DxpMsg"


def unwrap(root: etree._Element) -> tuple[TransInfo, bytes, dict[str, str]]:
    """The transport info, the exact bytes carried and the business keys of a parsed ``DxpMsg``."""
    schemas.validate(root, "dxp.xsd")
    ns = {"d": DXP}
    info = TransInfo(
        message_id=root.findtext("d:TransInfo/d:CopMsgId", namespaces=ns) or "",
        sender=root.findtext("d:TransInfo/d:SenderId", namespaces=ns) or "",
        receivers=tuple(r.text or "" for r in root.findall("d:TransInfo/d:ReceiverIds/d:ReceiverId", namespaces=ns)),
        created=root.findtext("d:TransInfo/d:CreatTime", namespaces=ns) or "",
        msg_type=root.findtext("d:TransInfo/d:MsgType", namespaces=ns) or "",
    )
    try:
        data = base64.b64decode(root.findtext("d:Data", namespaces=ns) or "", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidMessage(ERRORS["not_base64"], code="schema", position={"path": "/DxpMsg/Data"}) from exc
    data = as_declared(unpack(data), root.find("d:AddInfo/d:IsText", namespaces=ns))
    keys = {k.get("name", ""): (k.text or "") for k in root.findall("d:AddInfo/d:BizKey/d:Key", namespaces=ns)}
    return info, data, keys


def as_declared(data: bytes, is_text: etree._Element | None) -> bytes:
    """``data`` in UTF-8 when ``AddInfo/IsText`` names its character set and the XML does not declare one.

    A document that declares its own encoding (or starts with a BOM) is left as it is: XML's
    declaration is the parser's to read; an unknown character set leaves the bytes untouched too.
    """
    encoding = (is_text.get("Encode") or "").strip() if is_text is not None else ""
    if not encoding or data.lstrip().startswith((b"<?xml", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return data
    try:
        return data.decode(encoding).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return data


def _bounded(stream: io.BufferedIOBase) -> bytes:
    data = stream.read(MAX_UNPACKED + 1)
    if len(data) > MAX_UNPACKED:
        raise InvalidMessage(ERRORS["unpacked_too_large"] % {"limit": MAX_UNPACKED}, code="too_large")
    return data


def unpack(data: bytes) -> bytes:
    """The business message a ``Data`` carries: as is, or unzipped (one-entry ZIP, or gzip), bounded in size."""
    try:
        if data.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                entries = [i for i in archive.infolist() if not i.is_dir()]
                if len(entries) != 1:
                    raise InvalidMessage(ERRORS["zip_entries"] % {"count": len(entries)}, code="schema")
                with archive.open(entries[0]) as member:
                    return _bounded(member)
        if data.startswith(b"\x1f\x8b"):
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as member:
                return _bounded(member)
    # what zipfile and gzip raise for damaged or hostile archives: a bad header or CRC, a truncated
    # stream, an encrypted member (RuntimeError), a compression method they lack (NotImplementedError)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise InvalidMessage(
            ERRORS["bad_zip"] % {"detail": exc}, code="schema", position={"path": "/DxpMsg/Data"}
        ) from exc
    return data
