"""A broker's declaration against the simulator: rejection and resubmission, lost receipts, late and doubled answers."""

from datetime import timedelta

from django.utils import timezone

from customs_gateway.clearance import gate_clearance
from customs_gateway.outbound import dispatch, submit
from customs_gateway.retries import check_overdue
from tests.unit.customs_gateway.conftest import fixture

BOXES = ["OOLU1002005", "CAIU5550017"]
LRN = "LRN26BROKER0001"


def corrected() -> bytes:
    return fixture("WCO_DEC_import.xml").replace(b"Frozen fish fillets", b"Frozen cod fillets, skinless")


def test_a_rejected_declaration_is_corrected_and_resubmitted_as_version_two(broker, sim):
    sim.rules.reject_first.add(LRN)
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "rejected" and declaration.reasons[0]["code"] == "R001"
    assert declaration.registration_number == ""

    declaration = submit(broker, corrected(), actor="test")
    assert (declaration.version, declaration.state) == (2, "draft")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "released" and declaration.registration_number.startswith("26CN")
    assert all(gate_clearance(BOXES)[box].released for box in BOXES)


def test_a_lost_receipt_raises_an_alert_and_resubmits_under_a_new_message_id(broker, sim):
    sim.rules.drop_next = 2  # accept and release of the first send are lost
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    assert sim.deliver() == []
    first_id = declaration.messages.get(role="outbound").message_id

    assert check_overdue(timezone.now()) == []  # not due yet
    assert check_overdue(timezone.now() + timedelta(hours=1)) == [str(declaration.pk)]
    declaration.refresh_from_db()
    outbound = list(
        declaration.messages.filter(role="outbound").values_list("message_id", "business_reference", "version")
    )
    assert len(outbound) == 2 and outbound[1][0] != first_id
    assert outbound[0][1:] == outbound[1][1:] == (LRN, 1)
    assert declaration.audit_entries.filter(action="alert").exists()
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "released"
    assert len(set(sim.registrations.values())) == 1  # the authority saw one declaration


def test_a_duplicated_notification_is_recorded_once_and_applied_once(broker, sim):
    sim.rules.duplicate = True
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    statuses = [r.status for r in sim.deliver()]
    assert statuses == ["applied", "duplicate", "applied", "duplicate"]
    response = declaration.messages.filter(role="response").first()
    assert response.duplicates == 1
    assert declaration.audit_entries.filter(event_code="ACPT").count() == 1


def test_an_out_of_order_acceptance_after_release_is_recorded_but_not_applied(broker, sim):
    sim.rules.reverse = True  # release arrives before acceptance
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    statuses = [r.status for r in sim.deliver()]
    declaration.refresh_from_db()
    assert statuses == ["applied", "stale"]
    assert declaration.state == "released"
    assert declaration.messages.filter(outcome="stale").count() == 1


def test_a_transport_failure_is_a_state_and_the_resubmission_recovers(broker, sim):
    sim.rules.fail_next = 1
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    declaration.refresh_from_db()
    assert declaration.state == "transport_failed"
    assert declaration.messages.get(role="outbound").outcome == "send_failed"
    check_overdue(timezone.now() + timedelta(hours=1))
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "released"


def test_an_answer_to_an_older_version_is_not_applied(broker, sim):
    sim.rules.reject_first.add(LRN)
    sim.plan(LRN, ["accept"])
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    old_send = sim.received[-1]
    declaration = submit(broker, corrected(), actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    sim.plan(LRN, ["release"])
    sim._answer(sim._read(old_send))  # a release answering version 1
    results = sim.deliver()
    declaration.refresh_from_db()
    assert results[0].status == "stale" and declaration.state == "accepted"


def test_a_send_task_delivered_twice_sends_once(broker, sim):
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    assert dispatch(declaration.pk) is None
    assert len(sim.received) == 1


def test_the_demo_steers_the_simulator_by_a_word_in_the_reference(broker, sim):
    body = fixture("WCO_DEC_import.xml").replace(LRN.encode(), b"LRN26HOLD0001")
    declaration = submit(broker, body, actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "held"


def test_a_permanent_transport_refusal_is_not_retried(broker, sim, monkeypatch):
    from customs_gateway.exceptions import TransportError

    def refuse(body, *, message_id):
        raise TransportError("HTTP 400", permanent=True)

    monkeypatch.setattr(sim, "send", refuse)
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    assert check_overdue(timezone.now() + timedelta(hours=1)) == []
    declaration.refresh_from_db()
    assert declaration.state == "transport_failed"
    assert declaration.audit_entries.filter(action="alert", reason__startswith="permanent").exists()
