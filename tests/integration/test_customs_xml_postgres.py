"""Customs XML processed on PostgreSQL: a manifest's facts stored once, an authority's answer through the gateway.

The unit tests run the same path on SQLite; this one checks it against the production database
(JSON payloads, INSERT ... ON CONFLICT, the gateway's row locks).
"""

from pathlib import Path

import pytest

from customs_gateway.models import Declaration
from edi.models import MessageState, RawMessage
from edi.processing import process, reprocess
from edi.services import receive
from tracking.models import Event, Party

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "customs"


def test_a_tally_and_a_loading_manifest_store_their_moves_once_even_when_reprocessed():
    carrier = Party.objects.create(name="Carrier", edi_id="TESTCARRIER_SWS0000000001", role="carrier")
    tally = Party.objects.create(name="Tally", edi_id="TALLYCO_SWS0000000001", role="terminal")
    loading = receive((FIXTURES / "MT4101_loading.xml").read_bytes(), channel="http", party=carrier).message
    terminal = receive((FIXTURES / "MT5101_terminal_tally.xml").read_bytes(), channel="http", party=tally).message
    for message in (loading, terminal):
        assert process(str(message.id)) == MessageState.PROCESSED
    assert reprocess(str(terminal.id)) == MessageState.PROCESSED
    assert Event.objects.filter(type_code="LOAD", equipment_reference="OOLU1002005").count() == 1
    discharged = Event.objects.filter(type_code="DISC").order_by("equipment_reference")
    assert [e.equipment_reference for e in discharged] == ["ABCU1234567", "MSKU1234565", "TGHU7654320"]
    assert {e.un_location_code for e in discharged} == {"CNNSA"}
    assert RawMessage.objects.get(pk=terminal.pk).outcome["duplicateEvents"] == 3


def test_a_dms_acceptance_moves_a_declaration_on_postgresql():
    from customs_gateway import transport
    from customs_gateway.outbound import dispatch, submit
    from customs_gateway.simulator import Simulator
    from tests.unit.customs_gateway.conftest import demo_signers

    customs_key, agency_key = demo_signers()
    simulator = Simulator(customs=customs_key, agency=agency_key)
    simulator.trust()
    transport.override(simulator)
    try:
        broker = Party.objects.create(name="Broker", edi_id="TESTBROKER", role="forwarder")
        body = (FIXTURES / "WCO_DEC_import.xml").read_bytes().replace(b"LRN26BROKER0001", b"3.1_P1_TT_1311RM41")
        declaration = submit(broker, body, actor="t")
        simulator.rules.drop_next = 10
        dispatch(declaration.pk)
        cds = Party.objects.create(name="UK CDS", edi_id="GBCDS", role="customs")
        message = receive((FIXTURES / "01_DMSACC.xml").read_bytes(), channel="http", party=cds).message
        assert process(str(message.id)) == MessageState.PROCESSED
    finally:
        transport.override(None)
    assert Declaration.objects.get(pk=declaration.pk).state == "accepted"
    assert RawMessage.objects.get(pk=message.pk).outcome["customsGateway"][0]["status"] == "applied"
