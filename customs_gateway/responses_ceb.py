"""The GACC cross-border e-commerce receipts (202205 edition), by tables of their codes.

    >>> interpret_ceb(root)      # -> list[Answer], one per returned record or tax bill

Every receipt (CEB312, CEB622 ... and the format-check receipt CEB900) returns records
(``*Return``) with a ``returnStatus`` the published schema lists: 1 stored at the e-port, 2
declaring, 3 sent to customs, 4 sending failed, 100 returned by customs, 120 registered, 300
manual review, 399 concluded, 500 inspection, 501-503 and 599 detention, 700 returned
(re-export), 800 released, 899 cleared; below 0 a processing exception. A cancellation application's
receipt (CEB624, CEB606) concluded (399) is the inventory's cancellation. The export refund
receipt (CEB214, ``RefundReturn``) lists two more: 505 handed over (移交) and 600 suspended (挂起). The electronic tax bill
CEB816 and its status CEB818 carry ``Tax`` records instead (status 1 generated, 2 summarised, 3
voided); a tax bill of the 2018 edition also names the order and the carrier's waybill, read as a
receipt's are. A new code is a row, not code.
"""

from __future__ import annotations

import re

from lxml import etree

from customs_gateway.records import kid, kids, local, text
from customs_gateway.responses import Answer

# CEB receipts' returnStatus (cross-border e-commerce, 202205).
CEB_STATUS: dict[str, str] = {
    "1": "",
    "2": "receive",
    "3": "receive",
    "4": "reject",
    "100": "reject",
    "120": "accept",
    "300": "review",
    "399": "accept",
    "500": "inspect",
    "501": "hold",
    "502": "hold",
    "503": "hold",
    "505": "hold",  # handed over (移交, export refund receipt): taken from clearance to another department
    "599": "hold",  # other detention (其它扣留)
    "600": "hold",  # suspended (挂起, export refund receipt)
    "700": "refuse",  # returned (退运): the goods go back, release refused
    "800": "release",
    "899": "release",
}

# The other numbers a returned record names (documentReferenceType, child): the customs inventory and
# summary numbers, the payment's transaction number (payment receipt CEB412, which names no order), the
# warehousing-entry number customs gives a delivery (CEB712), the carrier's waybill and the bill
# (logistics, arrival, waybill receipts), the order.
CEB_REFERENCES = (("DEC", "invtNo"), ("DEC", "sumNo"), ("DEC", "payTransactionId"), ("DEC", "rkdNo"))
CEB_REFERENCES += (("TRD", "logisticsNo"), ("TRD", "billNo"), ("CTR", "orderNo"))
# The receipts of the inventory cancellation applications (CEB623 import, CEB605 export): their conclusion
# (399 审结: "撤单申请审核通过,清单已成功撤单") is the inventory's cancellation, not its acceptance.
CEB_CANCELLATION_RECEIPTS = frozenset({"CEB624", "CEB606"})
CEB_CANCELLATION_DONE = frozenset({"399", "800", "899"})
# A returnStatus below 0 is the e-port's processing-exception receipt (the message failed its checks).
CEB_EXCEPTION = re.compile(r"-\d+")
# CEB816 electronic tax bill and CEB818 its status: 1 generated (duty assessed), 2 summarised, 3 voided.
CEB_TAX_STATUS: dict[str, str] = {"1": "assess", "2": "", "3": ""}
CEB_TAXES = ("customsTax", "valueAddedTax", "consumptionTax")


def ceb_trigger(status: str) -> str:
    """The gateway's trigger for a CEB ``returnStatus`` ("" for one that decides nothing)."""
    if status in CEB_STATUS:
        return CEB_STATUS[status]
    return "reject" if CEB_EXCEPTION.fullmatch(status) else ""


def _ceb_tax(root: etree._Element) -> list[Answer]:
    answers = []
    for tax in kids(root, "Tax"):
        head = kid(tax, "TaxHeadRd")
        head = head if head is not None else kid(tax, "TaxHeadStatus")
        status = text(head, "status")
        reasons = [{"code": name, "text": text(head, name)} for name in CEB_TAXES if text(head, name)]
        answers.append(
            Answer(
                family=local(root),
                trigger=CEB_TAX_STATUS.get(status, ""),
                status_code=status,
                reasons=[{"code": "taxNo", "text": text(head, "taxNo")}, *reasons],
                message_id=f"{text(head, 'guid')}:{text(head, 'taxNo')}:{status}",
                references=[(kind, text(head, name)) for kind, name in CEB_REFERENCES if text(head, name)],
                business_reference=text(head, "invtNo"),
                issued=text(head, "returnTime"),
                authority=text(head, "customsCode"),
            )
        )
    return answers


def interpret_ceb(root: etree._Element) -> list[Answer]:
    """One answer per returned record (or per tax bill) of a CEB receipt."""
    if kids(root, "Tax"):
        return _ceb_tax(root)
    answers = []
    cancellation = local(root).removesuffix("Message") in CEB_CANCELLATION_RECEIPTS
    for ret in [child for child in root if local(child).endswith("Return")]:
        status = text(ret, "returnStatus")
        answers.append(
            Answer(
                family=local(root),
                trigger="cancel" if cancellation and status in CEB_CANCELLATION_DONE else ceb_trigger(status),
                status_code=status,
                reasons=[{"code": status, "text": text(ret, "returnInfo")}],
                message_id=f"{text(ret, 'guid')}:{status}:{text(ret, 'returnTime')}",
                answers_message_id=text(ret, "oriCopMsgId"),  # CEB900: the message that failed its checks
                references=[(kind, text(ret, name)) for kind, name in CEB_REFERENCES if text(ret, name)],
                business_reference=text(ret, "copNo") or text(ret, "coElNo") or text(ret, "orderNo"),
                registration_number=text(ret, "preNo") or text(ret, "invtNo"),
                issued=text(ret, "returnTime"),
                authority=text(ret, "customsCode"),
            )
        )
    return answers
