"""The whole life of a manifest against the authority simulator, and the gate's answer along the way."""

from lxml import etree

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


def _instruction(sim, declaration, trigger: str, containers: list[str]) -> bytes:
    from customs_gateway import envelope
    from customs_gateway.simulator import messages

    document = messages.mt9999(
        message_id=f"I-{trigger}",
        sender="CNCUSTOMS-SIM",
        receiver="LOGIHUB",
        function_code="9",
        voyage="047E",
        vessel="UN9321483",
        trigger=trigger,
        bills=[],
        containers=containers,
        overall=False,
    )
    sent = declaration.messages.filter(role="outbound").last().message_id
    return envelope.wrap(
        sim.customs.sign(document),
        message_id=f"SIM-{trigger}",
        sender="CNCUSTOMS-SIM",
        receiver="LOGIHUB",
        msg_type="MT9999",
        keys={"RefMsgId": sent},
    )


def test_a_per_container_instruction_holds_and_releases_that_container_only(carrier, sim):
    from customs_gateway.inbound import receive

    declaration = submit(carrier, manifest(), actor="test")
    sim.plan(declaration.business_reference, ["accept"])
    dispatch(declaration.pk)
    sim.deliver()
    assert receive(_instruction(sim, declaration, "hold", ["CSQU3054383"])).status == "applied"
    gate = gate_clearance(BOXES)
    assert gate["CSQU3054383"].state == "HOLD" and gate["MSKU1234565"].state == "ACPT"
    assert declaration.containers.get(number="CSQU3054383").state == "held"
    receive(_instruction(sim, declaration, "release", ["CSQU3054383"]))
    gate = gate_clearance(BOXES)
    assert gate["CSQU3054383"].released is True and gate["MSKU1234565"].released is False
    declaration.refresh_from_db()
    assert declaration.state == "accepted"


def test_a_receipt_accepting_one_bill_and_rejecting_another_is_kept_per_bill(carrier, sim):
    from customs_gateway import envelope
    from customs_gateway.inbound import receive
    from customs_gateway.simulator import messages

    declaration = submit(carrier, manifest(), actor="test")
    sim.plan(declaration.business_reference, [])
    dispatch(declaration.pk)
    root = etree.fromstring(
        messages.mt9999(
            message_id="P1",
            sender="CNCUSTOMS-SIM",
            receiver="LOGIHUB",
            function_code="9",
            voyage="047E",
            vessel="UN9321483",
            trigger="accept",
            bills=["LGHB2611001", "LGHB2611002"],
            containers=[],
            overall=False,
        )
    )
    second = root.findall("Response/Consignment")[1]
    second.find("ResponseType/Code").text = "19004"
    second.find("ResponseType/Text").text = "unloading location differs"
    sent = declaration.messages.get(role="outbound").message_id
    body = envelope.wrap(
        sim.customs.sign(etree.tostring(root)),
        message_id="SIM-P1",
        sender="CNCUSTOMS-SIM",
        receiver="LOGIHUB",
        msg_type="MT9999",
        keys={"RefMsgId": sent},
    )
    assert receive(body).status == "applied"
    states = dict(declaration.bills.values_list("number", "state"))
    assert states == {"LGHB2611001": "accepted", "LGHB2611002": "rejected"}
    declaration.refresh_from_db()
    assert declaration.state == "accepted"
    assert declaration.reasons == [{"code": "19004", "text": "unloading location differs"}]


def test_an_inspection_goes_required_inspected_released(carrier, sim):
    declaration = submit(carrier, manifest(), actor="test")
    sim.plan(declaration.business_reference, ["accept", "inspect", "inspected", "release"])
    dispatch(declaration.pk)
    assert [r.status for r in sim.deliver()] == ["applied"] * 4
    path = list(declaration.audit_entries.filter(action="transition").values_list("to_state", flat=True))
    assert path[-4:] == ["accepted", "inspection_required", "inspected", "released"]
