"""The state machine under hypothesis: any order of answers, duplicates included, keeps the promises.

- an authority's answer never moves a declaration to a lower-ranked state;
- ``released`` (and an RLSD event) only when customs and every agency check have released;
- the gate's answer agrees: open only when released.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customs_gateway import machine, transitions
from customs_gateway.clearance import gate_clearance
from customs_gateway.models import AgencyCheck, Declaration

CUSTOMS = ["receive", "accept", "reject", "review", "inspect", "inspected", "hold", "assess", "release", "refuse"]
AGENCY = ["held", "released", "refused"]
steps = st.lists(
    st.one_of(
        st.tuples(st.just("customs"), st.sampled_from(CUSTOMS)), st.tuples(st.just("agency"), st.sampled_from(AGENCY))
    ),
    min_size=1,
    max_size=12,
)


def _declaration(party) -> tuple[Declaration, str]:
    """A submitted declaration with a container of its own (examples share one database transaction)."""
    from stdnum import iso6346

    serial = f"{Declaration.objects.count():06d}"
    box = "PROP" + serial + iso6346.calc_check_digit("PROP" + serial)
    declaration = Declaration.objects.create(
        party=party, kind="manifest", business_reference=f"P-{serial}", message_type="MT1101"
    )
    declaration.containers.create(number=box)
    for trigger in ("sign", "submit"):
        machine.move(declaration, trigger, actor="test")
    return declaration, box


def _agency(declaration: Declaration, state: str, number: int) -> None:
    from customs_gateway.applying import _apply_agency
    from customs_gateway.responses import Answer, CheckDecision

    code = {"held": "H01", "released": "C03", "refused": "N02"}[state]
    answer = Answer(family="AgencyDecision", trigger="agency", agency="CIQ", decision_number=number)
    answer.checks = [CheckDecision(1, "H218", code, state)]
    _apply_agency(declaration, answer, None, "CIQ")


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_no_answer_order_releases_goods_an_agency_holds_or_moves_customs_backwards(carrier, sequence):
    declaration, box = _declaration(carrier)
    for number, (who, what) in enumerate(sequence, start=1):
        before = declaration.state
        if who == "customs":
            outcome = machine.answer(declaration, what, actor="CUSTOMS", authority="CUSTOMS")
            joined = what == "release" and outcome.to_state == "held"  # customs released, an agency holds
            if outcome.applied and not joined:
                assert transitions.RANK[outcome.to_state] >= transitions.RANK[before]
        else:
            _agency(declaration, what, number)
        declaration.refresh_from_db()
        checks = set(AgencyCheck.objects.filter(declaration=declaration).values_list("state", flat=True))
        if declaration.state == "released":
            assert declaration.customs_released and checks <= {"released"}
        gate = gate_clearance([box])[box]
        if gate.released:
            assert declaration.state == "released"
