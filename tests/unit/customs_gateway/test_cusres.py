"""CUSRES through the translation layer: canonical CUSTOMS events handed to the gateway's state machine."""

from customs_gateway.clearance import gate_clearance
from customs_gateway.inbound import receive_events
from customs_gateway.models import Declaration
from customs_gateway.outbound import dispatch, submit
from tests.unit.customs_gateway.conftest import fixture

LRN = "LRN26BROKER0001"


def _event(code: str, box: str, reasons=None) -> dict:
    return {
        "eventID": f"00000000-0000-5000-8000-{abs(hash((code, box))) % 10**12:012d}",
        "eventType": "CUSTOMS",
        "eventClassifierCode": "ACT",
        "customsEventTypeCode": code,
        "eventDateTime": "2026-11-25T13:00:00+08:00",
        "eventCreatedDateTime": "2026-11-25T13:00:00+08:00",
        "customsAuthority": "CNSHACUSTOMS",
        "equipmentReference": box,
        "documentReferences": [{"documentReferenceType": "DEC", "documentReferenceValue": LRN}],
        "reasons": reasons or [],
        "source": {"party": "CNSHACUSTOMS", "messageReference": "1"},
    }


def test_a_cusres_acceptance_and_release_move_the_declaration(broker, sim):
    sim.rules.drop_next = 10
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    boxes = ["OOLU1002005", "CAIU5550017"]
    accepted = receive_events(
        [_event("ACPT", b) for b in boxes], body=b"UNB...1", sender="CNSHACUSTOMS", message_id="CR1:1"
    )
    assert [r.status for r in accepted] == ["applied"]
    assert Declaration.objects.get(pk=declaration.pk).state == "accepted"
    released = receive_events(
        [_event("RLSD", b) for b in boxes], body=b"UNB...2", sender="CNSHACUSTOMS", message_id="CR2:1"
    )
    assert released[0].status == "applied"
    assert all(gate_clearance(boxes)[b].released for b in boxes)
    again = receive_events(
        [_event("RLSD", b) for b in boxes], body=b"UNB...2", sender="CNSHACUSTOMS", message_id="CR2:1"
    )
    assert again[0].status == "duplicate"


def test_a_cusres_for_an_unknown_declaration_is_quarantined(db):
    (result,) = receive_events([_event("RLSD", "OOLU1002005")], body=b"UNB", sender="CNSHACUSTOMS", message_id="CR9:1")
    assert result.status == "quarantined"
