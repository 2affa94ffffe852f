"""Processing one stored raw message: translate, store events, record the outcome, acknowledge.

Idempotent: a message already processed is left alone, and events are stored by eventID, so a
task that runs twice (a worker killed after commit but before its ack) changes nothing.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone

from edi.exceptions import EdiError
from edi.models import Channel, MessageFormat, MessageState, RawMessage
from edi.replies import publish_reply
from tracking import bulk

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
        answer_refusal(message, document, entry, f"refused by the customs gateway ({exc.code}): {exc.message}")
        return
    entry["declaration"] = str(declaration.pk)


def answer_refusal(message: RawMessage, document: dict, entry: dict, text: str) -> None:
    """Tell the partner in an APERAK (RE) that a message validation accepted was refused after it.

    The CONTRL already said the message was read (UCM 7); without this answer a broker whose CUSDEC
    the gateway refused (a format the authority does not take, a duplicate, a state that forbids it)
    would take it for lodged. The APERAK replaces any this message was given at translation (CA with
    its warnings): one answer per message, the warnings kept in it beside the refusal (ERC 12).
    """
    from django.conf import settings

    from edi.aperak import build_aperak
    from edi.issues import Issue, Position
    from edi.parse.interchange import read_interchange

    reference = entry["reference"]
    reader = read_interchange(bytes(message.body))
    if not reader.sender:
        return  # a bare message: nobody to address
    bgm = next((s for m in reader if m.reference == reference for s in m.body if s.tag == "BGM"), None)
    issues = [_issue_of(found, reference) for found in (*entry.get("errors", ()), *entry.get("warnings", ()))]
    issues.append(Issue("12", text, Position(), level="message", message_ref=reference))
    body = build_aperak(
        issues,
        message_type=entry.get("type") or "",
        message_reference=reference,
        document_number=bgm.get(2) if bgm is not None else None,
        sender=reader.recipient or settings.PLATFORM_EDI_ID,
        recipient=reader.sender,
        answering=reader.header,
        una=reader.delimiters if reader.una else None,
    )
    answers = [a for a in document.get("outbound", []) if not (a["type"] == "APERAK" and a.get("answers") == reference)]
    answers.append({"type": "APERAK", "format": "edifact", "body": body, "answers": reference})
    document["outbound"] = answers


def _issue_of(found: dict, reference: str):
    """An issue as the translation document has it, back as an :class:`edi.issues.Issue`."""
    from dataclasses import fields

    from edi.issues import Issue, Position

    names = {f.name for f in fields(Position)}
    where = Position(**{k: v for k, v in (found.get("position") or {}).items() if k in names})
    severity = found.get("severity", "error")
    return Issue(found["code"], found["message"], where, found.get("level", "segment"), reference, severity)


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


@dataclass
class Run:
    """One raw message being processed: its translation and what it stores, asks and answers."""

    message: RawMessage
    document: dict
    cargo: list[dict]
    answers: dict[str, list[dict]]
    declarations: list[str]
    stored: int = 0
    duplicates: int = 0
    gateway: list[dict] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)

    @property
    def talks_to_others(self) -> bool:
        """It hands something to the customs gateway or answers an outbound interchange of ours."""
        return bool(self.answers or self.declarations or self.document.get("acknowledgements"))


def prepare(message: RawMessage) -> Run:
    """Translate a locked message and sort its events (no database writes): what :func:`run` stores."""
    from tracking.validation import problems_of

    message.attempts += 1
    document = translate(message)
    if document.get("test"):  # a partner's test interchange (UNB 0035): answered, but no fact stored or lodged
        return Run(message, document, [], {}, [])
    cargo, answers = split_customs_answers(document)
    cargo, declarations = split_declarations(cargo, document, has_party=bool(message.party_id))
    problems = problems_of(cargo)
    if problems:  # one bad event must not sink the message's other facts
        cargo = drop_invalid_events(cargo, document, problems)
    return Run(message, document, cargo, answers, declarations)


def store(runs: list[Run]) -> None:
    """Record the cargo events of ``runs`` in one call; count each run's stored and repeated events.

    An event two runs share counts as stored for the first and as a duplicate for the second, as if
    they had been recorded one after the other.
    """
    from tracking.store import record_events

    events = [event for r in runs for event in r.cargo]
    if not events:
        return
    stored = set(record_events(events, checked=True).stored)
    for r in runs:
        for event in r.cargo:
            key = str(uuid.UUID(event["eventID"]))
            if key in stored:
                stored.discard(key)
                r.stored += 1
            else:
                r.duplicates += 1


def withdraw_reports(r: Run) -> None:
    """Apply the replacements and cancellations of earlier reports among ``r``'s messages (after its events
    are stored): what the earlier report said and this one does not is withdrawn (``tracking.withdrawals``).

    A replacement with errors of its own is not applied (a fact it failed to state would be lost);
    declarations and customs answers are the gateway's to amend, not withdrawn here.
    """
    from datetime import datetime

    from tracking.withdrawals import FUNCTIONS, document_key, withdraw

    if r.document.get("test"):
        return
    for entry in r.document["messages"]:
        asked = entry.get("withdraws")
        if not asked or entry["status"] == "rejected":
            continue
        if entry["reference"] in r.answers or entry["reference"] in r.declarations:
            continue
        document = asked["document"]
        key = document_key(entry.get("sender") or "", document["type"], document["number"])
        what = FUNCTIONS[document["function"]]
        if not key:
            entry["withdrawal"] = {"applied": False, "reason": f"the {what} names no sender"}
        elif what == "replacement" and entry["errors"]:
            reason = "the replacement has errors: what the earlier report said stays current"
            entry["withdrawal"] = {"applied": False, "reason": reason}
        else:
            settled = withdraw(
                key,
                function=document["function"],
                created=datetime.fromisoformat(asked["created"]),
                kept=asked["restates"],
                raw_message=str(r.message.id),
                message_reference=entry["reference"],
            )
            entry["withdrawal"] = {"applied": True, "withdrawn": settled.withdrawn, "restored": settled.restored}


def hand_over(r: Run) -> None:
    """Its customs answers to the gateway, its declarations lodged, our interchanges it answers marked."""
    r.gateway = [
        item for reference, events in r.answers.items() for item in answer_customs(r.message, reference, events)
    ]
    for reference in r.declarations:
        lodge_declaration(r.message, reference, r.document)
    r.answered = answer_outbound(r.document.get("acknowledgements", []), r.message.sender)


def conclude(r: Run, now) -> None:
    """The message's outcome and final state, from what its run did."""
    document = r.document
    r.message.outcome = {
        "messages": document["messages"],
        "errors": document["errors"],
        "eventIDs": [e["eventID"] for e in document["events"]],
        "storedEvents": r.stored,
        "duplicateEvents": r.duplicates,
        "acknowledgements": document.get("outbound", []),
        "partnerAcknowledgements": document.get("acknowledgements", []),
        "answersOutbound": r.answered,
        "customsGateway": r.gateway,
        "test": bool(document.get("test")),
    }
    r.message.state = state_of(document)
    r.message.processed_at = now


def reply_on_commit(message: RawMessage) -> None:
    """An AMQP sender's acknowledgements go to its reply queue once the outcome is committed."""
    if message.channel != Channel.AMQP or not message.party_id:
        return
    from edi.writing import edifact_bytes

    edi_id = message.party.edi_id
    for ack in message.outcome["acknowledgements"]:
        xml = ack.get("format") == "xml"
        body = ack["body"].encode("utf-8") if xml else edifact_bytes(ack["body"])  # as its UNB 0001 declares
        kind = "application/xml" if xml else "application/edifact"
        transaction.on_commit(lambda body=body, kind=kind: publish_reply(edi_id, body, str(message.id), kind))


OUTCOME_FIELDS = ["outcome", "state", "processed_at", "attempts"]


def run(messages: list[RawMessage]) -> None:
    """Process ``messages`` (locked, ``received``) inside the caller's transaction, in their order.

    Their cargo events are recorded together; a message that talks to the customs gateway or answers
    an interchange of ours is taken on its own, after the events of the messages before it.
    """
    runs = [prepare(message) for message in messages]
    together: list[Run] = []
    for r in runs:
        if r.talks_to_others:
            store(together)
            together = []
            store([r])
            hand_over(r)
        else:
            together.append(r)
    store(together)
    for r in runs:
        withdraw_reports(r)
    now = timezone.now()
    for r in runs:
        conclude(r, now)
    if len(messages) == 1:
        messages[0].save(update_fields=OUTCOME_FIELDS)
    else:
        bulk.update(RawMessage, messages, OUTCOME_FIELDS)
    for message in messages:
        reply_on_commit(message)
        log.info("processed %s: %s, %d events", message.id, message.state, len(message.outcome["eventIDs"]))


def process(message_id: str) -> str:
    """Process one raw message; return its final state."""
    with transaction.atomic():
        message = RawMessage.objects.select_for_update(of=("self",)).select_related("party").get(pk=message_id)
        if message.state in FINAL_STATES or message.state in (MessageState.REFUSED, MessageState.DUPLICATE):
            return message.state
        run([message])
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
