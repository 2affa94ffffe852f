"""Processing one stored raw message: translate, store events, record the outcome, acknowledge.

Idempotent: a message already processed is left alone, and events are stored by eventID, so a
task that runs twice (a worker killed after commit but before its ack) changes nothing.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction
from django.utils import timezone

from edi.exceptions import EdiError
from edi.models import Channel, MessageFormat, MessageState, RawMessage
from edi.replies import publish_reply

log = logging.getLogger(__name__)

FINAL_STATES = {MessageState.PROCESSED, MessageState.PARTIAL, MessageState.REJECTED}


def translate_edifact(message: RawMessage) -> dict:
    """The SPEC's translation document for an EDIFACT interchange, with the acknowledgements due."""
    from edi.translate import translate_edifact as translate_interchange

    translation = translate_interchange(
        bytes(message.body), raw_message_id=str(message.id), received=message.received_at
    )
    document = translation.document
    document["outbound"] = translation.acknowledgements
    return document


def translate_xml(message: RawMessage) -> dict:
    """The SPEC's translation document for a customs XML message, with the receipt due when refused."""
    from edi.customs_xml import translate_xml as translate_document

    party = message.party.edi_id if message.party_id else (message.sender or None)
    translation = translate_document(
        bytes(message.body), raw_message_id=str(message.id), party=party, received=message.received_at.isoformat()
    )
    document = translation.document
    document["outbound"] = translation.acknowledgements
    return document


def translate(message: RawMessage) -> dict:
    if message.format == MessageFormat.EDIFACT:
        return translate_edifact(message)
    if message.format == MessageFormat.XML:
        return translate_xml(message)
    error = EdiError(f"no mapping for this {message.format} document yet", code="UNKNOWN_TYPE")
    return {"messages": [], "events": [], "errors": [error.as_dict()], "interchangeErrors": [error.as_dict()]}


def split_customs_answers(document: dict) -> tuple[list[dict], dict[str, list[dict]]]:
    """Cargo facts for the store, and the authority's decisions (CUSRES) per message reference.

    A customs decision is not a fact to store as it comes: it goes through the customs
    gateway's state machine, which releases goods only when every required agency check has
    released too, and which writes the CUSTOMS events itself.
    """
    answers_by_type = {m["reference"] for m in document["messages"] if m.get("type") == "CUSRES"}
    cargo: list[dict] = []
    # an XML answer goes to the gateway whole, even when it carries no event of its own
    answers: dict[str, list[dict]] = {
        m["reference"]: [] for m in document["messages"] if m.get("role") == "answer" and m["status"] != "rejected"
    }
    answers_by_type |= set(answers)
    for event in document["events"]:
        reference = (event.get("source") or {}).get("messageReference")
        if event.get("eventType") == "CUSTOMS" and reference in answers_by_type:
            answers.setdefault(reference, []).append(event)
        else:
            cargo.append(event)
    return cargo, answers


DECLARATION_TYPES = frozenset({"CUSDEC", "CUSCAR"})


def split_declarations(events: list[dict], document: dict, *, has_party: bool) -> tuple[list[dict], list[str]]:
    """Cargo facts, and the references of the CUSDEC/CUSCAR messages a partner lodges through the customs gateway.

    A declaration that came over the EDI channels is submitted to the gateway (which records its
    own CUSTOMS events as it moves), not stored as a fact; without a partner there is no one to
    lodge it for, and its DECL facts are kept as they are.
    """
    if not has_party:
        return events, []
    lodged = [
        m["reference"] for m in document["messages"] if m.get("type") in DECLARATION_TYPES and m["status"] != "rejected"
    ]
    cargo = [e for e in events if (e.get("source") or {}).get("messageReference") not in lodged]
    return cargo, lodged


def lodge_declaration(message: RawMessage, reference: str, document: dict) -> None:
    """Submit one CUSDEC/CUSCAR of ``message`` to the customs gateway; a refusal is the message's error."""
    from customs_gateway.exceptions import CustomsError
    from customs_gateway.services import submit

    entry = next((m for m in document["messages"] if m["reference"] == reference), {})
    actor = f"{message.party.edi_id} (EDI {message.channel})"
    try:
        declaration = submit(message.party, bytes(message.body), actor=actor, reference=reference)
    except CustomsError as exc:
        error = {"code": exc.code, "message": exc.message, "position": exc.position or {}}
        document["errors"].append(error)
        entry.setdefault("errors", []).append(error)
        entry["status"] = "rejected"
        return
    entry["declaration"] = str(declaration.pk)


def drop_invalid_events(events: list[dict], document: dict, problems: list[dict]) -> list[dict]:
    """Keep the events the canonical schema accepted; report each one it refused on its message.

    A mapping that produced one bad event must not sink the message's other facts.
    """
    bad = {problem["index"] for problem in problems}
    by_reference = {m["reference"]: m for m in document["messages"]}
    for problem in problems:
        event = events[problem["index"]]
        error = {
            "code": "INVALID_EVENT",
            "message": f"event not stored: {problem['path']}: {problem['message']}",
            "position": (event.get("source") or {}).get("position") or {},
        }
        document["errors"].append(error)
        entry = by_reference.get((event.get("source") or {}).get("messageReference"))
        if entry is not None:
            entry.setdefault("errors", []).append(error)
    return [event for index, event in enumerate(events) if index not in bad]


def answer_customs(message: RawMessage, reference: str, events: list[dict]) -> list[dict]:
    """Hand one answer to the customs gateway; what the gateway made of it (applied, quarantined ...)."""
    from customs_gateway.services import receive, receive_events

    sender = message.party.edi_id if message.party_id else message.sender
    if message.format == MessageFormat.XML:  # the gateway reads, verifies and correlates the document itself
        role = "inspection" if message.party_id and message.party.role == "inspection" else "customs"
        results = [receive(bytes(message.body), channel=sender or "edi", authenticated=sender or "", role=role)]
    else:
        results = receive_events(
            events, body=bytes(message.body), sender=sender, message_id=f"{message.control_reference}:{reference}"
        )
    return [{"answers": reference, "status": r.status, "note": str(r.note)[:512]} for r in results]


def state_of(document: dict) -> str:
    statuses = [m["status"] for m in document["messages"]]
    if document.get("interchangeErrors") or not statuses:
        return MessageState.REJECTED
    rejected = sum(1 for status in statuses if status == "rejected")
    if rejected == 0:
        return MessageState.PROCESSED
    return MessageState.REJECTED if rejected == len(statuses) else MessageState.PARTIAL


def answer_outbound(acknowledgements: list[dict], sender: str) -> list[int]:
    """Mark the outbound interchanges a partner's CONTRL/APERAK answer (:func:`tracking.outbound.answer`)."""
    from tracking.outbound import answer

    found = [answer(ack, sender) for ack in acknowledgements] if sender else []
    return [pk for pk in found if pk is not None]


def process(message_id: str) -> str:
    """Process one raw message; return its final state."""
    from tracking.exceptions import InvalidEvent
    from tracking.store import record_events

    with transaction.atomic():
        message = RawMessage.objects.select_for_update(of=("self",)).select_related("party").get(pk=message_id)
        if message.state in FINAL_STATES or message.state in (MessageState.REFUSED, MessageState.DUPLICATE):
            return message.state
        message.attempts += 1
        document = translate(message)
        cargo_events, customs_answers = split_customs_answers(document)
        cargo_events, declarations = split_declarations(cargo_events, document, has_party=bool(message.party_id))
        try:
            recorded = record_events(cargo_events)  # checks the schema itself: one pass when all is well
        except InvalidEvent as exc:
            cargo_events = drop_invalid_events(cargo_events, document, exc.errors)
            recorded = record_events(cargo_events)
        gateway = [
            r for reference, events in customs_answers.items() for r in answer_customs(message, reference, events)
        ]
        for reference in declarations:
            lodge_declaration(message, reference, document)
        outbound = document.get("outbound", [])
        answered = answer_outbound(document.get("acknowledgements", []), message.sender)
        message.outcome = {
            "messages": document["messages"],
            "errors": document["errors"],
            "eventIDs": [e["eventID"] for e in document["events"]],
            "storedEvents": len(recorded.stored),
            "duplicateEvents": len(recorded.duplicates),
            "acknowledgements": outbound,
            "partnerAcknowledgements": document.get("acknowledgements", []),
            "answersOutbound": answered,
            "customsGateway": gateway,
        }
        message.state = state_of(document)
        message.processed_at = timezone.now()
        message.save(update_fields=["outcome", "state", "processed_at", "attempts"])
        if message.channel == Channel.AMQP and message.party_id:
            edi_id = message.party.edi_id
            for ack in outbound:
                body = ack["body"].encode("utf-8")
                kind = "application/xml" if ack.get("format") == "xml" else "application/edifact"
                transaction.on_commit(lambda body=body, kind=kind: publish_reply(edi_id, body, str(message.id), kind))
    log.info("processed %s: %s, %d events", message_id, message.state, len(document["events"]))
    return message.state


def mark_failed(message_id: str, reason: str) -> None:
    """Record that processing gave up, so that operators see it and can reprocess."""
    try:
        RawMessage.objects.filter(pk=message_id).exclude(state__in=FINAL_STATES).update(
            state=MessageState.FAILED, outcome={"errors": [{"code": "PROCESSING_FAILED", "message": reason}]}
        )
    except DatabaseError:
        log.exception("could not mark %s failed", message_id)


def reprocess(message_id: str) -> str:
    """Run a message through the current mappings again; events already stored stay single."""
    updated = (
        RawMessage.objects.filter(pk=message_id)
        .exclude(state__in=[MessageState.REFUSED, MessageState.DUPLICATE])
        .update(state=MessageState.RECEIVED)
    )
    if not updated:
        raise EdiError(
            "only received, processed, rejected or failed messages can be reprocessed", code="NOT_REPROCESSABLE"
        )
    return process(message_id)
