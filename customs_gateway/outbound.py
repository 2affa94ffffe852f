"""Out to the authority: take a submission, rebuild, validate, sign, envelope, send, record every byte.

    >>> declaration = submit(party, body, actor="broker key ab12")     # 202: recorded, sending queued
    >>> dispatch(declaration.pk)                                      # the task: build, sign, send

An authority whose transport speaks EDIFACT gets the current version as CUSDEC/CUSCAR built through
the translation layer (:mod:`customs_gateway.edifact`), on the same path: record, move, send; a
China manifest-family report or application, which no CUSCAR expresses, is refused for it when submitted.

A new submission with a known business reference is a new *version*: a corrected message after
a rejection, an amendment (function code 5) or a cancellation request (function code 3). Each
dispatch gives the message a new message id and keeps the business reference and version, so
a resubmission after a lost receipt is the same declaration to the authority, never a second.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from lxml import etree

from customs_gateway import edifact, envelope, machine, schemas
from customs_gateway.choices import AuditAction, Direction, MessageOutcome, MessageRole, SignatureStatus
from customs_gateway.choices import ClearanceState as S
from customs_gateway.exceptions import (
    ERRORS,
    CustomsError,
    DuplicateMessage,
    IllegalTransition,
    InvalidMessage,
    MessageTooLarge,
    TransportError,
)
from customs_gateway.keys import gateway_signer
from customs_gateway.manifest_types import is_cargo_report
from customs_gateway.models import AuditEntry, Bill, Container, Declaration, Line, Message
from customs_gateway.records import Submission, kid, parse, read_submission
from customs_gateway.signing import DS
from customs_gateway.transitions import ACTIVE, OPEN
from customs_gateway.transport import current as current_transport
from edi.acknowledge import new_control_reference


def node_id() -> str:
    return settings.CUSTOMS_NODE_ID


def receipt_timeout() -> timedelta:
    return timedelta(seconds=settings.CUSTOMS_RECEIPT_TIMEOUT_SECONDS)


def max_bytes() -> int:
    return settings.CUSTOMS_MAX_MESSAGE_BYTES


class UnknownReference(CustomsError):
    """An amendment or cancellation names a business reference the gateway has no declaration for."""

    code = "unknown_reference"
    http_status = 409


def _sender_matches(sub: Submission, edi_id: str) -> bool:
    return not sub.sender or sub.sender == edi_id or sub.sender.startswith(edi_id + "_")


def _store_records(declaration: Declaration, sub: Submission) -> None:
    declaration.containers.all().delete()
    declaration.bills.all().delete()
    by_container: dict[str, Bill] = {}
    for record in sub.bills:
        bill, _created = Bill.objects.get_or_create(
            declaration=declaration,
            number=record.number[:35],
            house_number=record.house_number[:35],
            defaults={"packages": record.packages, "gross_mass": record.gross_mass},
        )
        Line.objects.bulk_create(Line(bill=bill, **line) for line in record.lines)
        for number in record.containers:
            by_container.setdefault(number, bill)
    Container.objects.bulk_create(
        Container(declaration=declaration, number=number[:15], iso_code=iso[:4], bill=by_container.get(number))
        for number, iso in sub.containers.items()
        if number
    )


def _next_version(declaration: Declaration, sub: Submission, actor: str) -> None:
    """Open a new version of a known declaration, or refuse with IllegalTransition."""
    if declaration.state == S.REJECTED:
        trigger, why = "revise", "corrected message after rejection"
    elif sub.function_code == "5" and declaration.state in ACTIVE:
        trigger, why = "amend", "amendment (function code 5)"
    elif sub.function_code == "3" and declaration.state in OPEN:
        trigger, why = "request_cancel", "cancellation request (function code 3)"
    else:
        trigger = {"5": "amend", "3": "request_cancel"}.get(sub.function_code, "revise")
        raise IllegalTransition(declaration.state, trigger)
    machine.move(declaration, trigger, actor=actor, reason=why)
    declaration.version += 1
    declaration.function_code = sub.function_code
    declaration.customs_released = False
    declaration.save(update_fields=["version", "function_code", "customs_released", "updated_at"])


def submit(party, body: bytes, *, actor: str, reference: str | None = None) -> Declaration:
    """Record a broker's or carrier's declaration or manifest and queue it for the authority.

    ``reference``: the UNH reference of the CUSDEC/CUSCAR meant, when an EDIFACT interchange holds several.
    """
    from customs_gateway.exceptions import WrongSender

    if len(body) > max_bytes():
        raise MessageTooLarge(ERRORS["too_large"] % {"size": len(body), "limit": max_bytes()})
    sub = read_submission(body, reference)
    speaks = edifact.message_format(current_transport())
    if sub.standard == "edifact" and speaks != "edifact":
        raise InvalidMessage(ERRORS["edifact_to_xml"], code="format", position={})
    if sub.standard == "cn-manifest" and speaks == "edifact" and not is_cargo_report(sub.message_type):
        raise InvalidMessage(
            ERRORS["not_cuscar"] % {"message_type": sub.message_type},
            code="format",
            position={"path": "/Manifest/Head/MessageType"},
        )
    if not _sender_matches(sub, party.edi_id):
        raise WrongSender(ERRORS["wrong_sender"] % {"sender": sub.sender, "party": party.edi_id})
    digest = Message.digest(body)
    message_id = sub.message_id if sub.standard == "cn-manifest" else f"{sub.message_id}:{digest[:16]}"
    try:
        return _record_submission(party, sub, body, message_id, digest, actor)
    except IntegrityError as exc:  # the same message or a new declaration, sent twice at the same moment
        raise DuplicateMessage(ERRORS["duplicate"] % {"message_id": message_id}) from exc


def _record_submission(party, sub: Submission, body: bytes, message_id: str, digest: str, actor: str) -> Declaration:
    with transaction.atomic():
        if Message.objects.filter(direction=Direction.IN, sender=party.edi_id, message_id=message_id).exists():
            raise DuplicateMessage(ERRORS["duplicate"] % {"message_id": message_id})
        mine = Declaration.objects.select_for_update().filter(party=party, business_reference=sub.business_reference)
        declaration = mine.first()
        if declaration is None:
            if sub.function_code in ("5", "3"):
                raise UnknownReference(ERRORS["unknown_reference"] % {"reference": sub.business_reference})
            declaration = Declaration.objects.create(
                party=party,
                kind=sub.kind,
                business_reference=sub.business_reference,
                message_type=sub.message_type,
                function_code=sub.function_code,
                voyage=sub.voyage,
            )
        else:
            _next_version(declaration, sub, actor)
        _store_records(declaration, sub)
        message = Message.objects.create(
            declaration=declaration,
            direction=Direction.IN,
            role=MessageRole.SUBMISSION,
            standard=sub.standard,
            message_type=sub.message_type,
            message_id=message_id[:255],
            sender=party.edi_id,
            business_reference=sub.business_reference,
            version=declaration.version,
            body=body,
            sha256=digest,
        )
        AuditEntry.objects.create(
            declaration=declaration,
            action=AuditAction.MESSAGE,
            actor=actor[:120],
            reason=f"submitted {sub.message_type} function code {sub.function_code}",
            version=declaration.version,
            message=message,
            from_state=declaration.state,
            to_state=declaration.state,
        )
        from customs_gateway.tasks import send_declaration

        declaration_id = str(declaration.pk)
        transaction.on_commit(lambda: send_declaration.delay(declaration_id))
    return declaration


def new_message_id(declaration: Declaration) -> str:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")[:17]
    return f"{node_id()}_{declaration.message_type}_{stamp}_{secrets.token_hex(3)}"[:64]


def build(declaration: Declaration, message_id: str) -> bytes:
    """The business message to send: the submission with our message id and send time, schema-checked."""
    submission = (
        declaration.messages.filter(role=MessageRole.SUBMISSION, version=declaration.version).order_by("-id").first()
    )
    root = parse(bytes(submission.body))
    for signature in root.findall(f"{{{DS}}}Signature"):
        root.remove(signature)
    head = kid(root, "Head")
    if head is not None:
        kid(head, "MessageID").text = message_id
        kid(head, "SendTime").text = timezone.now().strftime("%Y%m%d%H%M%S%f")[:17]
    schemas.validate(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _record_out(declaration: Declaration, message_id: str, body: bytes, standard: str = "dxp") -> Message:
    edifact_out = standard == "edifact"
    return Message.objects.create(
        declaration=declaration,
        direction=Direction.OUT,
        role=MessageRole.OUTBOUND,
        standard=standard,
        message_type=edifact.MESSAGE_TYPE[declaration.kind] if edifact_out else declaration.message_type,
        message_id=message_id,
        sender=node_id(),
        business_reference=declaration.business_reference,
        version=declaration.version,
        body=body,
        sha256=Message.digest(body),
        signature=SignatureStatus.NONE if edifact_out else SignatureStatus.SIGNED,
        outcome=MessageOutcome.SENT,
    )


def _signed_envelope(declaration: Declaration, message_id: str) -> bytes:
    """Build, validate and sign the XML business message and put it in its DXP envelope."""
    signed = gateway_signer().sign(build(declaration, message_id))
    keys = {"BusinessRef": declaration.business_reference[:64], "Version": str(declaration.version)}
    return envelope.wrap(
        signed,
        message_id=message_id,
        sender=node_id(),
        receiver=settings.CUSTOMS_RECEIVER_ID,
        msg_type=declaration.message_type,
        keys=keys,
    )


NEW_WORK = (S.DRAFT, S.SIGNED)
RESEND = (S.TRANSPORT_FAILED, S.SUBMITTED, S.TRANSPORT_ACK)


def prepare(
    declaration_id, *, actor: str = "gateway", reason: str = "", resend: bool = False
) -> tuple[Declaration, Message] | None:
    """Build, validate, sign and envelope the current version; move it to submitted. None if nothing to send.

    Without ``resend`` only a draft is sent, so a task delivered twice sends once; the retry
    check passes ``resend=True`` for what got no receipt or failed in transport.
    """
    with transaction.atomic():
        declaration = Declaration.objects.select_for_update().get(pk=declaration_id)
        if declaration.state not in (RESEND if resend else NEW_WORK):
            return None
        if edifact.message_format(current_transport()) == "edifact":
            # an EDIFACT authority: CUSDEC/CUSCAR through the translation layer, authenticated by its channel
            message_id = new_control_reference()
            body, standard, ready = edifact.build(declaration, message_id), "edifact", "built (EDIFACT, unsigned)"
        else:
            message_id = new_message_id(declaration)
            body, standard, ready = _signed_envelope(declaration, message_id), "dxp", "signed"
        message = _record_out(declaration, message_id, body, standard)
        if declaration.state == S.DRAFT:
            machine.move(declaration, "sign", actor=actor, reason=ready, message=message)
        first = declaration.state == S.SIGNED
        machine.move(
            declaration,
            "submit" if first else "resubmit",
            actor=actor,
            reason=reason or ("sent to the authority" if first else "resubmitted with a new message id"),
            message=message,
        )
        declaration.current_message_id = message_id
        declaration.attempts += 1
        declaration.receipt_due_at = timezone.now() + receipt_timeout()
        declaration.save(update_fields=["current_message_id", "attempts", "receipt_due_at", "updated_at"])
    return declaration, message


def dispatch(declaration_id, *, actor: str = "gateway", reason: str = "", resend: bool = False) -> Declaration | None:
    """Send the declaration's current version: prepare, then hand the envelope to the transport."""
    prepared = prepare(declaration_id, actor=actor, reason=reason, resend=resend)
    if prepared is None:
        return None
    declaration, message = prepared
    try:
        receipt = current_transport().send(bytes(message.body), message_id=message.message_id)
    except TransportError as exc:
        Message.objects.filter(pk=message.pk).update(outcome=MessageOutcome.SEND_FAILED, note=exc.message)
        machine.answer(declaration, "transport_fail", actor="transport", message=message, reason=exc.message)
        if not exc.retryable:  # the node refused these bytes: sending them again would not help
            Declaration.objects.filter(pk=declaration.pk).update(receipt_due_at=None)
            AuditEntry.objects.create(
                declaration=declaration,
                action=AuditAction.ALERT,
                actor="transport",
                reason=f"permanent transport failure, not retried: {exc.message}",
                version=declaration.version,
                message=message,
            )
        return declaration
    ack = Message.objects.get_or_create(
        direction=Direction.IN,
        sender=receipt.sender[:70],
        message_id=receipt.reference[:255],
        defaults={
            "declaration": declaration,
            "role": MessageRole.TRANSPORT_ACK,
            "standard": message.standard,
            "message_type": "CONTRL" if message.standard == "edifact" else "DxpRep",
            "business_reference": declaration.business_reference,
            "version": declaration.version,
            "body": receipt.body,
            "sha256": Message.digest(receipt.body),
            "outcome": MessageOutcome.APPLIED,
        },
    )[0]
    machine.answer(declaration, "receive", actor=receipt.sender, message=ack, reason="transport acknowledgement")
    declaration.refresh_from_db()
    return declaration
