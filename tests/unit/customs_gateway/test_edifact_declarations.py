"""Declarations and manifests as EDIFACT: CUSDEC/CUSCAR in through the translation layer, out to an
authority that speaks EDIFACT, and its CONTRL and CUSRES answers followed to release."""

import pytest

from customs_gateway.clearance import gate_clearance
from customs_gateway.exceptions import InvalidMessage
from customs_gateway.outbound import dispatch, submit
from edi.map import map_interchange
from edi.validate import validate_interchange
from tests.unit.customs_gateway.conftest import fixture
from tracking.validation import problems_of

URL = "/api/v1/customs/declarations"
LRN = "LRN-EDI-0001"
BOXES = ["MSKU1234565", "TCLU9988775"]


def cusdec(lrn: str = LRN, control: str = "CD0005", function: str = "9", sender: str = "TESTBROKER") -> bytes:
    segments = [
        "UNA:+.? ",
        f"UNB+UNOC:3+{sender}:ZZZ+CNSHACUSTOMS:ZZZ+261125:0800+{control}",
        "UNH+1+CUSDEC:D:96B:UN",
        f"BGM+929+{lrn}+{function}",
        "LOC+22+CNSHA:139:6",
        "DTM+137:202611250800:203",
        "EQD+CN+MSKU1234565+45G1:102:5",
        "EQD+CN+TCLU9988775",
        "RFF+BM:MAEU123456789",
        "TDT+20+612E+1+++++9321483:146:11:MAERSK ESSEN",
        "UNS+D",
        "UNS+S",
        "UNT+11+1",
        f"UNZ+1+{control}",
    ]
    return ("UNA:+.? '" + "'".join(segments[1:]) + "'").encode()


def cuscar(number: str = "MAN-612E-SHA") -> bytes:
    segments = [
        "UNA:+.? ",
        "UNB+UNOC:3+TESTCARRIER:ZZZ+CNSHACUSTOMS:ZZZ+261125:0800+CC0001",
        "UNH+1+CUSCAR:D:96B:UN",
        f"BGM+85+{number}+9",
        "DTM+137:202611250800:203",
        "TDT+20+612E+1+++++9321483:146:11:MAERSK ESSEN",
        "EQD+CN+MSKU1234565+45G1:102:5",
        "EQD+CN+TCLU9988775+42G1:102:5",
        "CNI+1+MAEU0001",
        "RFF+BM:MAEU0001",
        "LOC+11+CNSHA:139:6",
        "GID+1",
        "SGP+MSKU1234565",
        "CNI+2+MAEU0002",
        "RFF+BM:MAEU0002",
        "GID+1",
        "SGP+TCLU9988775",
        "UNT+16+1",
        "UNZ+1+CC0001",
    ]
    return ("UNA:+.? '" + "'".join(segments[1:]) + "'").encode()


@pytest.fixture
def edifact_sim(sim):
    sim.message_format = "edifact"
    return sim


@pytest.fixture
def broker_client(api_client, broker):
    from tracking.apikeys import issue_key

    _key, clear = issue_key(party=broker, name="t")
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {clear}")
    return api_client


def test_the_test_messages_are_valid_against_their_directory():
    for body in (cusdec(), cuscar()):
        assert validate_interchange(body).errors == []


def test_an_edifact_declaration_is_followed_from_the_api_to_release(
    broker_client, edifact_sim, django_capture_on_commit_callbacks
):
    from tracking.models import Event

    with django_capture_on_commit_callbacks(execute=True):
        response = broker_client.generic("POST", URL, cusdec(), content_type="application/edifact")
    assert response.status_code == 202, response.content
    declaration_id = response.json()["id"]
    from customs_gateway.models import Declaration

    declaration = Declaration.objects.get(pk=declaration_id)
    assert (declaration.kind, declaration.business_reference, declaration.message_type) == (
        "declaration",
        LRN,
        "CUSDEC",
    )
    assert sorted(declaration.containers.values_list("number", flat=True)) == BOXES
    assert list(declaration.bills.values_list("number", flat=True)) == ["MAEU123456789"]
    assert declaration.voyage == "612E"
    assert declaration.state == "transport_acknowledged"

    # what went out: a CUSDEC of our own, valid against D.96B, that reads back as the same declaration
    outbound = declaration.messages.get(role="outbound")
    assert (outbound.standard, outbound.message_type, outbound.signature) == ("edifact", "CUSDEC", "none")
    sent = bytes(outbound.body)
    assert validate_interchange(sent).errors == []
    assert sent.startswith(b"UNA:+.? 'UNB+UNOC:3+LOGIHUB+EPORT+") and f"+{outbound.message_id}'".encode() in sent
    (lodged,) = map_interchange(sent).events
    assert lodged["customsEventTypeCode"] == "DECL" and lodged["equipmentReferences"] == BOXES
    assert lodged["documentReferences"][0] == {"documentReferenceType": "DEC", "documentReferenceValue": LRN}
    ack = declaration.messages.get(role="transport_ack")
    assert (ack.standard, ack.message_type) == ("edifact", "CONTRL") and b"UCI+" in bytes(ack.body)
    assert b"CUSDEC" in edifact_sim.received[0]

    results = edifact_sim.deliver()
    assert [r.status for r in results] == ["applied", "applied"]
    declaration.refresh_from_db()
    assert declaration.state == "released" and declaration.registration_number.startswith("26CN")
    answers = declaration.messages.filter(role="response")
    assert {(m.standard, m.message_type) for m in answers} == {("edifact", "CUSRES")}
    assert all(gate_clearance(BOXES)[box].released for box in BOXES)
    customs_events = [e.payload for e in Event.objects.filter(event_type="CUSTOMS")]
    assert problems_of(customs_events) == []
    released = [e for e in customs_events if e["customsEventTypeCode"] == "RLSD"]
    assert sorted(e["equipmentReference"] for e in released) == BOXES
    assert {"documentReferenceType": "DEC", "documentReferenceValue": LRN} in released[0]["documentReferences"]

    detail = broker_client.get(f"{URL}/{declaration_id}").json()
    assert detail["state"] == "released"


def test_a_rejected_edifact_declaration_is_corrected_and_released(broker, edifact_sim):
    edifact_sim.rules.reject_first.add(LRN)
    declaration = submit(broker, cusdec(), actor="test")
    dispatch(declaration.pk)
    edifact_sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "rejected" and declaration.reasons[0]["code"] == "R001"
    rejection = declaration.messages.get(role="response")
    assert b"GIS+2'" in bytes(rejection.body) and b"ERC+R001'" in bytes(rejection.body)

    declaration = submit(broker, cusdec(control="CD0006"), actor="test")
    assert (declaration.version, declaration.state) == (2, "draft")
    dispatch(declaration.pk)
    edifact_sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "released"


def test_an_edifact_cancellation_cancels_the_declaration(broker, edifact_sim):
    declaration = submit(broker, cusdec(), actor="test")
    edifact_sim.plan(LRN, ["accept"])
    dispatch(declaration.pk)
    edifact_sim.deliver()
    declaration = submit(broker, cusdec(control="CD0007", function="1"), actor="test")
    assert declaration.function_code == "3"
    dispatch(declaration.pk)
    cancellation = declaration.messages.filter(role="outbound").latest("id")
    assert b"BGM+929+" + LRN.encode() + b"+1'" in bytes(cancellation.body)
    edifact_sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state in ("cancelled", "closed")


def test_an_xml_declaration_goes_to_an_edifact_authority_as_cusdec(broker, edifact_sim):
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    outbound = declaration.messages.get(role="outbound")
    assert outbound.message_type == "CUSDEC" and validate_interchange(bytes(outbound.body)).errors == []
    (lodged,) = map_interchange(bytes(outbound.body)).events
    assert lodged["documentReferences"][0]["documentReferenceValue"] == "LRN26BROKER0001"
    edifact_sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "released"


def test_an_edifact_manifest_goes_out_as_cuscar_and_is_released_per_container(carrier, edifact_sim):
    edifact_sim.plan("MAN-612E-SHA", ["accept", "hold", "release"])
    declaration = submit(carrier, cuscar(), actor="test")
    assert (declaration.kind, declaration.message_type) == ("manifest", "CUSCAR")
    assert dict(declaration.containers.values_list("number", "bill__number")) == {
        "MSKU1234565": "MAEU0001",
        "TCLU9988775": "MAEU0002",
    }
    dispatch(declaration.pk)
    outbound = bytes(declaration.messages.get(role="outbound").body)
    assert validate_interchange(outbound).errors == []
    bills = map_interchange(outbound).events
    assert [(e["documentReferences"][1]["documentReferenceValue"], e["equipmentReference"]) for e in bills] == [
        ("MAEU0001", "MSKU1234565"),
        ("MAEU0002", "TCLU9988775"),
    ]
    results = edifact_sim.deliver()
    assert [r.status for r in results] == ["applied", "applied", "applied"]
    declaration.refresh_from_db()
    assert declaration.state == "released"
    assert set(declaration.containers.values_list("state", flat=True)) == {"released"}


def test_duplicated_cusres_answers_are_recorded_once(broker, edifact_sim):
    edifact_sim.rules.duplicate = True
    declaration = submit(broker, cusdec(), actor="test")
    dispatch(declaration.pk)
    assert [r.status for r in edifact_sim.deliver()] == ["applied", "duplicate", "applied", "duplicate"]


def test_an_edifact_declaration_is_refused_when_the_authority_takes_xml(broker, sim):
    with pytest.raises(InvalidMessage) as refused:
        submit(broker, cusdec(), actor="test")
    assert refused.value.code == "format"


def test_a_cusdec_with_a_syntax_error_is_refused_with_its_position(broker_client, edifact_sim):
    body = cusdec().replace(b"UNT+11+1", b"UNT+10+1")
    response = broker_client.generic("POST", URL, body, content_type="application/edifact")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "edifact" and "[29]" in error["message"] and error["position"]["tag"] == "UNT"


def test_an_authority_posts_its_cusres_over_its_own_channel(api_client, broker, edifact_sim):
    from customs_gateway.simulator import CUSTOMS_ID, Sent
    from customs_gateway.simulator.edifact import cusres
    from tracking.apikeys import issue_key
    from tracking.models import Party

    edifact_sim.plan(LRN, [])  # the authority answers by pushing, not through the simulator's queue
    declaration = submit(broker, cusdec(), actor="test")
    dispatch(declaration.pk)
    authority = Party.objects.create(name="customs", edi_id=CUSTOMS_ID, role="customs")
    _key, clear = issue_key(party=authority, name="t")
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {clear}")
    answer = cusres(
        Sent("x", "declaration", "CUSDEC", "9", LRN, 1),
        "accept",
        registration="26CNPUSHED0001",
        reasons=[],
        sender=CUSTOMS_ID,
        receiver="LOGIHUB",
        reference="PUSH1",
    )
    response = api_client.generic("POST", "/api/v1/customs/responses", answer, content_type="application/edifact")
    assert response.status_code == 202 and response.json()["status"] == "applied"
    declaration.refresh_from_db()
    assert (declaration.state, declaration.registration_number) == ("accepted", "26CNPUSHED0001")


@pytest.mark.parametrize(
    ("step", "code"),
    [
        ("receive", "RCVD"),
        ("accept", "ACPT"),
        ("reject", "RJCT"),
        ("review", "DOCR"),
        ("inspect", "INSP"),
        ("hold", "HOLD"),
        ("release", "RLSD"),
        ("amend", "AMND"),
        ("cancel", "CNCL"),
        ("assess", "TAXA"),
    ],
)
def test_the_simulators_cusres_is_valid_and_reads_as_the_decision_it_means(step, code):
    from customs_gateway.simulator import Sent
    from customs_gateway.simulator.edifact import cusres

    sent = Sent("C1", "declaration", "CUSDEC", "9", LRN, 1, bills=["MAEU1"], containers=BOXES)
    body = cusres(
        sent, step, registration="26CNX", reasons=[("R9", "why")], sender="AUTH", receiver="HUB", reference="R1"
    )
    assert validate_interchange(body).errors == []
    events = map_interchange(body).events
    assert problems_of(events) == [] and {e["customsEventTypeCode"] for e in events} == {code}
    assert events[0]["customsAuthority"] == "AUTH" and events[0]["reasons"][0] == {
        "code": "R9",
        "text": "why",
        "errorPoint": "1",
    }


def test_steps_the_cusres_code_list_cannot_say_are_not_sent():
    from customs_gateway.simulator import Sent
    from customs_gateway.simulator.edifact import cusres

    sent = Sent("C1", "declaration", "CUSDEC", "9", LRN, 1)
    assert cusres(sent, "refuse", registration="", reasons=[], sender="A", receiver="H", reference="R") is None


def test_a_lost_cusres_is_resent_as_a_new_interchange_of_the_same_declaration(broker, edifact_sim):
    from datetime import timedelta

    from django.utils import timezone

    from customs_gateway.retries import check_overdue

    edifact_sim.rules.drop_next = 2  # the acceptance and the release of the first send are lost
    declaration = submit(broker, cusdec(), actor="test")
    dispatch(declaration.pk)
    assert edifact_sim.deliver() == []
    assert check_overdue(timezone.now() + timedelta(hours=1)) == [str(declaration.pk)]
    first, second = declaration.messages.filter(role="outbound").order_by("id")
    assert first.message_id != second.message_id  # a new interchange control reference
    assert f"BGM+929+{LRN}+9'".encode() in bytes(second.body)  # the same declaration
    edifact_sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "released" and len(set(edifact_sim.registrations.values())) == 1


def test_the_embedded_simulator_speaks_what_the_setting_says(settings):
    from customs_gateway.simulator import Simulator

    settings.CUSTOMS_MESSAGE_FORMAT = "edifact"
    assert Simulator().message_format == "edifact"
