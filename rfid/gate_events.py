"""GTIN/GTOT canonical equipment events of an opened gate transaction, one per container.

The eventID is a UUID5 over (container, gate, lane, direction, transaction), and the transaction's
id is itself derived from its lane and first read: a retried post lands in the same transaction and
records nothing new. Events are recorded only when the barrier opens (a held truck did not pass),
in batches, by ``services.record_pending_events``.
"""

from __future__ import annotations

from datetime import datetime

from rfid.choices import Direction
from rfid.models import Gate, GateTransaction, Reader
from tracking.events import event_id


def gate_event(tx: GateTransaction, container: str, gate: Gate | None, reader: Reader, now: datetime) -> dict:
    code = "GTIN" if tx.direction == Direction.IN else "GTOT"
    event = {
        "eventID": event_id("RFID", "EQUIPMENT", code, container, tx.gate, tx.lane, tx.direction, tx.id),
        "eventType": "EQUIPMENT",
        "eventClassifierCode": "ACT",
        "equipmentEventTypeCode": code,
        "eventDateTime": tx.started_at.isoformat(),
        "eventCreatedDateTime": now.isoformat(),
        "equipmentReference": container,
        "source": {
            "rawMessage": None,
            "party": reader.operator.edi_id if reader.operator_id else None,
            "messageReference": str(tx.id)[:35],
            "position": {"reader": reader.reader_id, "gate": tx.gate, "lane": tx.lane},
        },
    }
    if gate is not None and gate.un_location_code:
        call = {"UNLocationCode": gate.un_location_code, "modeOfTransport": "TRUCK"}
        if gate.facility_code:
            call["facilityCode"] = gate.facility_code
        event["transportCall"] = call
    return event
