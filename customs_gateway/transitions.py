"""The clearance state machine as data: which trigger moves which state where, and what it tells the store.

    >>> target("accept", "transport_acknowledged")
    'accepted'
    >>> target("release", "draft")          # raises IllegalTransition

``TABLE`` maps a trigger to ``{from_state: to_state}``; a trigger missing for a state is an
illegal transition. ``RANK`` orders the states along the life of a declaration: an
authority's response is applied only when its target ranks at or above the current state,
so that duplicated and late answers never move a declaration backwards. ``EVENT_CODE`` is the
``customsEventTypeCode`` of the CUSTOMS event a transition into that state records (none for
the gateway's own bookkeeping states).

Business answers may overtake the transport acknowledgement (two layers: the transport says
"received", the authority later says "accepted"), so every business trigger is allowed from
both ``submitted`` and ``transport_acknowledged``.
"""

from __future__ import annotations

from customs_gateway.choices import ClearanceState as S
from customs_gateway.exceptions import IllegalTransition

SENT = (S.SUBMITTED, S.TRANSPORT_ACK)
ACTIVE = (S.ACCEPTED, S.UNDER_REVIEW, S.INSPECTION_REQUIRED, S.INSPECTED, S.HELD, S.ASSESSED)
OPEN = SENT + ACTIVE


def _from(states: tuple, to: str) -> dict[str, str]:
    return {str(state): str(to) for state in states}


TABLE: dict[str, dict[str, str]] = {
    # the gateway's own steps
    "sign": _from((S.DRAFT,), S.SIGNED),
    "submit": _from((S.SIGNED,), S.SUBMITTED),
    "transport_ack": _from((S.SUBMITTED,), S.TRANSPORT_ACK),
    "transport_fail": _from((S.SUBMITTED,), S.TRANSPORT_FAILED),
    "resubmit": _from((S.SUBMITTED, S.TRANSPORT_ACK, S.TRANSPORT_FAILED), S.SUBMITTED),
    "revise": _from((S.REJECTED,), S.DRAFT),
    "amend": _from(ACTIVE, S.DRAFT),
    "request_cancel": _from(ACTIVE + SENT, S.DRAFT),
    "withdraw": _from((S.DRAFT, S.SIGNED, S.TRANSPORT_FAILED, S.REJECTED), S.CANCELLED),
    "close": _from((S.RELEASED, S.REFUSED, S.CANCELLED), S.CLOSED),
    # the authority's and the agencies' answers
    "receive": _from((S.SUBMITTED,), S.TRANSPORT_ACK),
    "accept": _from(SENT, S.ACCEPTED),
    "reject": _from(SENT, S.REJECTED),
    "review": _from(SENT + (S.ACCEPTED,), S.UNDER_REVIEW),
    "inspect": _from(SENT + (S.ACCEPTED, S.UNDER_REVIEW, S.ASSESSED, S.HELD), S.INSPECTION_REQUIRED),
    "inspected": _from((S.INSPECTION_REQUIRED,), S.INSPECTED),
    "hold": _from(OPEN, S.HELD),
    "assess": _from(SENT + (S.ACCEPTED, S.UNDER_REVIEW, S.INSPECTED, S.HELD), S.ASSESSED),
    "release": _from(OPEN, S.RELEASED),
    "refuse": _from(OPEN, S.REFUSED),
    "cancel": _from(OPEN, S.CANCELLED),
    # an inspection agency's decisions, joined in: goods are released only when customs and
    # every required agency check have released, and an agency may hold goods customs released
    "agency_hold": _from(OPEN + (S.RELEASED,), S.HELD),
    "agency_refuse": _from(OPEN + (S.RELEASED,), S.REFUSED),
    "agency_release": _from((S.HELD,), S.RELEASED),
}

RANK: dict[str, int] = {
    S.DRAFT: 0,
    S.SIGNED: 1,
    S.SUBMITTED: 2,
    S.TRANSPORT_FAILED: 2,
    S.TRANSPORT_ACK: 3,
    S.ACCEPTED: 4,
    S.REJECTED: 4,
    S.UNDER_REVIEW: 5,
    S.INSPECTION_REQUIRED: 6,
    S.INSPECTED: 7,
    S.HELD: 7,
    S.ASSESSED: 8,
    S.RELEASED: 9,
    S.REFUSED: 9,
    S.CANCELLED: 9,
    S.CLOSED: 10,
}

EVENT_CODE: dict[str, str] = {
    S.SUBMITTED: "DECL",
    S.TRANSPORT_ACK: "RCVD",
    S.ACCEPTED: "ACPT",
    S.REJECTED: "RJCT",
    S.UNDER_REVIEW: "DOCR",
    S.INSPECTION_REQUIRED: "INSP",
    S.HELD: "HOLD",
    S.ASSESSED: "TAXA",
    S.RELEASED: "RLSD",
    S.REFUSED: "REFU",
    S.CANCELLED: "CNCL",
}

# Triggers an authority's or agency's response may carry (the others are the gateway's own).
RESPONSE_TRIGGERS = frozenset(
    {
        "receive",
        "accept",
        "reject",
        "review",
        "inspect",
        "inspected",
        "hold",
        "assess",
        "release",
        "refuse",
        "cancel",
        "close",
    }
)


def target(trigger: str, state: str) -> str:
    """The state ``trigger`` leads to from ``state``; :class:`IllegalTransition` when there is none."""
    moves = TABLE.get(trigger)
    if moves is None or str(state) not in moves:
        raise IllegalTransition(str(state), trigger)
    return moves[str(state)]


def ranks_at_or_above(new_state: str, current: str) -> bool:
    """Whether an answer leading to ``new_state`` may still be applied to a declaration in ``current``."""
    return RANK[str(new_state)] >= RANK[str(current)]


def allowed_triggers(state: str) -> list[str]:
    return sorted(trigger for trigger, moves in TABLE.items() if str(state) in moves)
