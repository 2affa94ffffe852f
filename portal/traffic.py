"""The operators' message monitor as one list: what came in and what went out, newest first.

Inbound: partners' EDI interchanges (:mod:`edi`) and what reached the customs gateway (brokers'
submissions, the authority's answers, inspection agencies' decisions). Outbound: the CONTRL and
APERAK acknowledgements we sent back and the EDIFACT interchanges sent to webhook subscribers
(:mod:`edi.queries`), and what the gateway sent the
authority (:mod:`customs_gateway.queries`). Each row names the message it answers or that
answers it, so an operator follows a conversation both ways.

Each source lists its newest ``page * PAGE_SIZE + 1`` rows; the rows are merged by time, so a
page costs one or two queries per source whatever the tables' size.

    >>> page = monitor_page({"direction": "out", "state": "rejected"}, page=1)
    >>> page.rows[0].kind, page.rows[0].answers
    ('CONTRL', '0001')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customs_gateway import queries as customs
from customs_gateway.choices import Direction as CustomsDirection
from customs_gateway.choices import MessageOutcome, MessageRole
from edi import queries as edi
from edi.choices import MessageState
from portal import monitor
from tracking.choices import DeliveryState, OutboundType
from tracking.models import Party

PAGE_SIZE = 50
MAX_PAGE = 200
DIRECTIONS = {"in": gettext_lazy("Inbound"), "out": gettext_lazy("Outbound")}
VERDICTS = {
    MessageState.PROCESSED: gettext_lazy("Accepted"),
    MessageState.PARTIAL: gettext_lazy("Partly rejected"),
    MessageState.REJECTED: gettext_lazy("Rejected"),
}
CUSTOMS_IN = [o for o in MessageOutcome.values if o not in customs.OUT_OUTCOMES]
PROBLEMS = {
    MessageState.REJECTED,
    MessageState.PARTIAL,
    MessageState.FAILED,
    MessageState.REFUSED,
    MessageOutcome.SEND_FAILED,
    MessageOutcome.QUARANTINED,
    DeliveryState.DEAD,
}


@dataclass(frozen=True)
class Row:
    at: datetime | None
    direction: str
    source: str  # edi, ack, interchange, customs
    partner: str
    kind: str
    reference: str
    state: str
    state_label: str
    size: int | None
    url: str
    answers: str = ""
    answers_url: str = ""
    answered_by: tuple[tuple[str, str], ...] = ()  # (type, url) of what we sent in answer
    note: str = ""

    @property
    def problem(self) -> bool:
        return self.state in PROBLEMS


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    number: int
    has_previous: bool
    has_next: bool


def state_choices(direction: str) -> list[tuple[str, str]]:
    """The states a row of this direction can be in (values of the sources never overlap)."""
    if direction == "out":
        return (
            [(str(k), str(v)) for k, v in VERDICTS.items()]
            + [(str(o), str(MessageOutcome(o).label)) for o in customs.OUT_OUTCOMES]
            + [(str(k), str(v)) for k, v in DeliveryState.choices]
        )
    return [(str(k), str(v)) for k, v in MessageState.choices] + [(o, str(MessageOutcome(o).label)) for o in CUSTOMS_IN]


def type_choices(direction: str) -> list[str]:
    if direction == "out":
        return sorted({*edi.KINDS, *OutboundType.values, *customs.message_types()})
    return sorted({*monitor.known_types(), *customs.message_types()})


def _ack_url(ack: edi.SentAcknowledgement) -> str:
    return reverse("ops-ack", args=[ack.answers_id, ack.index])


def _edi_in(filters: dict, limit: int) -> list[Row]:
    state = filters.get("state", "")
    if state and state not in MessageState.values:
        return []
    rows = []
    for m in monitor.messages(filters)[:limit]:
        acks = edi.acknowledgement_kinds(m)
        rows.append(
            Row(
                at=m.received_at,
                direction="in",
                source="edi",
                partner=m.party.name if m.party_id else m.sender,
                kind=monitor.message_type(m),
                reference=m.control_reference,
                state=m.state,
                state_label=str(m.get_state_display()),
                size=m.size,
                url=reverse("ops-message", args=[m.pk]),
                answered_by=tuple((kind, reverse("ops-ack", args=[m.pk, i])) for i, kind in acks),
                note=str(m.get_channel_display()),
            )
        )
    return rows


def _acks_out(filters: dict, limit: int) -> list[Row]:
    state = filters.get("state", "")
    if state and state not in VERDICTS:
        return []
    party = int(filters["partner"]) if filters.get("partner", "").isdigit() else None
    found = edi.sent_acknowledgements(
        party_id=party, kind=filters.get("type", "").upper(), answered_state=state, limit=limit
    )
    return [
        Row(
            at=ack.sent_at,
            direction="out",
            source="ack",
            partner=ack.party_name or ack.recipient,
            kind=ack.kind,
            reference=ack.answered_reference,
            state=ack.answered_state,
            state_label=str(VERDICTS.get(ack.answered_state, ack.answered_state)),
            size=len(ack.body.encode("utf-8")),
            url=_ack_url(ack),
            answers=ack.answered_reference or _("message"),
            answers_url=reverse("ops-message", args=[ack.answers_id]),
            note=_("AMQP reply queue") if ack.via_reply_queue else _("HTTP, fetched at /ack"),
        )
        for ack in found
    ]


def _interchanges_out(filters: dict, limit: int) -> list[Row]:
    state = filters.get("state", "")
    if state and state not in DeliveryState.values:
        return []
    party = int(filters["partner"]) if filters.get("partner", "").isdigit() else None
    found = edi.sent_interchanges(party_id=party, kind=filters.get("type", "").upper(), state=state, limit=limit)
    return [
        Row(
            at=m.created_at,
            direction="out",
            source="interchange",
            partner=m.party.name if m.party_id else m.recipient,
            kind=m.message_type,
            reference=m.control_reference,
            state=m.state,
            state_label=str(m.get_state_display()),
            size=m.size,
            url=reverse("ops-interchange", args=[m.pk]),
            note=str(m.get_answer_display()) if m.answer else _("webhook subscription"),
        )
        for m in found
    ]


def _customs_row(m, direction: str, names: dict[str, str], related: list) -> Row:
    declaration = m.declaration
    if direction == "out":
        partner = (declaration.authority if declaration else "") or _("customs authority")
        if declaration is not None:
            partner = _("%(authority)s for %(party)s") % {"authority": partner, "party": declaration.party.name}
    else:
        partner = names.get(m.sender, m.sender)
    links = tuple(
        (r.message_type or r.get_role_display(), reverse("ops-customs-message", args=[r.pk])) for r in related
    )
    answered_by = links if m.role == MessageRole.SUBMISSION else ()
    answers = links[0] if links and m.role != MessageRole.SUBMISSION else ("", "")
    return Row(
        at=m.recorded_at,
        direction=direction,
        source="customs",
        partner=partner,
        kind=m.message_type or m.standard,
        reference=m.business_reference or m.message_id,
        state=m.outcome,
        state_label=str(m.get_outcome_display()),
        size=getattr(m, "size", None),
        url=reverse("ops-customs-message", args=[m.pk]),
        answers=answers[0],
        answers_url=answers[1],
        answered_by=answered_by,
        note=str(m.get_role_display()),
    )


def _customs(direction: str) -> Callable[[dict, int], list[Row]]:
    allowed = customs.OUT_OUTCOMES if direction == "out" else CUSTOMS_IN

    def rows(filters: dict, limit: int) -> list[Row]:
        state = filters.get("state", "")
        if state and state not in allowed:
            return []
        party = Party.objects.filter(pk=filters["partner"]).first() if filters.get("partner", "").isdigit() else None
        if filters.get("partner") and party is None:
            return []
        found = customs.exchanged_messages(
            direction, party=party, message_type=filters.get("type", ""), outcome=state, limit=limit
        )
        names = dict(Party.objects.filter(edi_id__in={m.sender for m in found}).values_list("edi_id", "name"))
        related = customs.counterparts(found)
        return [_customs_row(m, direction, names, related.get(m.pk, [])) for m in found]

    return rows


SOURCES = {
    "in": [_edi_in, _customs(CustomsDirection.IN)],
    "out": [_acks_out, _interchanges_out, _customs(CustomsDirection.OUT)],
}


def monitor_page(filters: dict, page: str | int | None) -> Page:
    """One page of the merged list of a direction, narrowed by partner, type and state."""
    direction = filters.get("direction") if filters.get("direction") in DIRECTIONS else "in"
    try:
        number = min(max(int(page or 1), 1), MAX_PAGE)
    except ValueError:
        number = 1
    limit = number * PAGE_SIZE + 1
    merged: list[Row] = []
    for source in SOURCES[direction]:
        merged.extend(source(filters, limit))
    merged.sort(key=lambda row: row.at.timestamp() if row.at else 0, reverse=True)
    start = (number - 1) * PAGE_SIZE
    return Page(merged[start : start + PAGE_SIZE], number, number > 1, len(merged) > start + PAGE_SIZE)
