"""In from the authority and the agencies: dedupe, verify, correlate, apply — or quarantine.

    >>> result = receive(body)        # a DXP envelope or a bare response document
    >>> result.status                 # "applied", "stale", "duplicate" or "quarantined"

Every response is recorded with its exact bytes first. It is deduplicated on the sender's
message id, its signature is verified against the trusted certificates, then it is correlated
on the message id it answers, else the business reference (LRN, or voyage and bills for a
manifest), then the version. A response that cannot be verified or correlated is quarantined
for operators (``Message.outcome == "quarantined"``) and never applied.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from customs_gateway import envelope, responses, signing
from customs_gateway.applying import InboundResult, apply
from customs_gateway.choices import (
    AuditAction,
    Direction,
    MessageOutcome,
    MessageRole,
    SignatureStatus,
)
from customs_gateway.exceptions import ERRORS, CustomsError, SignatureError
from customs_gateway.models import AuditEntry, Declaration, Message, TrustedCertificate
from customs_gateway.records import parse


def trusted_keys() -> list[signing.TrustedKey]:
    return [
        signing.TrustedKey(c.authority, c.algorithm, c.certificate, c.fingerprint, c.role)
        for c in TrustedCertificate.objects.filter(active=True)
    ]


def trust(
    authority: str, *, certificate: str = "", sm2_public_hex: str = "", name: str = "", role: str = "customs"
) -> TrustedCertificate:
    """Register a certificate (PEM) or an SM2 public key (hex) whose signatures the gateway accepts.

    ``role`` says which answers the key may sign: ``customs`` (receipts, acceptances, releases)
    or ``inspection`` (an agency's decisions); neither may speak for the other.
    """
    if certificate:
        fingerprint, algorithm, material = signing.cert_fingerprint(certificate), "x509", certificate
    else:
        fingerprint, algorithm, material = signing.sm2_fingerprint(sm2_public_hex), "sm2", sm2_public_hex.lower()
    row, _created = TrustedCertificate.objects.update_or_create(
        fingerprint=fingerprint,
        defaults={
            "authority": authority,
            "algorithm": algorithm,
            "certificate": material,
            "name": name or authority,
            "role": role,
        },
    )
    return row


def _store(body: bytes, *, sender: str, message_id: str, **fields) -> tuple[Message, bool]:
    """Record the exact bytes once per (sender, message id); the second time count a duplicate."""
    try:
        with transaction.atomic():
            return Message.objects.create(
                direction=Direction.IN,
                sender=sender[:70],
                message_id=message_id[:255],
                body=body,
                sha256=Message.digest(body),
                **fields,
            ), True
    except IntegrityError:
        existing = Message.objects.get(direction=Direction.IN, sender=sender[:70], message_id=message_id[:255])
        Message.objects.filter(pk=existing.pk).update(duplicates=F("duplicates") + 1)
        AuditEntry.objects.create(
            declaration=existing.declaration,
            action=AuditAction.MESSAGE,
            actor=sender[:120],
            reason=f"duplicate of message {message_id} ignored",
            message=existing,
        )
        return existing, False


def _quarantine(message: Message, reason: str, signature: str | None = None) -> InboundResult:
    message.outcome = MessageOutcome.QUARANTINED
    message.note = reason
    if signature:
        message.signature = signature
    message.save(update_fields=["outcome", "note", "signature"])
    AuditEntry.objects.create(
        declaration=message.declaration,
        action=AuditAction.QUARANTINE,
        actor="gateway",
        reason=reason,
        message=message,
    )
    return InboundResult("quarantined", message, message.declaration, reason)


def _correlate(answer: responses.Answer, answered_id: str) -> Declaration | None:
    """Message id answered -> business reference -> (voyage and bills for manifests)."""
    if answered_id:
        sent = Message.objects.filter(direction=Direction.OUT, message_id=answered_id).select_related("declaration")
        found = sent.first()
        if found is not None:
            declaration = found.declaration
            if answer.business_reference and answer.business_reference not in (
                declaration.business_reference,
                declaration.registration_number,
            ):
                return None
            return declaration
    for field in ("business_reference", "registration_number"):
        for value in {answer.business_reference, answer.registration_number} - {""}:
            matches = list(Declaration.objects.filter(**{field: value})[:2])
            if len(matches) == 1:
                return matches[0]
    if answer.voyage and answer.bills:
        candidates = Declaration.objects.filter(voyage=answer.voyage, bills__number=answer.bills[0].number).distinct()
        matches = list(candidates.order_by("-updated_at")[:2])
        if len(matches) == 1:
            return matches[0]
    return None


def _open(body: bytes, channel: str) -> tuple[bytes, str, str, str]:
    """``(document, sender, sender's message id, message id answered)`` of a response; CustomsError if unreadable."""
    root = parse(body)
    if envelope.is_envelope(root):
        info, data, keys = envelope.unwrap(root)
        return data, info.sender or "unknown", info.message_id or Message.digest(body), keys.get("RefMsgId", "")
    answers = responses.interpret(root)  # a bare document: its own notification id, if it has one
    own_id = answers[0].message_id if len(answers) == 1 and answers[0].message_id else ""
    return body, channel, own_id or Message.digest(body), ""


def receive(
    body: bytes, *, channel: str = "transport", authenticated: str = "", role: str = "customs"
) -> InboundResult:
    """Record, deduplicate, verify, correlate and apply one response (see the module docstring).

    ``authenticated`` names the authority when the response came over a channel that already
    proved who sent it (an authority's API key over TLS, as UK CDS pushes its unsigned DMS
    notifications); then an unsigned document is taken on the channel's word if
    ``CUSTOMS_ACCEPT_UNSIGNED_FROM_AUTHENTICATED`` allows it. A signature that is present is
    always verified, and one that fails quarantines the response whatever the channel.
    """
    try:
        data, sender, message_id, answered = _open(body, channel)
    except CustomsError as exc:
        message, _new = _store(body, sender="unknown", message_id=Message.digest(body), role=MessageRole.RESPONSE)
        return _quarantine(message, ERRORS["q_unreadable"] % {"detail": exc.message})
    message, new = _store(body, sender=sender, message_id=message_id, role=MessageRole.RESPONSE, standard="dxp")
    if not new:
        return InboundResult("duplicate", message, message.declaration, "duplicate")
    return _process(message, data, answered, authenticated, role)


def receive_events(events: list[dict], *, body: bytes, sender: str, message_id: str) -> list[InboundResult]:
    """Customs answers the translation layer read from EDIFACT (CUSRES), as canonical CUSTOMS events.

    The EDIFACT interchange carries no signature; it came over the sender's authenticated
    channel, so it is taken as from that customs authority (as the DMS push is). The raw bytes
    are recorded and deduplicated on (sender, interchange and message reference) like any answer;
    each declaration's decision then goes through the state machine, so that an RLSD still waits
    for every agency check instead of reaching the tracking store directly.
    """
    message, new = _store(body, sender=sender, message_id=message_id, role=MessageRole.RESPONSE, standard="edifact")
    if not new:
        return [InboundResult("duplicate", message, message.declaration, "duplicate")]
    answers = responses.from_events(events)
    if not answers:
        return [_quarantine(message, str(ERRORS["q_no_decision"]))]
    results = []
    for answer in answers:
        declaration = _correlate(answer, "")
        if declaration is None:
            results.append(_quarantine(message, ERRORS["q_uncorrelated"] % {"reference": answer.business_reference}))
            continue
        if answer.containers and not answer.bills and answer.trigger in ("accept", "reject", "receive", "review"):
            answer.containers = []  # a decision on the declaration, repeated per container by the mapping
        message.declaration = declaration
        message.message_type = "CUSRES"
        message.business_reference = declaration.business_reference
        message.save()
        results.append(apply(declaration, answer, message, sender))
    return results


def reprocess(message: Message, *, actor: str) -> InboundResult:
    """An operator's second try at a quarantined response (after trusting a key or creating the declaration)."""
    if message.outcome != MessageOutcome.QUARANTINED:
        return InboundResult("stale", message, message.declaration, "only quarantined responses are reprocessed")
    AuditEntry.objects.create(
        declaration=message.declaration,
        action=AuditAction.MESSAGE,
        actor=actor[:120],
        reason="reprocessed from quarantine",
        message=message,
    )
    try:
        data, _sender, _message_id, answered = _open(bytes(message.body), message.sender)
    except CustomsError as exc:
        return _quarantine(message, ERRORS["q_unreadable"] % {"detail": exc.message})
    return _process(message, data, answered)


def _process(
    message: Message, data: bytes, answered: str, authenticated: str = "", role: str = "customs"
) -> InboundResult:
    try:
        verified = signing.verify(data, trusted_keys())
    except SignatureError as exc:
        if exc.code == "unsigned" and authenticated and _channel_vouches():
            return _interpret(message, data, answered, authenticated, role, SignatureStatus.NONE)
        status = SignatureStatus.UNTRUSTED if exc.code in ("untrusted", "unsigned") else SignatureStatus.INVALID
        return _quarantine(message, ERRORS["q_signature"] % {"detail": exc.message}, status)
    except CustomsError as exc:
        return _quarantine(message, ERRORS["q_unreadable"] % {"detail": exc.message})
    return _interpret(message, data, answered, verified.authority, verified.role, SignatureStatus.VALID)


def _channel_vouches() -> bool:
    return settings.CUSTOMS_ACCEPT_UNSIGNED_FROM_AUTHENTICATED


def _interpret(
    message: Message, data: bytes, answered: str, authority: str, role: str, signature: str
) -> InboundResult:
    message.signature = signature
    answers = responses.interpret(parse(data))
    if not answers:
        message.save(update_fields=["signature"])
        return _quarantine(message, str(ERRORS["q_unknown"]))
    result = InboundResult("quarantined", message)
    for answer in answers:
        declaration = _correlate(answer, answered)
        if declaration is None:
            message.save(update_fields=["signature"])
            return _quarantine(message, ERRORS["q_uncorrelated"] % {"reference": answered or answer.business_reference})
        agency = answer.trigger == "agency"
        wrong_role = role != ("inspection" if agency else "customs")
        if wrong_role or (agency and answer.agency and answer.agency != authority):
            message.save(update_fields=["signature"])
            speaks = answer.agency if agency else "customs"
            return _quarantine(
                message, ERRORS["q_wrong_role"] % {"authority": authority, "role": role, "speaks": speaks}
            )
        message.declaration = declaration
        message.message_type = answer.family
        message.business_reference = declaration.business_reference
        message.version = answer.version
        message.role = MessageRole.AGENCY if answer.trigger == "agency" else MessageRole.RESPONSE
        message.save()
        answer.answers_message_id = answer.answers_message_id or answered  # the lodgement it answers, when named
        result = apply(declaration, answer, message, authority)
    return result
