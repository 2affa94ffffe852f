"""The whole life of a manifest against the authority simulator, and the gate's answer along the way."""

from customs_gateway.clearance import gate_clearance
from customs_gateway.models import AuditEntry, Message
from customs_gateway.outbound import dispatch, submit
from tests.unit.customs_gateway.conftest import manifest

BOXES = ["MSKU1234565", "CSQU3054383", "TGHU7654320"]


def test_manifest_goes_from_submission_to_release_and_opens_the_gate(carrier, sim):
    declaration = submit(carrier, manifest(), actor="test")
    assert declaration.state == "draft"
    assert declaration.business_reference == "MT1101-UN9321483-047E"
    assert sorted(declaration.containers.values_list("number", flat=True)) == sorted(BOXES)
    assert declaration.bills.count() == 2 and declaration.bills.get(number="LGHB2611001").lines.count() == 2

    sim.plan(declaration.business_reference, ["accept", "inspect", "hold", "release"])
    dispatch(declaration.pk)
    declaration.refresh_from_db()
    assert declaration.state == "transport_acknowledged"  # the transport said received, nothing more
    assert gate_clearance(BOXES)["MSKU1234565"].released is False

    results = sim.deliver()
    assert [r.status for r in results] == ["applied"] * 4
    declaration.refresh_from_db()
    assert declaration.state == "released"
    assert set(declaration.bills.values_list("state", flat=True)) == {"released"}
    assert all(gate_clearance(BOXES)[box].released for box in BOXES)
    codes = list(declaration.audit_entries.exclude(event_code="").values_list("event_code", flat=True))
    assert codes == ["DECL", "RCVD", "ACPT", "INSP", "HOLD", "RLSD"]


def test_every_message_is_kept_with_its_exact_bytes_and_digest(carrier, sim):
    body = manifest()
    declaration = submit(carrier, body, actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    kinds = list(declaration.messages.values_list("direction", "role"))
    assert ("in", "submission") in kinds and ("out", "outbound") in kinds and ("in", "transport_ack") in kinds
    submission = declaration.messages.get(role="submission")
    assert bytes(submission.body) == body and submission.sha256 == Message.digest(body)
    outbound = declaration.messages.get(role="outbound")
    assert bytes(sim.received[0]) == bytes(outbound.body)


def test_the_gate_stays_held_during_an_inspection_hold_until_release(carrier, sim):
    declaration = submit(carrier, manifest(), actor="test")
    sim.plan(declaration.business_reference, ["accept", "hold"])
    dispatch(declaration.pk)
    sim.deliver()
    answer = gate_clearance(["TGHU7654320"])["TGHU7654320"]
    assert answer.state == "HOLD" and answer.released is False and answer.holds
    sim.plan(declaration.business_reference, ["release"])
    sim._answer(sim._read(sim.received[-1]))
    sim.deliver()
    assert gate_clearance(["TGHU7654320"])["TGHU7654320"].released is True


def test_audit_entries_are_immutable(carrier, sim):
    import pytest

    from customs_gateway.models import ImmutableError

    declaration = submit(carrier, manifest(), actor="test")
    entry = AuditEntry.objects.filter(declaration=declaration).first()
    entry.reason = "rewritten"
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
