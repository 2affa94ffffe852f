"""The answers the authority simulator writes: MT9999 receipts, WCO DM notifications, agency decisions.

Built by the simulator from the published structures (not copied from any sample), checked
against our schemas where we have one, so that the gateway reads exactly what an authority sends.
"""

from __future__ import annotations

from django.utils import timezone
from lxml import etree

from customs_gateway import schemas

# The manifest system's receipt codes for a trigger; "{f}" is the function code answered.
MT9999_CODE = {
    "accept": "1{f}000",
    "reject": "1{f}001",
    "review": "1{f}010",
    "inspect": "I0001",
    "inspected": "E0001",
    "hold": "H0001",
    "release": "R0001",
    "refuse": "F0001",
    "cancel": "C0001",
    "assess": "T0001",
}
MT9999_TEXT = {
    "accept": "接受申报 / accepted",
    "reject": "不接受申报 / not accepted",
    "review": "转人工审核 / sent to manual review",
    "inspect": "查验 / inspection ordered",
    "inspected": "查验完毕 / inspection completed",
    "hold": "扣留 / held",
    "release": "放行 / released",
    "refuse": "不予放行 / release refused",
    "cancel": "删除成功 / deleted",
    "assess": "税费核定 / duty assessed",
}
DMS_CODE = {
    "receive": "02",
    "accept": "01",
    "amend": "07",
    "reject": "03",
    "inspect": "05",
    "review": "06",
    "release": "09",
    "cancel": "10",
    "assess": "13",
    "hold": "14",
}
ITSW = "http://www.hmrc.gov.uk/webservices/itsw/ws/decisionnotification"


def _stamp() -> str:
    return timezone.now().strftime("%Y%m%d%H%M%S%f")[:17]


def _add(parent: etree._Element, name: str, text: str | None = None, ns: str = "") -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}" if ns else name)
    if text is not None:
        element.text = text
    return element


def mt9999(
    *,
    message_id: str,
    sender: str,
    receiver: str,
    function_code: str,
    voyage: str,
    vessel: str,
    trigger: str,
    bills: list[str],
    containers: list[str],
    reasons: list[tuple[str, str]] = (),
    overall: bool = True,
) -> bytes:
    """An MT9999 receipt answering ``trigger`` for every bill, and for every container when it concerns them.

    ``overall=False`` leaves out the message-level response type: an instruction for the
    named containers only.
    """
    code = MT9999_CODE[trigger].format(f=function_code if function_code in "90532" else "9")
    root = etree.Element("Manifest")
    head = _add(root, "Head")
    for name, value in (
        ("MessageID", message_id),
        ("FunctionCode", function_code or "9"),
        ("MessageType", "MT9999"),
        ("SenderID", sender),
        ("ReceiverID", receiver),
        ("SendTime", _stamp()),
        ("Version", "1.0"),
    ):
        _add(head, name, value)
    response = _add(root, "Response")
    means = _add(response, "BorderTransportMeans")
    _add(means, "JourneyID", voyage)
    if vessel:  # a flight is its number alone
        _add(means, "ID", vessel)
    text = "; ".join(t for _c, t in reasons) or MT9999_TEXT[trigger]
    for bill in bills:
        consignment = _add(response, "Consignment")
        _add(_add(consignment, "TransportContractDocument"), "ID", bill)
        kind = _add(consignment, "ResponseType")
        _add(kind, "Code", code)
        _add(kind, "Text", text)
    if trigger in ("inspect", "hold", "release", "refuse"):
        for number in containers:
            equipment = _add(response, "TransportEquipment")
            _add(_add(equipment, "EquipmentIdentification"), "ID", number)
            kind = _add(equipment, "ResponseType")
            _add(kind, "Code", code)
            _add(kind, "Text", MT9999_TEXT[trigger])
    if overall:
        summary = _add(response, "ResponseType")
        _add(summary, "Code", code)
        _add(summary, "Text", text)
    schemas.validate(root, "MT9999.xsd")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def dms(*, message_id: str, code: str, lrn: str, mrn: str, version: int, reasons: list[tuple[str, str]] = ()) -> bytes:
    """A WCO DM 3.6 RES notification as UK CDS sends them (function code ``code``)."""
    root = etree.Element("MetaData")
    _add(root, "WCODataModelVersionCode", "3.6")
    _add(root, "WCOTypeName", "RES")
    response = _add(root, "Response")
    _add(response, "FunctionCode", code)
    _add(response, "FunctionalReferenceID", message_id)
    issued = _add(_add(response, "IssueDateTime"), "DateTimeString", timezone.now().strftime("%Y%m%d%H%M%SZ"))
    issued.set("formatCode", "304")
    for validation, section in reasons:
        error = _add(response, "Error")
        _add(error, "ValidationCode", validation)
        _add(_add(error, "Pointer"), "DocumentSectionCode", section)
    declaration = _add(response, "Declaration")
    _add(declaration, "FunctionalReferenceID", lrn)
    if mrn:
        _add(declaration, "ID", mrn)
    _add(declaration, "VersionID", str(version))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def decision(
    *,
    message_id: str,
    agency: str,
    reference: str,
    version: int,
    number: int,
    checks: list[tuple[int, str, str, str]],
) -> bytes:
    """An inspection agency's decision notification: ``checks`` are (item, check code, decision code, reason)."""
    root = etree.Element(f"{{{ITSW}}}DecisionNotification", nsmap={None: ITSW})
    service = _add(root, "ServiceHeader", ns=ITSW)
    _add(service, "SourceSystem", agency, ITSW)
    _add(service, "DestinationSystem", "LOGIHUB", ITSW)
    _add(service, "CorrelationId", message_id, ITSW)
    _add(service, "ServiceCallTimestamp", timezone.now().strftime("%Y-%m-%dT%H:%M:%S.000"), ITSW)
    header = _add(root, "Header", ns=ITSW)
    _add(header, "EntryReference", reference, ITSW)
    _add(header, "EntryVersionNumber", str(version), ITSW)
    _add(header, "DecisionNumber", str(number), ITSW)
    for item_number, check_code, decision_code, reason in checks:
        item = _add(root, "Item", ns=ITSW)
        _add(item, "ItemNumber", str(item_number), ITSW)
        check = _add(item, "Check", ns=ITSW)
        _add(check, "CheckCode", check_code, ITSW)
        _add(check, "DecisionCode", decision_code, ITSW)
        if reason:
            _add(check, "DecisionReason", reason, ITSW)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def dxp_rep(*, receiver: str, message_id: str, sender: str) -> bytes:
    """The transport layer's acknowledgement (a ``DxpRep``): the node received the envelope."""
    dxp = "http://www.chinaport.gov.cn/dxp"
    root = etree.Element(f"{{{dxp}}}DxpRep", {"ver": "1.0"}, nsmap={"dxp": dxp})
    _add(root, "RecevierId", receiver[:16], dxp)
    response = _add(root, "Response", ns=dxp)
    _add(response, "NodeId", sender[:8], dxp)
    _add(response, "ResponseCode", "0", dxp)
    _add(response, "ResponseInfo", "received", dxp)
    _add(response, "NoticeTime", timezone.now().date().isoformat(), dxp)
    _add(_add(response, "OriHead", ns=dxp), "CopMsgId", message_id, dxp)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
