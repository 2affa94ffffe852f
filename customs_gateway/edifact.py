"""Declarations and manifests as EDIFACT (CUSDEC, CUSCAR) in and out, and CUSRES answers, through the translation layer.

    >>> sub = read_submission(body)                  # a broker's CUSDEC or a carrier's CUSCAR -> Submission
    >>> body = build(declaration, control_reference) # the current version as CUSDEC/CUSCAR D.96B, directory-checked
    >>> results = receive_cusres(body, sender="CNCUSTOMS")   # an authority's CUSRES -> the state machine

Reading goes through :func:`edi.translate.translate_edifact` (syntax, directory, mapping to
canonical CUSTOMS events); writing through :func:`edi.emit.emit` from canonical events built from
the declaration's records, then :func:`edi.validate.validate_interchange`. An authority speaks
EDIFACT or XML by its transport's ``message_format`` (``CUSTOMS_MESSAGE_FORMAT`` for the HTTP
transport): EDIFACT goes unsigned and without the DXP envelope, authenticated by that channel
(ISO 9735 security segments are not written).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from customs_gateway.choices import DeclarationKind
from customs_gateway.exceptions import ERRORS, InvalidMessage
from customs_gateway.records import AIR_TYPE, BillRecord, Submission
from edi.exceptions import EdiError

EDIFACT_TYPES = {"CUSDEC": DeclarationKind.DECLARATION, "CUSCAR": DeclarationKind.MANIFEST}
MESSAGE_TYPE = {DeclarationKind.DECLARATION: "CUSDEC", DeclarationKind.MANIFEST: "CUSCAR"}
#: BGM 1225 message function -> the gateway's function code (9 new, 5 amendment, 3 cancellation), and back.
FUNCTION_IN = {"9": "9", "": "9", "5": "5", "4": "5", "1": "3", "3": "3", "50": "3"}  # 50 withdrawal
FUNCTION_OUT = {"9": "9", "5": "5", "3": "1"}


def is_edifact(body: bytes) -> bool:
    """True when ``body`` is an EDIFACT interchange (UNA/UNB, with or without a BOM)."""
    from edi.detect import detect

    try:
        return detect(bytes(body[:65536])).format == "edifact"
    except EdiError:
        return False


def message_format(transport: Any) -> str:
    """What the authority behind ``transport`` speaks: ``xml`` (the default) or ``edifact``."""
    return getattr(transport, "message_format", "xml") or "xml"


def _translate(body: bytes) -> dict:
    from edi.translate import translate_edifact

    try:
        return translate_edifact(bytes(body)).document
    except EdiError as exc:
        raise InvalidMessage(exc.message, code="edifact", position=exc.position.as_dict()) from exc


def _first_error(document: dict) -> dict | None:
    for error in document["interchangeErrors"]:
        return error
    for message in document["messages"]:
        for error in message["errors"]:
            return error
    return None


def _function_code(body: bytes, reference: str | None = None) -> str:
    """BGM 1225 of the interchange's first message, or of the message ``reference``."""
    from edi.parse.interchange import read_interchange

    for message in read_interchange(bytes(body)):
        if reference is not None and message.reference != reference:
            continue
        bgm = next((s for s in message.body if s.tag == "BGM"), None)
        return (bgm.get(3) if bgm is not None else "").strip()
    return ""


def _first_ref(event: dict, kind: str) -> str:
    for ref in event.get("documentReferences") or ():
        if ref["documentReferenceType"] == kind:
            return ref["documentReferenceValue"]
    return ""


def read_submission(body: bytes, reference: str | None = None) -> Submission:
    """A broker's CUSDEC or a carrier's CUSCAR, validated against its directory and mapped, as a Submission.

    The interchange holds that one message, or ``reference`` names which of its messages it is
    (a declaration that came in an interchange of several, over the EDI channels).
    """
    document = _translate(body)
    messages = document["messages"]
    if reference is not None:
        messages = [m for m in messages if m["reference"] == reference]
        document = {**document, "messages": messages}
    error = _first_error(document)
    if error is not None:
        detail = f"[{error['code']}] {error['message']}"
        raise InvalidMessage(ERRORS["edifact"] % {"detail": detail}, code="edifact", position=error["position"])
    if len(messages) != 1 or messages[0]["type"] not in EDIFACT_TYPES:
        raise InvalidMessage(ERRORS["not_a_declaration"], code="unknown_message_type", position={})
    message = messages[0]
    events = [
        e
        for e in document["events"]
        if e["eventType"] == "CUSTOMS" and str((e.get("source") or {}).get("messageReference")) == message["reference"]
    ]
    if not events:
        raise InvalidMessage(ERRORS["edifact"] % {"detail": "no declaration in it"}, code="edifact", position={})
    kind = EDIFACT_TYPES[message["type"]]
    reference = _first_ref(events[0], "MAN" if kind == DeclarationKind.MANIFEST else "DEC")
    if not reference:
        detail = "no declaration or manifest number (BGM 1004)"
        raise InvalidMessage(ERRORS["edifact"] % {"detail": detail}, code="edifact", position={"tag": "BGM"})
    call = events[0].get("transportCall") or {}
    vessel = call.get("vessel") or {}
    function = _function_code(body, message["reference"])
    sub = Submission(
        kind=kind,
        standard="edifact",
        message_type=message["type"],
        function_code=FUNCTION_IN.get(function, function),
        message_id=f"{_control_reference(body)}:{message['reference']}",
        sender=message["sender"] or "",
        receiver=message["recipient"] or "",
        business_reference=reference[:70],
        voyage=call.get("carrierVoyageNumber", "")[:50],
        vessel=vessel.get("vesselIMONumber") or vessel.get("vesselCallSignNumber") or vessel.get("vesselName", ""),
    )
    _add_records(sub, events)
    return sub


def _add_records(sub: Submission, events: list[dict]) -> None:
    """The bills and containers the events name: a manifest's bill per event with its containers."""
    manifest = sub.kind == DeclarationKind.MANIFEST
    for event in events:
        numbers = [event["equipmentReference"]] if event.get("equipmentReference") else []
        numbers += event.get("equipmentReferences") or []
        for number in numbers:
            sub.containers[number] = event.get("ISOEquipmentCode", "") if number == numbers[0] else ""
        refs = event.get("documentReferences") or ()
        bills = [r["documentReferenceValue"] for r in refs if r["documentReferenceType"] == "TRD"]
        for number in bills[:1] if manifest else bills:
            sub.bills.append(BillRecord(number=number, containers=numbers if manifest else []))


def _control_reference(body: bytes) -> str:
    from edi.parse.interchange import read_interchange

    return read_interchange(bytes(body)).control_reference or ""


def declaration_events(declaration) -> list[dict]:
    """The declaration's current version as canonical CUSTOMS DECL events: one, or one per bill of a manifest."""
    when = timezone.now().replace(microsecond=0).isoformat()
    mode = "AIR" if AIR_TYPE.match(declaration.message_type or "") else "VESSEL"  # an air manifest: the flight
    call = {"modeOfTransport": mode, "carrierVoyageNumber": declaration.voyage} if declaration.voyage else {}
    base = {"eventType": "CUSTOMS", "eventClassifierCode": "ACT", "customsEventTypeCode": "DECL"}
    base.update(eventDateTime=when, eventCreatedDateTime=when)
    if call:
        base["transportCall"] = call
    containers = list(declaration.containers.all())
    if declaration.kind == DeclarationKind.MANIFEST:
        events = []
        for bill in declaration.bills.all():
            mine = [c for c in containers if c.bill_id == bill.pk]
            refs = [_ref("MAN", declaration.business_reference), _ref("TRD", bill.number)]
            events.append(_with_containers({**base, "documentReferences": refs}, mine))
        return events
    refs = [_ref("DEC", declaration.business_reference)]
    if declaration.registration_number:
        refs.append(_ref("DEC", declaration.registration_number))
    refs += [_ref("TRD", bill.number) for bill in declaration.bills.all()]
    return [_with_containers({**base, "documentReferences": refs}, containers)]


def _ref(kind: str, value: str) -> dict:
    return {"documentReferenceType": kind, "documentReferenceValue": value[:35]}


def _with_containers(event: dict, containers: list) -> dict:
    if len(containers) == 1:
        event["equipmentReference"] = containers[0].number
        if len(containers[0].iso_code) == 4:
            event["ISOEquipmentCode"] = containers[0].iso_code
    elif containers:
        event["equipmentReferences"] = [c.number for c in containers]
    return event


def build(declaration, control_reference: str) -> bytes:
    """The declaration's current version as a CUSDEC or CUSCAR interchange, checked against its directory."""
    from edi.emit import emit
    from edi.validate import validate_interchange
    from edi.writing import edifact_bytes

    message_type = MESSAGE_TYPE[declaration.kind]
    out = emit(
        declaration_events(declaration),
        message_type,
        sender=settings.CUSTOMS_NODE_ID,
        recipient=settings.CUSTOMS_RECEIVER_ID,
        control_reference=control_reference,
        function_code=FUNCTION_OUT.get(declaration.function_code or "9", "9"),
    )
    if out.text is None or out.skipped:
        why = out.skipped[0][1] if out.skipped else "nothing to send"
        raise InvalidMessage(ERRORS["edifact"] % {"detail": why}, code="edifact", position={})
    body = edifact_bytes(out.text)  # as its UNB declares (ISO 8859-1)
    validation = validate_interchange(body)
    if validation.errors:
        error = validation.errors[0]
        raise InvalidMessage(
            ERRORS["edifact"] % {"detail": f"[{error.code}] {error.message}"},
            code="edifact",
            position=error.position.as_dict(),
        )
    return body


def receive_cusres(body: bytes, *, sender: str) -> list:
    """An authority's CUSRES interchange: translated, then each message's decision through the state machine."""
    from customs_gateway.inbound import receive_events
    from customs_gateway.models import Message

    try:
        document = _translate(body)
        control = _control_reference(body) or ""
    except (InvalidMessage, EdiError):
        document, control = {"messages": [], "events": []}, ""
    by_reference: dict[str, list[dict]] = {}
    for event in document["events"]:
        by_reference.setdefault(str((event.get("source") or {}).get("messageReference")), []).append(event)
    results = []
    answers = [m for m in document["messages"] if m["type"] == "CUSRES"] or [{"reference": ""}]
    for message in answers:
        reference = message["reference"]
        message_id = f"{control}:{reference}" if control else Message.digest(bytes(body))
        results += receive_events(
            by_reference.get(reference, []), body=bytes(body), sender=sender, message_id=message_id
        )
    return results
