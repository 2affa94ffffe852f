"""The EU answers: NCTS phase 5 (transit) and ICS (entry summary) messages, by tables of their types.

    >>> interpret_eu(root)      # -> list[Answer]; [] for a document that is no EU answer

NCTS answers the declarant's CC015C with CC928C (positive acknowledgement), CC028C (MRN
allocated), CC056C (rejection, with functional errors and what it refused: the declaration, an
amendment or an invalidation request), CC060C (control decision: a control, or
documents requested), CC029C (released for transit), CC051C (no release), CC009C (cancellation
decided), CC004C (amendment accepted) and the NACKs CC906C/CC917C; at destination CC057C
(rejection), CC043C (unloading permission) and CC025C (goods released). They all open with the same
header (``messageSender`` ... ``messageType``) and carry the trader's LRN and the MRN under
``TransitOperation``. ICS answers a CC315A entry summary with CC328A (registered, MRN), CC316A
(rejected), CC304A/CC305A (amendment accepted/rejected), CC351A (advance intervention: do not
load), and HMRC's synchronous ``SuccessResponse``/``ErrorResponse``. ICS2 answers a filing
(IE3Fxx) with IE3R01 (registered, MRN), its notifications IE3Nxx (errors, controls, referrals,
assessment complete) and requests IE3Qxx (do not load, more information, screening).
Each family's codes are a table here: a new message type is a row, not code.
"""

from __future__ import annotations

import re

from lxml import etree

from customs_gateway.records import kid, kids, local, text
from customs_gateway.responses import Answer

# NCTS message type -> (the gateway's trigger, canonical customsEventTypeCode).
NCTS_ANSWERS: dict[str, tuple[str, str]] = {
    "CC928C": ("receive", "RCVD"),  # positive acknowledgement
    "CC028C": ("accept", "ACPT"),  # MRN allocated
    "CC004C": ("accept", "AMND"),  # amendment acceptance
    "CC056C": ("reject", "RJCT"),  # rejection from office of departure
    "CC906C": ("reject", "RJCT"),  # functional NACK
    "CC917C": ("reject", "RJCT"),  # XML NACK
    "CC060C": ("inspect", "INSP"),  # control decision notification (DOCR when only documents are asked for)
    "CC029C": ("release", "RLSD"),  # release for transit
    "CC051C": ("refuse", "REFU"),  # no release for transit
    "CC009C": ("cancel", "CNCL"),  # invalidation decision (RJCT when it refuses the request)
    "CC055C": ("reject", "RJCT"),  # guarantee not valid
    "CC057C": ("reject", "RJCT"),  # rejection from office of destination
    "CC043C": ("accept", "ACPT"),  # unloading permission at destination
    "CC025C": ("release", "RLSD"),  # goods release notification at destination
}

# ICS message type -> (trigger, customsEventTypeCode).
ICS_ANSWERS: dict[str, tuple[str, str]] = {
    "CC328A": ("accept", "ACPT"),  # entry summary declaration registered (MRN)
    "CC316A": ("reject", "RJCT"),  # entry summary declaration rejected
    "CC304A": ("accept", "AMND"),  # amendment accepted
    "CC305A": ("reject", "RJCT"),  # amendment rejected
    "CC351A": ("hold", "HOLD"),  # advance intervention notification (do not load)
    "SuccessResponse": ("receive", "RCVD"),  # HMRC: the submission was received
    "ErrorResponse": ("reject", "RJCT"),  # HMRC: the submission was refused
}

# ICS2 (the new Import Control System, namespace urn:wco:datamodel:eu:ics2:2): what customs sends the
# person filing an entry summary (IE3Fxx) and the carrier -> (trigger, customsEventTypeCode); ("", "")
# for a notice that decides nothing about the filing.
ICS2_ANSWERS: dict[str, tuple[str, str]] = {
    "IE3R01": ("accept", "ACPT"),  # ENS registration response: the MRN
    "IE3N03": ("accept", "ACPT"),  # assessment complete: no action required
    "IE3N10": ("accept", "AMND"),  # amendment notification
    "IE3R07": ("cancel", "CNCL"),  # invalidation acceptance
    "IE3N01": ("reject", "RJCT"),  # ENS lifecycle validation error
    "IE3N07": ("reject", "RJCT"),  # ENS in incorrect state
    "IE3N99": ("reject", "RJCT"),  # error notification
    "IE3N02": ("review", "DOCR"),  # ENS not complete
    "IE3Q02": ("review", "DOCR"),  # additional information request
    "IE3N04": ("review", "DOCR"),  # additional information request notification
    "IE3Q03": ("inspect", "INSP"),  # high risk cargo and mail screening request
    "IE3N05": ("inspect", "INSP"),  # screening request notification
    "IE3N08": ("inspect", "INSP"),  # control notification
    "IE3N09": ("inspect", "INSP"),  # AEO control notification
    "IE3Q01": ("hold", "HOLD"),  # do not load request
    "IE3N06": ("", ""),  # arrival notification
    "IE3N11": ("", ""),  # ENS pending
    "IE3R04": ("", ""),  # arrival registration responses
    "IE3R05": ("", ""),
    "IE3R06": ("", ""),
    "IE3R08": ("", ""),  # consultation results
}
# When an ICS2 answer was issued, and which office or member state it names (first found).
ICS2_ISSUED = ("registrationDate", "notificationDate", "invalidationDate", "documentIssueDate")
ICS2_OFFICES = (
    ("customsOfficeOfFirstEntry", "referenceNumber"),
    ("customsOfficeOfControl", "referenceNumber"),
    ("responsibleMemberState", "country"),
    ("addressedMemberState", "country"),
)

# Where each reason sits: (element, code child, text children).
NCTS_REASONS = (
    ("FunctionalError", "errorCode", ("errorReason", "errorPointer")),
    ("XMLError", "errorCode", ("errorText", "errorPointer")),  # CC917C: the XML errors
    ("TypeOfControls", "type", ("text",)),
    ("RequestedDocument", "documentType", ("description",)),
)
ICS_REASONS = (("FUNERRER1", "ErrTypER11", ("ErrPoiER12", "ErrReaER13")),)

# Where an NCTS answer names the declaration: TransitOperation, or the NACKs' (CC906C, CC917C) Header.
NCTS_OPERATION = ("TransitOperation", "Header")
# The office that answered: of departure, or at destination (CC025C, CC043C, CC057C), else the sender.
NCTS_OFFICES = (
    ("CustomsOfficeOfDeparture", "referenceNumber"),
    ("CustomsOfficeOfDestinationActual", "referenceNumber"),
)
# When the office decided, where the answer says it (else when it prepared the message).
NCTS_DECIDED = ("rejectionDateAndTime", "controlNotificationDateAndTime")
# What a rejection (CC056C at departure, CC057C at destination) refused, by its businessRejectionType:
# the code lists CL560 (departure) and CL570 (destination) name the refused message by its number.
NCTS_REJECTED: dict[str, str] = {
    "015": "the declaration (CC015C)",
    "013": "an amendment of the declaration (CC013C)",
    "014": "an invalidation request (CC014C)",
    "170": "a presentation notification (CC170C)",
    "007": "an arrival notification (CC007C)",
    "044": "the unloading remarks (CC044C)",
}
# CC009C's Invalidation/decision: 1 (or customs' own invalidation) invalidates the declaration, CNCL;
# 0 refuses the holder's invalidation request: the request is rejected, the declaration stands.
NCTS_INVALIDATION_REFUSED = ("reject", "RJCT")


def _reason(element: etree._Element, code: str, texts: tuple[str, ...]) -> dict:
    words = " ".join(text(element, name) for name in texts if text(element, name))
    return {k: v for k, v in (("code", text(element, code)[:35]), ("text", words[:512])) if v}


def _rejected(operation: etree._Element | None) -> dict:
    """The reason saying what a rejection refused (its businessRejectionType), {} when it does not say."""
    code = text(operation, "businessRejectionType") if operation is not None else ""
    if not code:
        return {}
    what = NCTS_REJECTED.get(code, f"message CC{code}C")
    return {"code": code[:35], "text": f"rejected: {what}"}


def _ncts_decision(root: etree._Element, message_type: str, operation: etree._Element | None) -> tuple:
    """(trigger, event code, reasons) of an NCTS answer: its type's row, then what its content says."""
    trigger, code = NCTS_ANSWERS[message_type]
    reasons = [_reason(e, c, t) for name, c, t in NCTS_REASONS for e in kids(root, name)]
    reasons.insert(0, _rejected(operation))  # after the rejection code, before the functional errors
    for code_name, text_name in (
        ("rejectionCode", "rejectionReason"),
        ("noReleaseMotivationCode", "noReleaseMotivationText"),
    ):
        found = _reason(operation, code_name, (text_name,)) if operation is not None else {}
        if found:
            reasons.insert(0, found)
    if message_type == "CC060C" and kids(root, "RequestedDocument") and not kids(root, "TypeOfControls"):
        trigger, code = "review", "DOCR"
    invalidation = kid(root, "Invalidation")
    if invalidation is not None:
        reasons.insert(0, _reason(invalidation, "decision", ("justification",)))
        if text(invalidation, "decision") == "0":
            trigger, code = NCTS_INVALIDATION_REFUSED
    return trigger, code, [r for r in reasons if r]


def _ncts(root: etree._Element, message_type: str) -> Answer:
    operation = next((found for name in NCTS_OPERATION if (found := kid(root, name)) is not None), None)
    trigger, code, reasons = _ncts_decision(root, message_type, operation)
    decided = [text(operation, name) for name in NCTS_DECIDED] + [text(root, "Invalidation", "decisionDateAndTime")]
    return Answer(
        family="NCTS",
        trigger=trigger,
        event_code=code,
        reasons=reasons,
        message_id=text(root, "messageIdentification"),
        business_reference=text(operation, "LRN"),
        registration_number=text(operation, "MRN"),
        issued=next((t for t in decided if t), text(root, "preparationDateAndTime")),
        authority=next((text(root, *path) for path in NCTS_OFFICES if text(root, *path)), text(root, "messageSender")),
    )


def _ics(root: etree._Element, message_type: str) -> Answer:
    trigger, code = ICS_ANSWERS[message_type]
    header = kid(root, "HEAHEA")
    date, time = text(root, "DatOfPreMES9"), text(root, "TimOfPreMES10")
    return Answer(
        family="ICS",
        trigger=trigger,
        event_code=code,
        reasons=[r for name, c, t in ICS_REASONS for e in kids(root, name) if (r := _reason(e, c, t))],
        message_id=text(root, "MesIdeMES19"),
        business_reference=text(header, "RefNumHEA4"),
        registration_number=text(header, "DocNumHEA5"),
        issued=f"{date}{time}" if date else "",
        authority=text(root, "CUSOFFFENT730", "RefNumCUSOFFFENT731") or text(root, "MesSenMES3"),
    )


def _hmrc(root: etree._Element, name: str) -> Answer:
    trigger, code = ICS_ANSWERS[name]
    reasons = [_reason(e, "Number", ("Text", "Location")) for e in kids(root, "Error")]
    return Answer(
        family="ICS",
        trigger=trigger,
        event_code=code,
        reasons=[r for r in reasons if r],
        message_id=text(root, "ResponseData", "CorrelationId"),
        authority=text(root, "Error", "RaisedBy") or "HMRC",
    )


def _ics2(root: etree._Element, name: str) -> Answer:
    trigger, code = ICS2_ANSWERS[name]
    issued = next((text(root, n, "DateTime") for n in ICS2_ISSUED if text(root, n, "DateTime")), "")
    reasons = [_reason(e, "validationCode", ("description",)) for e in kids(root, "error")]
    reasons += [_reason(e, "requestType", ("referralRequestReference",)) for e in kids(root, "referralRequestDetails")]
    documents = [
        ("TRD", (e.text or "").strip())
        for e in root.iter()
        if local(e) == "documentNumber"
        and local(e.getparent()).startswith("transportDocument")
        and (e.text or "").strip()
    ]
    mrn, lrn = text(root, "MRN"), text(root, "LRN")
    return Answer(
        family="ICS2",
        trigger=trigger,
        event_code=code,
        reasons=[r for r in reasons if r],
        message_id=f"{name}:{mrn or lrn}:{issued}",
        business_reference=lrn,
        registration_number=mrn,
        issued=issued,
        authority=next((text(root, *path) for path in ICS2_OFFICES if text(root, *path)), ""),
        references=documents,
    )


def interpret_eu(root: etree._Element) -> list[Answer]:
    """The NCTS or ICS answer ``root`` carries, or [] when it is none of them."""
    name = local(root)
    message_type = text(root, "messageType") or text(root, "MesTypMES20") or name
    if re.fullmatch(r"CC\d{3}C", name) and message_type in NCTS_ANSWERS:
        return [_ncts(root, message_type)]
    if re.fullmatch(r"CC\d{3}A", name) and message_type in ICS_ANSWERS:
        return [_ics(root, message_type)]
    if name in ("SuccessResponse", "ErrorResponse"):
        return [_hmrc(root, name)]
    if name in ICS2_ANSWERS:
        return [_ics2(root, name)]
    return []
