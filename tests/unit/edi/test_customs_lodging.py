"""A CUSDEC or CUSCAR that comes over the EDI channels is lodged through the customs gateway, not stored as a fact."""

import pytest

from customs_gateway.models import Declaration
from edi.map import map_interchange
from edi.models import RawMessage
from edi.parse.interchange import read_interchange
from edi.processing import process
from edi.services import receive
from edi.validate import validate_interchange
from edi.writing import edifact_bytes
from tests.unit.customs_gateway.conftest import demo_signers
from tests.unit.customs_gateway.test_edifact_declarations import LRN, cusdec
from tracking.models import Event, Party

pytestmark = pytest.mark.django_db


@pytest.fixture
def authority():
    from customs_gateway import transport
    from customs_gateway.simulator import Simulator

    customs, agency = demo_signers()
    simulator = Simulator(customs=customs, agency=agency, message_format="edifact")
    simulator.trust()
    transport.override(simulator)
    yield simulator
    transport.override(None)


@pytest.fixture
def broker():
    return Party.objects.create(name="Test Broker", edi_id="TESTBROKER", role="forwarder")


def test_a_brokers_cusdec_over_http_is_lodged_and_followed_to_release(
    broker, authority, django_capture_on_commit_callbacks
):
    message = receive(cusdec(), channel="http", party=broker).message
    with django_capture_on_commit_callbacks(execute=True):
        assert process(str(message.id)) == "processed"
    declaration = Declaration.objects.get(party=broker, business_reference=LRN)
    outcome = RawMessage.objects.get(pk=message.pk).outcome
    assert outcome["messages"][0]["declaration"] == str(declaration.pk)
    assert declaration.state == "transport_acknowledged"
    (mapped,) = map_interchange(cusdec()).events
    assert not Event.objects.filter(event_id=mapped["eventID"]).exists()  # lodged, not stored as the partner's fact
    assert Event.objects.filter(type_code="DECL").count() == 2  # the gateway's, per container, as it submitted
    authority.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "released"
    assert Event.objects.filter(event_type="CUSTOMS", type_code="RLSD").count() == 2  # one per container


def test_a_declaration_the_gateway_refuses_is_the_messages_error(broker, authority):
    authority.message_format = "xml"  # an authority that takes XML only
    message = receive(cusdec(), channel="http", party=broker).message
    assert process(str(message.id)) == "rejected"
    outcome = RawMessage.objects.get(pk=message.pk).outcome
    assert [e["code"] for e in outcome["errors"]] == ["format"]
    assert not Declaration.objects.exists()
    # the CONTRL said the message was read; the APERAK says it was refused, and why
    (aperak,) = [a for a in outcome["acknowledgements"] if a["type"] == "APERAK"]
    reference = outcome["messages"][0]["reference"]
    assert aperak["answers"] == reference
    validation = validate_interchange(edifact_bytes(aperak["body"]))
    assert validation.errors == []
    segments = [s for m in read_interchange(edifact_bytes(aperak["body"])) for s in m.body]
    tagged = {s.tag: s for s in segments}
    assert tagged["BGM"].get(4) == "RE" and tagged["ERC"].get(1) == "12"
    references = {s.get(1): s.get(1, 2) for s in segments if s.tag == "RFF"}
    assert references["ACW"] == reference and references["AGO"] == LRN  # its UNH reference, its document number
    assert "REFUSED BY THE CUSTOMS GATEWAY (FORMAT)" in aperak["body"].upper()
    assert "+TESTBROKER" in aperak["body"]  # addressed to the broker that sent it
