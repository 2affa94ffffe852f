"""Inspection agencies joined in, and answers the gateway must not trust: forged, tampered, uncorrelated."""

from customs_gateway.clearance import gate_clearance
from customs_gateway.inbound import receive
from customs_gateway.outbound import dispatch, submit
from customs_gateway.simulator import messages
from tests.unit.customs_gateway.conftest import amended, fixture, manifest

LRN = "LRN26BROKER0001"
BOX = "OOLU1002005"


def test_goods_are_released_only_when_customs_and_the_agency_have_released(broker, sim):
    sim.plan(LRN, ["accept", "agency:1", "release", "agency:2"], agency=[("H01", "awaiting sampling"), ("C03", "")])
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    results = sim.deliver()
    declaration.refresh_from_db()
    assert [r.status for r in results] == ["applied"] * 4
    assert declaration.state == "released"
    check = declaration.agency_checks.get()
    assert (check.agency, check.check_code, check.decision_code, check.state) == ("CIQ-SIM", "H218", "C03", "released")
    answer = gate_clearance([BOX])[BOX]
    assert answer.released is True and answer.holds == []
    trail = list(declaration.audit_entries.exclude(event_code="").values_list("event_code", "to_state"))
    assert ("HOLD", "accepted") in trail  # the agency's hold, customs still deciding
    assert ("HOLD", "held") in trail  # customs released, the agency had not
    assert trail[-1] == ("RLSD", "released")


def test_the_gate_is_held_while_the_agency_holds_even_after_customs_released(broker, sim):
    sim.plan(LRN, ["accept", "agency:1", "release"], agency=[("H02", "documentary check")])
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "held" and declaration.customs_released
    answer = gate_clearance([BOX])[BOX]
    assert answer.released is False and {h["authority"] for h in answer.holds} == {"CIQ-SIM"}


def test_an_agency_refusal_refuses_the_goods(broker, sim):
    sim.plan(LRN, ["accept", "agency:1", "release"], agency=[("N02", "prohibited species")])
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "refused"
    assert declaration.reasons == [{"code": "N02", "text": "prohibited species"}]
    assert gate_clearance([BOX])[BOX].released is False


def test_a_forged_response_is_quarantined_and_never_applied(broker, sim):
    sim.plan(LRN, ["accept"])
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    sent = declaration.messages.get(role="outbound").message_id
    release = messages.dms(message_id="FAKE1", code="09", lrn=LRN, mrn="X", version=1)
    result = receive(sim.forged(sent, release))
    declaration.refresh_from_db()
    assert result.status == "quarantined" and "trust" in result.note
    assert result.message.signature == "untrusted"
    assert declaration.state == "accepted"
    assert gate_clearance([BOX])[BOX].released is False


def test_a_response_changed_after_signing_is_quarantined(broker, sim):
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    genuine = sim.outbox.pop(0)
    result = receive(sim.tampered(genuine))
    assert result.status == "quarantined" and result.message.signature == "invalid"
    declaration.refresh_from_db()
    assert declaration.state == "transport_acknowledged"


def test_an_uncorrelatable_response_is_quarantined(db, sim):
    from customs_gateway import envelope

    document = sim.customs.sign(messages.dms(message_id="N1", code="09", lrn="NOBODY", mrn="", version=1))
    body = envelope.wrap(
        document, message_id="SIMX1", sender="CNCUSTOMS-SIM", receiver="LOGIHUB", msg_type="RES", keys={}
    )
    result = receive(body)
    assert result.status == "quarantined" and result.note.startswith("uncorrelated")


def test_garbage_from_the_authority_is_quarantined_not_raised(db):
    result = receive(b"<not-closed>")
    assert result.status == "quarantined" and result.message.body == b"<not-closed>"


def test_a_manifest_amendment_is_a_new_version_accepted_as_an_amendment(carrier, sim):
    declaration = submit(carrier, manifest(), actor="test")
    sim.plan(declaration.business_reference, ["accept"])
    dispatch(declaration.pk)
    sim.deliver()
    declaration = submit(carrier, amended(manifest(), "5", "TESTCARRIER_MT1101_AMEND_1"), actor="test")
    assert (declaration.version, declaration.function_code, declaration.state) == (2, "5", "draft")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "accepted"
    assert declaration.audit_entries.filter(event_code="AMND").exists()


def test_a_manifest_deletion_cancels_it_and_lifts_holds(carrier, sim):
    declaration = submit(carrier, manifest(), actor="test")
    sim.plan(declaration.business_reference, ["accept", "hold"])
    dispatch(declaration.pk)
    sim.deliver()
    assert gate_clearance(["MSKU1234565"])["MSKU1234565"].holds
    declaration = submit(carrier, amended(manifest(), "3", "TESTCARRIER_MT1101_DELETE_1"), actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "cancelled"
    answer = gate_clearance(["MSKU1234565"])["MSKU1234565"]
    assert answer.state == "CNCL" and answer.holds == [] and answer.released is False


def test_a_deletion_the_authority_approves_with_its_receipt_type_01_cancels_the_manifest(carrier, sim):
    import re

    from customs_gateway import envelope

    declaration = submit(carrier, manifest(), actor="test")
    sim.plan(declaration.business_reference, ["accept", "hold"])
    dispatch(declaration.pk)
    sim.deliver()
    declaration = submit(carrier, amended(manifest(), "3", "TESTCARRIER_MT1101_DELETE_1"), actor="test")
    dispatch(declaration.pk)
    sim.outbox.clear()  # the authority's own answer below, as it writes it: per bill, type 01 (passed)
    receipt = messages.mt9999(
        message_id="R1",
        sender="CNCUSTOMS-SIM",
        receiver="LOGIHUB",
        function_code="3",
        voyage="047E",
        vessel="UN9321483",
        trigger="accept",
        bills=["LGHB2611001", "LGHB2611002"],
        containers=[],
        overall=False,
    )
    receipt = re.sub(rb"<Code>\d{5}</Code>", b"<Code>01</Code>", receipt)
    assert receipt.count(b"<Code>01</Code>") == 2
    sent = declaration.messages.filter(role="outbound").last().message_id
    body = envelope.wrap(
        sim.customs.sign(receipt),
        message_id="SIM-R1",
        sender="CNCUSTOMS-SIM",
        receiver="LOGIHUB",
        msg_type="MT9999",
        keys={"RefMsgId": sent},
    )
    assert receive(body).status == "applied"
    declaration.refresh_from_db()
    assert declaration.state == "cancelled"
    assert gate_clearance(["MSKU1234565"])["MSKU1234565"].state == "CNCL"


def test_a_late_acceptance_of_the_manifest_a_deletion_deletes_does_not_cancel_it(carrier, sim):
    import re

    from customs_gateway import envelope

    declaration = submit(carrier, manifest(), actor="test")
    sim.plan(declaration.business_reference, [])
    dispatch(declaration.pk)
    original = declaration.messages.get(role="outbound").message_id
    declaration = submit(carrier, amended(manifest(), "3", "TESTCARRIER_MT1101_DELETE_1"), actor="test")
    dispatch(declaration.pk)
    sim.outbox.clear()
    receipt = messages.mt9999(
        message_id="R0",
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
    receipt = re.sub(rb"<Code>\d{5}</Code>", b"<Code>01</Code>", receipt)
    body = envelope.wrap(
        sim.customs.sign(receipt),
        message_id="SIM-R0",
        sender="CNCUSTOMS-SIM",
        receiver="LOGIHUB",
        msg_type="MT9999",
        keys={"RefMsgId": original},  # it answers the original, not the deletion
    )
    receive(body)
    declaration.refresh_from_db()
    assert declaration.state != "cancelled"


def test_an_operator_reprocesses_a_quarantined_answer_once_its_key_is_trusted(broker, sim):
    from customs_gateway.inbound import reprocess, trust
    from customs_gateway.keys import self_signed
    from customs_gateway.signing import XmlDsigSigner

    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    sim.outbox.clear()
    new_key = XmlDsigSigner(*self_signed("customs authority, renewed certificate"))
    sent = declaration.messages.get(role="outbound").message_id
    from customs_gateway import envelope

    document = new_key.sign(messages.dms(message_id="N2", code="01", lrn=LRN, mrn="26CNX", version=1))
    body = envelope.wrap(
        document,
        message_id="SIMN2",
        sender="CNCUSTOMS-SIM",
        receiver="LOGIHUB",
        msg_type="RES",
        keys={"RefMsgId": sent},
    )
    quarantined = receive(body)
    assert quarantined.status == "quarantined"
    trust("CNCUSTOMS-SIM", certificate=new_key.cert_pem)
    result = reprocess(quarantined.message, actor="operator")
    declaration.refresh_from_db()
    assert result.status == "applied" and declaration.state == "accepted"


def test_an_answer_signed_by_customs_but_speaking_for_an_agency_is_quarantined(broker, sim):
    from customs_gateway import envelope

    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    sent = declaration.messages.get(role="outbound").message_id
    release = messages.decision(
        message_id="D9", agency="CIQ-SIM", reference=LRN, version=1, number=9, checks=[(1, "H218", "C03", "")]
    )
    body = envelope.wrap(
        sim.customs.sign(release),
        message_id="X9",
        sender="CNCUSTOMS-SIM",
        receiver="LOGIHUB",
        msg_type="AGENCY",
        keys={"RefMsgId": sent},
    )
    result = receive(body)
    assert result.status == "quarantined" and "speaks for CIQ-SIM" in result.note


def test_an_agencys_key_cannot_release_on_behalf_of_customs(broker, sim):
    from customs_gateway import envelope

    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    sim.outbox.clear()
    sent = declaration.messages.get(role="outbound").message_id
    release = messages.dms(message_id="R9", code="09", lrn=LRN, mrn="X", version=1)
    body = envelope.wrap(
        sim.agency.sign(release),
        message_id="A9",
        sender="CIQ-SIM",
        receiver="LOGIHUB",
        msg_type="RES",
        keys={"RefMsgId": sent},
    )
    result = receive(body)
    assert result.status == "quarantined" and "speaks for customs" in result.note
    assert gate_clearance([BOX])[BOX].released is False
