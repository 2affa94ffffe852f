"""The transition table: legal moves, refused moves, ranks."""

import pytest

from customs_gateway import transitions
from customs_gateway.choices import ClearanceState
from customs_gateway.exceptions import IllegalTransition


def test_every_state_is_ranked_and_every_target_is_a_state():
    states = set(ClearanceState.values)
    assert set(transitions.RANK) == states
    for moves in transitions.TABLE.values():
        assert set(moves) <= states and set(moves.values()) <= states


def test_business_answers_may_overtake_the_transport_acknowledgement():
    assert transitions.target("accept", "submitted") == "accepted"
    assert transitions.target("accept", "transport_acknowledged") == "accepted"


def test_releasing_a_draft_is_refused_with_a_typed_error():
    with pytest.raises(IllegalTransition) as caught:
        transitions.target("release", "draft")
    assert caught.value.code == "illegal_transition"
    assert caught.value.http_status == 409
    assert caught.value.position == {"state": "draft", "trigger": "release"}


def test_late_answers_rank_below_later_states():
    assert not transitions.ranks_at_or_above("accepted", "released")
    assert transitions.ranks_at_or_above("released", "held")


def test_closed_is_final():
    assert transitions.allowed_triggers("closed") == []
