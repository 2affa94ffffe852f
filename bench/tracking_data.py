"""The tracking benchmark's data: a million events loaded with ``COPY``, and the partners who read them.

``containers`` containers of ``PER_CONTAINER`` equipment events each; four containers per bill of
lading (a shipment row and its container links, as ingestion makes them); a status row per
container from its latest event; a forwarder granted every container. Run in the measuring child
(``bench.tracking_query --child``) with the settings pointing at the benchmark's PostgreSQL.
"""

from __future__ import annotations

import json
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

PER_CONTAINER = 10
PER_BILL = 4
CODES = ("GTIN", "LOAD", "DISC", "GTOT", "PICK", "DROP", "STUF", "STRP", "INSP", "RSEA")
PORTS = ("CNSHA", "CNNGB", "SGSIN", "NLRTM", "DEHAM", "USLAX")
EVENT_COLUMNS = (
    "event_id, event_type, event_classifier, type_code, event_datetime, event_created_datetime, "
    "equipment_reference, carrier_booking_reference, transport_document_reference, un_location_code, "
    "payload, recorded_at, document_key"
)
STATUS_COLUMNS = (
    "equipment_id, milestone, milestone_event_type, milestone_at, milestone_event_id, un_location_code, "
    "facility_code, vessel_imo_number, vessel_name, carrier_voyage_number, customs_state, customs_log, holds, "
    "eta_location, eta_event_id, updated_at"
)


def _check_digit(prefix: str) -> str:
    from stdnum import iso6346

    return iso6346.calc_check_digit(prefix)


def bill_of(index: int) -> str:
    return f"BNBL{index // PER_BILL:08d}"


def _events(numbers: list[str], now: datetime):
    """Each container's rows for COPY, and (per container) its latest event's (id, time, place)."""
    from tracking.events import event_id

    start = datetime(2026, 1, 1, tzinfo=UTC)
    rng = random.Random(5)
    for index, number in enumerate(numbers):
        bill = bill_of(index)
        base = start + timedelta(minutes=rng.randrange(0, 500_000))
        rows = []
        for step, code in enumerate(CODES[:PER_CONTAINER]):
            at = base + timedelta(hours=7 * step)
            place = PORTS[(index + step // 3) % len(PORTS)]
            eid = event_id("EQUIPMENT", code, "ACT", number, at.isoformat(), place)
            payload = {
                "eventID": eid,
                "eventType": "EQUIPMENT",
                "eventClassifierCode": "ACT",
                "equipmentEventTypeCode": code,
                "eventDateTime": at.isoformat(),
                "eventCreatedDateTime": at.isoformat(),
                "equipmentReference": number,
                "ISOEquipmentCode": "45G1",
                "emptyIndicatorCode": "LADEN",
                "transportCall": {"UNLocationCode": place, "modeOfTransport": "VESSEL"},
                "documentReferences": [{"documentReferenceType": "TRD", "documentReferenceValue": bill}],
                "source": {
                    "party": "BENCHCARRIER",
                    "messageReference": f"M{index}",
                    "document": {"type": "IFTSTA", "number": f"R{index}-{step}", "function": "9"},
                },
            }
            document = f"BENCHCARRIER/IFTSTA/R{index}-{step}"  # the key tracking.withdrawals.key_of gives it
            row = (uuid.UUID(eid), "EQUIPMENT", "ACT", code, at, at, number, "", bill, place, json.dumps(payload), now)
            row += (document,)
            rows.append(row)
        yield rows, (rows[-1][0], rows[-1][3], rows[-1][4], rows[-1][9])


def load(connection, containers: int) -> list[str]:
    """COPY the events, containers, shipments and statuses; return the container numbers."""
    numbers = [f"BNCU{n:06d}" + _check_digit(f"BNCU{n:06d}") for n in range(containers)]
    raw = connection.connection
    now = datetime.now(UTC)
    latest = []
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY tracking_event ({EVENT_COLUMNS}) FROM STDIN") as copy:
            for rows, last in _events(numbers, now):
                for row in rows:
                    copy.write_row(row)
                latest.append(last)
        columns = "reference, iso_equipment_code, valid, problem, created_at"
        with cursor.copy(f"COPY tracking_equipment ({columns}) FROM STDIN") as copy:
            for number in numbers:
                copy.write_row((number, "45G1", True, "", now))
        with cursor.copy("COPY tracking_shipment (kind, reference, created_at) FROM STDIN") as copy:
            for index in range(0, containers, PER_BILL):
                copy.write_row(("TRD", bill_of(index), now))
        cursor.execute("SELECT reference, id FROM tracking_equipment")
        boxes = dict(cursor.fetchall())
        cursor.execute("SELECT reference, id FROM tracking_shipment")
        bills = dict(cursor.fetchall())
        with cursor.copy("COPY tracking_shipmentequipment (shipment_id, equipment_id) FROM STDIN") as copy:
            for index, number in enumerate(numbers):
                copy.write_row((bills[bill_of(index)], boxes[number]))
        with cursor.copy(f"COPY tracking_containerstatus ({STATUS_COLUMNS}) FROM STDIN") as copy:
            for number, (eid, code, at, place) in zip(numbers, latest, strict=True):
                copy.write_row(
                    (boxes[number], code, "EQUIPMENT", at, str(eid), place, "", "", "", "", "", "[]", "[]", "", "", now)
                )
    raw.commit()
    return numbers


def prepare(containers: int) -> tuple[list[str], str]:
    """Load (or, with BENCH_TRACKING_DATABASE_URL, reuse) the data; a key of the forwarder granted all."""
    from django.core.management import call_command
    from django.db import connection

    from tracking.apikeys import issue_key
    from tracking.models import Access, Equipment, Event, Party, Shipment

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    party = Party.objects.filter(edi_id="BENCHFWD").first()
    expected = (containers * PER_CONTAINER, -(-containers // PER_BILL))
    if party is not None and (Event.objects.count(), Shipment.objects.count()) == expected:
        print("reusing the loaded database", file=sys.stderr)
        _key, clear = issue_key(party=party, name="bench")
        return list(Equipment.objects.order_by("reference").values_list("reference", flat=True)), clear
    if party is not None or Event.objects.exists():
        raise RuntimeError("the database holds another load; give an empty one")
    numbers = load(connection, containers)
    party = Party.objects.create(name="Bench Forwarder", edi_id="BENCHFWD", role="forwarder")
    Access.objects.bulk_create(
        [Access(party=party, kind="EQ", reference=n, reason="named") for n in numbers], batch_size=5000
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    _key, clear = issue_key(party=party, name="bench")
    return numbers, clear


def small_forwarder(numbers: list[str], count: int = 100) -> tuple[list[str], str]:
    """A forwarder granted ``count`` of the containers: its containers and a key."""
    from tracking.apikeys import issue_key
    from tracking.models import Access, Party

    mine = sorted(random.Random(11).sample(numbers, count))
    party, created = Party.objects.get_or_create(
        edi_id="BENCHSMALL", defaults={"name": "Small Forwarder", "role": "forwarder"}
    )
    if created:
        Access.objects.bulk_create([Access(party=party, kind="EQ", reference=n, reason="named") for n in mine])
    _key, clear = issue_key(party=party, name="bench")
    return mine, clear
