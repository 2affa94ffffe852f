"""Reading the authority's and the agencies' answers into one shape, by tables of their codes.

    >>> answers = interpret(root)      # -> list[Answer]; [] for an answer type the gateway ignores

Four families: the manifest system's MT9999 receipt (a code per message, per bill and per
container), WCO Data Model notifications as UK CDS sends them (function codes 01..17), the
cross-border e-commerce receipts (:mod:`customs_gateway.responses_ceb`) and an inspection agency's
decision notification (per item, per check: C = cleared, H = hold, N = refused, X = no match).
Each family's codes are a table here: a new code is a row, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from customs_gateway.records import AIR_TYPE, kid, kids, local, text

# MT9999 response codes: five digits, the second the function code answered; the last three
# say the outcome (000 accepted, 001-009 refused, 010-019 sent to manual review, as the manifest
# system's receipt guides list them). The I/H/R/F/C codes are the instruction notices the
# authority simulator sends for inspection, hold, release, refusal and cancellation.
MT9999_CODES: list[tuple[str, str]] = [
    (r"^\d\d000$", "accept"),
    (r"^\d\d00[1-9]$", "reject"),
    (r"^\d\d01\d$", "review"),
    (r"^I\d{4}$", "inspect"),
    (r"^E\d{4}$", "inspected"),
    (r"^H\d{4}$", "hold"),
    (r"^R\d{4}$", "release"),
    (r"^F\d{4}$", "refuse"),
    (r"^C\d{4}$", "cancel"),
    (r"^T\d{4}$", "assess"),
    # the two-digit receipt type the authority writes on a bill (the detail code opens the text:
    # "01" / "21301 预配舱单主要数据传输成功"): 01 accepted (海关接受申报), 02 awaiting manual review
    # (传输待人工审核), 03 returned (不允许传输，退单); and its instructions on a bill or container:
    # 11 released (提运单放行), 12 refused loading (拒装), 13 forbidden to discharge (禁卸)
    (r"^01$", "accept"),
    (r"^02$", "review"),
    (r"^03$", "reject"),
    (r"^11$", "release"),
    (r"^1[23]$", "hold"),
]
#: which of its bills' answers a receipt without an answer of its own gives (after "all refused" and "any
#: accepted"): a bill held keeps the manifest from being released, and some bills refused refuse it only
#: when no other bill says anything else (a code no table knows included)
BILL_TRIGGER_ORDER = ("hold", "refuse", "inspect", "review", "release", "receive", "", "reject")

# WCO DM notification function codes as HMRC documents them for UK CDS: the gateway's trigger
# and the canonical customsEventTypeCode ("" where the notification is no customs decision).
DMS_FUNCTION: dict[str, tuple[str, str]] = {
    "01": ("accept", "ACPT"),  # accepted
    "02": ("receive", "RCVD"),  # received
    "03": ("reject", "RJCT"),  # rejected
    "05": ("inspect", "INSP"),  # undergoing physical check
    "06": ("review", "DOCR"),  # additional documents required
    "07": ("accept", "AMND"),  # amendment accepted
    "08": ("", ""),  # goods arrived
    "09": ("release", "RLSD"),  # cleared
    "10": ("cancel", "CNCL"),  # invalidated
    "11": ("review", "DOCR"),  # query raised
    "13": ("assess", "TAXA"),  # tax liability
    "14": ("hold", "HOLD"),  # insufficient balance
    "15": ("review", "DOCR"),  # customs position (pre-lodged)
    "16": ("close", ""),  # goods exited: the declaration's life is over
    "17": ("", ""),  # general response
}

# Inspection agency decision codes by their first letter.
AGENCY_DECISION: dict[str, str] = {"C": "released", "H": "held", "N": "refused", "X": "held", "E": "held"}


@dataclass
class ItemAnswer:
    """An answer about one bill or one container."""

    number: str
    trigger: str
    code: str
    text: str
    house_number: str = ""  # a bill's house bill (AssociatedTransportDocument), when the answer is about one


@dataclass
class CheckDecision:
    item_number: int
    check_code: str
    decision_code: str
    state: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class Answer:
    """One business answer, keyed message id -> business reference -> version."""

    family: str
    trigger: str
    reasons: list[dict] = field(default_factory=list)
    answers_message_id: str = ""
    business_reference: str = ""
    registration_number: str = ""
    version: int | None = None
    voyage: str = ""
    bills: list[ItemAnswer] = field(default_factory=list)
    containers: list[ItemAnswer] = field(default_factory=list)
    agency: str = ""
    decision_number: int = 0
    checks: list[CheckDecision] = field(default_factory=list)
    message_id: str = ""
    issued: str = ""  # when the authority issued it, as written (the translation layer reads the zone)
    authority: str = ""  # the office or system that answered, where the document names it
    event_code: str = ""  # the canonical customsEventTypeCode when the family's code says more than the trigger
    status_code: str = ""  # the family's own code for this answer (DMS function code, CEB returnStatus)
    references: list[tuple[str, str]] = field(default_factory=list)  # further (documentReferenceType, number)

    @property
    def customs_event(self) -> str:
        """The canonical ``customsEventTypeCode`` of this answer ("" when it is no customs decision)."""
        return self.event_code or TRIGGER_EVENT.get(self.trigger, "")


def mt9999_trigger(code: str) -> str:
    for pattern, trigger in MT9999_CODES:
        if re.match(pattern, code):
            return trigger
    return ""


def _answered_manifest(message_type: str, response: etree._Element | None) -> list[tuple[str, str]]:
    """The manifest (MAN) a receipt answers, as its lodgement names it (``MT2101-UN9321483-047E``).

    Known only when the receipt's head names the type it answers; an air type's is its flight alone.
    """
    if message_type == "MT9999" or not re.fullmatch(r"MT(\d{4}|ECIM|ECEX)", message_type):
        return []
    voyage = text(response, "BorderTransportMeans", "JourneyID")
    vessel = "" if AIR_TYPE.match(message_type) else text(response, "BorderTransportMeans", "ID")
    return [("MAN", "-".join(part for part in (message_type, vessel, voyage) if part)[:70])]


def _mt9999(root: etree._Element) -> Answer:
    head, response = kid(root, "Head"), kid(root, "Response")
    overall = kid(response, "ResponseType")
    answer = Answer(
        family="MT9999",
        trigger="",
        message_id=text(head, "MessageID"),
        voyage=text(response, "BorderTransportMeans", "JourneyID"),
        issued=text(head, "SendTime"),
        authority=text(head, "SenderID"),
    )
    answer.references = _answered_manifest(text(head, "MessageType"), response)
    for consignment in kids(response, "Consignment"):
        code = text(consignment, "ResponseType", "Code")
        number = text(consignment, "TransportContractDocument", "ID")
        said = text(consignment, "ResponseType", "Text")
        house = text(consignment, "AssociatedTransportDocument", "ID")
        answer.bills.append(ItemAnswer(number, mt9999_trigger(code), code, said, house_number=house))
    for equipment in kids(response, "TransportEquipment"):
        code = text(equipment, "ResponseType", "Code")
        number = text(equipment, "EquipmentIdentification", "ID")
        answer.containers.append(
            ItemAnswer(number, mt9999_trigger(code), code, text(equipment, "ResponseType", "Text"))
        )
    if overall is not None:
        answer.trigger = mt9999_trigger(text(overall, "Code"))
        answer.reasons = [{"code": text(overall, "Code"), "text": text(overall, "Text")}]
    elif answer.bills:
        triggers = {b.trigger for b in answer.bills}
        ordered = sorted(triggers, key=lambda t: BILL_TRIGGER_ORDER.index(t) if t in BILL_TRIGGER_ORDER else 99)
        answer.trigger = "reject" if triggers == {"reject"} else ("accept" if "accept" in triggers else ordered[0])
        answer.reasons = [{"code": b.code, "text": b.text} for b in answer.bills if b.trigger != "accept"][:20]
    return answer


# Where a DMS notification says why: (element, code child, text child); the pointers follow the text.
# Errors (03 rejected), the statements of 06/11/14/15/17 (documents, query, balance, position) and the
# amendments customs applied (07).
DMS_REASONS = (
    ("Error", "ValidationCode", "Description"),
    ("AdditionalInformation", "StatementCode", "StatementDescription"),
    ("Amendment", "ChangeReasonCode", ""),
)
# The duty a tax liability (13) or a payment reminder (15) names: Declaration/DutyTaxFee/Payment/<amount>.
DMS_AMOUNTS = ("TaxAssessedAmount", "PaymentAmount")


def _dms_reasons(response: etree._Element) -> list[dict]:
    reasons = []
    for name, code, words in DMS_REASONS:
        for element in kids(response, name):
            pointers = "/".join(text(p, "DocumentSectionCode") for p in kids(element, "Pointer"))
            said = " ".join(part for part in (text(element, words) if words else "", pointers) if part)
            reasons.append({k: v for k, v in (("code", text(element, code)), ("text", said)) if v})
    for duty in kids(kid(response, "Declaration"), "DutyTaxFee"):
        for name in DMS_AMOUNTS:
            amount = kid(duty, "Payment", name)
            if amount is not None and text(amount):
                reasons.append({"code": name, "text": f"{text(amount)} {amount.get('currencyID', '')}".strip()})
    return [reason for reason in reasons if reason]


def _dms(root: etree._Element, response: etree._Element) -> Answer:
    declaration = kid(response, "Declaration")
    reasons = _dms_reasons(response)
    version = text(declaration, "VersionID")
    function = text(response, "FunctionCode")
    trigger, event_code = DMS_FUNCTION.get(function, ("", ""))
    return Answer(
        family="WCO-RES",
        trigger=trigger,
        event_code=event_code,
        status_code=function,
        issued=text(response, "IssueDateTime", "DateTimeString"),
        authority=text(root, "ResponsibleAgencyName") or text(root, "ResponsibleCountryCode"),
        reasons=reasons,
        message_id=text(response, "FunctionalReferenceID"),
        business_reference=text(declaration, "FunctionalReferenceID"),
        registration_number=text(declaration, "ID"),
        version=_int(version) or None,
    )


def _int(value: str) -> int:
    return int(value) if value.isascii() and value.isdigit() else 0


def _decision(root: etree._Element) -> Answer:
    header = kid(root, "Header")
    answer = Answer(
        family="AgencyDecision",
        trigger="agency",
        agency=text(root, "ServiceHeader", "SourceSystem"),
        authority=text(root, "ServiceHeader", "SourceSystem"),
        issued=text(root, "ServiceHeader", "ServiceCallTimestamp"),
        message_id=text(root, "ServiceHeader", "CorrelationId"),
        business_reference=text(header, "EntryReference"),
        version=_int(text(header, "EntryVersionNumber")) or None,
        decision_number=_int(text(header, "DecisionNumber")),
    )
    for item in kids(root, "Item"):
        for check in kids(item, "Check"):
            code = text(check, "DecisionCode")
            answer.checks.append(
                CheckDecision(
                    item_number=_int(text(item, "ItemNumber")),
                    check_code=text(check, "CheckCode"),
                    decision_code=code,
                    state=AGENCY_DECISION.get(code[:1], "held"),
                    reasons=[(r.text or "").strip() for r in kids(check, "DecisionReason")],
                )
            )
    return answer


def _decision_element(root: etree._Element) -> etree._Element | None:
    """The DecisionNotification that has a Header (SOAP wraps one inside another)."""
    for element in root.iter():
        if (
            isinstance(element.tag, str)
            and local(element) == "DecisionNotification"
            and kid(element, "Header") is not None
        ):
            return element
    return None


def _is_receipt(root: etree._Element) -> bool:
    """An MT9999 receipt: it says so, or it answers another type with the receipt's body (Manifest_Response).

    The authority's receipt repeats the type it answers in its head (``MT2101``, ``MT4101`` ...);
    its body is a ``Response`` naming the ship or flight, unlike a transfer check's answer, whose
    ``Response`` holds the import and export sides.
    """
    return text(root, "Head", "MessageType") == "MT9999" or kid(root, "Response", "BorderTransportMeans") is not None


def interpret(root: etree._Element) -> list[Answer]:
    """Every business answer a response document carries; raises nothing for unknown types ([])."""
    name = local(root)
    if name == "Manifest" and _is_receipt(root):
        return [_mt9999(root)]
    if name == "MetaData" and text(root, "WCOTypeName") == "RES":  # one or more notifications
        return [_dms(root, response) for response in kids(root, "Response")]
    if re.match(r"^CEB\d{3}(Message)?$", name):  # some senders drop the "Message" of the root's name
        from customs_gateway.responses_ceb import interpret_ceb

        return interpret_ceb(root)
    if name in ("DEC_RESULT", "DecImportResponse"):  # a China customs declaration's receipts
        from customs_gateway.responses_dec import interpret_dec

        return interpret_dec(root)
    decision = _decision_element(root)
    if decision is not None:
        return [_decision(decision)]
    from customs_gateway.responses_eu import interpret_eu  # NCTS and ICS answers

    return interpret_eu(root)


# Canonical CUSTOMS event codes (as the translation layer maps CUSRES) -> the gateway's triggers,
# and back: the event code of an answer whose family's code says no more than its trigger.
EVENT_TRIGGER: dict[str, str] = {
    "RCVD": "receive",
    "ACPT": "accept",
    "AMND": "accept",
    "RJCT": "reject",
    "DOCR": "review",
    "INSP": "inspect",
    "HOLD": "hold",
    "TAXA": "assess",
    "RLSD": "release",
    "REFU": "refuse",
    "CNCL": "cancel",
}


TRIGGER_EVENT: dict[str, str] = {
    "receive": "RCVD",
    "accept": "ACPT",
    "reject": "RJCT",
    "review": "DOCR",
    "inspect": "INSP",
    "hold": "HOLD",
    "assess": "TAXA",
    "release": "RLSD",
    "refuse": "REFU",
    "cancel": "CNCL",
}


def from_events(events: list[dict]) -> list[Answer]:
    """Answers from canonical CUSTOMS events (one per decision and declaration; containers folded in)."""
    answers: dict[tuple[str, str], Answer] = {}
    for event in events:
        code = event.get("customsEventTypeCode") or ""
        if event.get("eventType") != "CUSTOMS" or code not in EVENT_TRIGGER:
            continue
        refs = [
            r["documentReferenceValue"]
            for r in event.get("documentReferences") or ()
            if r.get("documentReferenceType") in ("DEC", "MAN")
        ]
        key = (code, refs[0] if refs else "")
        answer = answers.get(key)
        if answer is None:
            source = event.get("source") or {}
            answer = answers[key] = Answer(
                family="CUSRES",
                trigger=EVENT_TRIGGER[code],
                reasons=list(event.get("reasons") or []),
                message_id=str(source.get("messageReference") or ""),
                business_reference=refs[0] if refs else "",
                registration_number=refs[1] if len(refs) > 1 else "",
            )
        if event.get("equipmentReference"):
            answer.containers.append(ItemAnswer(event["equipmentReference"], answer.trigger, code, ""))
    return list(answers.values())
