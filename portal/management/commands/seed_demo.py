"""``seed_demo``: a small demo world for ``make run``: parties, users, a reader, containers with events.

Idempotent: parties and events are created once (eventIDs are deterministic). Demo API keys
and passwords are new on every run (only hashes are stored) and printed at the end.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta, timezone

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone as dj_timezone
from stdnum import iso6346

from edi.choices import Channel
from edi.services import receive
from portal.watchlist import add_numbers
from rfid.models import Reader, TagBinding
from rfid.services import add_reader, bind_tag
from tracking.access import claim
from tracking.apikeys import issue_key
from tracking.events import event_id
from tracking.models import ApiKey, Event, Party
from tracking.store import record_events
from tracking.visibility import Viewer

PARTIES = [
    ("Harbour Forwarding Co.", "DEMOFWD", "forwarder"),
    ("Blue Ocean Lines", "BLUEOCEAN", "carrier"),
    ("Yangshan Phase IV Terminal", "YSPIVTERM", "terminal"),
    ("Port Customs (simulated)", "CNCUSTOMS", "customs"),
]
VESSEL = {"vesselIMONumber": "9839131", "vesselName": "DEMO HARMONY"}
JOURNEY = [  # (type, code, hours after start, place, facility, with vessel)
    ("EQUIPMENT", "GTIN", 0, "CNSHA", "YSPIV", False),
    ("EQUIPMENT", "LOAD", 20, "CNSHA", "YSPIV", True),
    ("TRANSPORT", "DEPA", 26, "CNSHA", "YSPIV", True),
    ("TRANSPORT", "ARRI", 30 * 24, "NLRTM", "ECTDE", True),
    ("EQUIPMENT", "DISC", 30 * 24 + 8, "NLRTM", "ECTDE", True),
]


def container(owner: str, serial: str) -> str:
    return owner + serial + iso6346.calc_check_digit(owner + serial)


CONTAINERS = [container("BOLU", "123456"), container("BOLU", "765432"), container("HFCU", "200015")]
CUSTOMS = [  # (container index, code, hours after the discharge, reasons)
    (0, "DECL", 1, []),
    (0, "RLSD", 6, []),
    (1, "DECL", 2, []),
    (1, "INSP", 7, [{"code": "INSP", "text": "Physical inspection ordered"}]),
]
TRUCK_TAG = "3314257BF40C0E40000011A9"  # GRAI-96 windscreen tag, company 0614141, asset type 12345, serial 4521
TRUCK_PLATE = "HU4521"
READERS = [  # (reader id, gate, direction, bonded, lane)
    ("GATE1-OUT-L1", "GATE1", "out", True, "L1"),
    ("GATE1-IN-L2", "GATE1", "in", False, "L2"),
]


def customs_events(start: datetime) -> list[dict]:
    """Declarations, a release and an inspection hold at Rotterdam, so the portal has customs to show."""
    events = []
    for index, code, hours, reasons in CUSTOMS:
        number = CONTAINERS[index]
        at = (start + timedelta(hours=30 * 24 + 8 + index + hours)).astimezone(timezone(timedelta(hours=1)))
        event = {
            "eventID": event_id("CUSTOMS", code, "ACT", number, at.isoformat(), "NLRTM"),
            "eventType": "CUSTOMS",
            "eventClassifierCode": "ACT",
            "customsEventTypeCode": code,
            "customsAuthority": "NLCUSTOMS",
            "eventDateTime": at.isoformat(),
            "eventCreatedDateTime": at.isoformat(),
            "equipmentReference": number,
            "transportCall": {"UNLocationCode": "NLRTM", "facilityCode": "ECTDE", "modeOfTransport": "VESSEL"},
            "documentReferences": [
                {"documentReferenceType": "DEC", "documentReferenceValue": f"DECDEMO{index + 1:04d}"}
            ],
            "source": {"party": "CNCUSTOMS", "rawMessage": None, "messageReference": "seed_demo"},
        }
        if reasons:
            event["reasons"] = reasons
        events.append(event)
    return events


def demo_start(now: datetime) -> datetime:
    """The hour the demo journeys began: that of the first seeding, kept by every later one.

    The events' times (and so their eventIDs) follow from it, so a second ``make run`` finds its
    events already there instead of stacking a second journey an hour or a day later."""
    first = (
        Event.objects.filter(equipment_reference=CONTAINERS[0], type_code="GTIN", source_party__edi_id="BLUEOCEAN")
        .order_by("event_datetime")
        .values_list("event_datetime", flat=True)
        .first()
    )
    if first is not None:
        return first.astimezone(UTC)
    return (now - timedelta(days=33)).replace(minute=0, second=0, microsecond=0)


def demo_events(now: datetime) -> list[dict]:
    start = demo_start(now)
    containers = CONTAINERS
    events = []
    for index, number in enumerate(containers):
        steps = JOURNEY[: len(JOURNEY) - index]  # each container got a little less far
        for event_type, code, hours, place, facility, with_vessel in steps:
            at = (start + timedelta(hours=hours + index)).astimezone(
                timezone(timedelta(hours=8 if place == "CNSHA" else 1))
            )
            call = {"UNLocationCode": place, "facilityCode": facility, "modeOfTransport": "VESSEL"}
            if with_vessel:
                call.update({"vessel": VESSEL, "carrierVoyageNumber": "001E"})
            type_field = {"EQUIPMENT": "equipmentEventTypeCode", "TRANSPORT": "transportEventTypeCode"}[event_type]
            identity = (event_type, code, "ACT", number, at.isoformat(), place)
            events.append(
                {
                    "eventID": event_id(*identity),
                    "eventType": event_type,
                    "eventClassifierCode": "ACT",
                    type_field: code,
                    "eventDateTime": at.isoformat(),
                    "eventCreatedDateTime": at.isoformat(),
                    "equipmentReference": number,
                    "ISOEquipmentCode": "45G1",
                    "emptyIndicatorCode": "LADEN",
                    "transportCall": call,
                    "documentReferences": [
                        {"documentReferenceType": "BKG", "documentReferenceValue": f"BKGDEMO{index + 1:03d}"},
                        {"documentReferenceType": "TRD", "documentReferenceValue": f"BOLUSHA{index + 1:06d}"},
                    ],
                    "source": {"party": "BLUEOCEAN", "rawMessage": None, "messageReference": "seed_demo"},
                }
            )
    return events + customs_events(start) + en_route_events(start + timedelta(days=29), now)


EN_ROUTE = container("BOLU", "357913")  # on the water: loaded and sailed, arrival estimated


def en_route_events(start: datetime, now: datetime) -> list[dict]:
    """A container at sea on voyage 002E (gated in at ``start``), the carrier's estimated arrival at Rotterdam."""
    steps = [  # (type, code, classifier, hours after start, place, facility)
        ("EQUIPMENT", "GTIN", "ACT", 0, "CNSHA", "YSPIV"),
        ("EQUIPMENT", "LOAD", "ACT", 30, "CNSHA", "YSPIV"),
        ("TRANSPORT", "DEPA", "ACT", 36, "CNSHA", "YSPIV"),
        ("TRANSPORT", "ARRI", "EST", 29 * 24, "NLRTM", "ECTDE"),
    ]
    events = []
    for event_type, code, classifier, hours, place, facility in steps:
        at = (start + timedelta(hours=hours)).astimezone(timezone(timedelta(hours=8 if place == "CNSHA" else 1)))
        created = min(at, now.astimezone(at.tzinfo)) if classifier == "ACT" else start + timedelta(hours=36)
        type_field = {"EQUIPMENT": "equipmentEventTypeCode", "TRANSPORT": "transportEventTypeCode"}[event_type]
        call = {"UNLocationCode": place, "facilityCode": facility, "modeOfTransport": "VESSEL"}
        call.update({"vessel": VESSEL, "carrierVoyageNumber": "002E"} if code != "GTIN" else {})
        events.append(
            {
                "eventID": event_id(event_type, code, classifier, EN_ROUTE, at.isoformat(), place),
                "eventType": event_type,
                "eventClassifierCode": classifier,
                type_field: code,
                "eventDateTime": at.isoformat(),
                "eventCreatedDateTime": created.isoformat(),
                "equipmentReference": EN_ROUTE,
                "ISOEquipmentCode": "22G1",
                "emptyIndicatorCode": "LADEN",
                "transportCall": call,
                "documentReferences": [
                    {"documentReferenceType": "BKG", "documentReferenceValue": "BKGDEMO004"},
                    {"documentReferenceType": "TRD", "documentReferenceValue": "BOLUSHA000004"},
                ],
                "source": {"party": "BLUEOCEAN", "rawMessage": None, "messageReference": "seed_demo"},
            }
        )
    return events


GATED_IN = [container("BOLU", "246802"), container("BOLU", "135791")]  # new exports through the EDI pipeline


def demo_codeco(start: datetime, reference: str, *, count_right: bool = True, replaces: str = "") -> bytes:
    """A terminal's CODECO D.95B: two export containers gated in at Yangshan a day before the demo sailing.

    Its times follow from the demo's start, so a later seeding sends the same interchange again (a
    duplicate). With ``count_right`` off, UNT counts one segment too many: a rejected message and its CONTRL.
    ``replaces``: the document this one replaces (BGM 1225 5), sent three hours later with the second
    container's gate-in ten minutes later than the first report said.
    """
    at = (start + timedelta(days=28)).astimezone(timezone(timedelta(hours=8)))
    prepared = at + timedelta(hours=3) if replaces else at
    body = [
        f"UNB+UNOC:3+YSPIVTERM:ZZZ+LOGIHUB:ZZZ+{prepared:%y%m%d:%H%M}+{reference}++++1'",  # 0031 = 1: the terminal asks for a CONTRL
        "UNH+1+CODECO:D:95B:UN:ITG14'",
        f"BGM+34+{replaces or reference}+{5 if replaces else 9}'",
        "TDT+20+002E+1++BLU:172:20+++9839131:146:11:DEMO HARMONY'",
        "NAD+CF+BLU:160:20'",
    ]
    for index, number in enumerate(GATED_IN):
        moved = at + timedelta(minutes=25 * index + (10 if replaces and index else 0))
        body += [
            f"EQD+CN+{number}+45G1:102:5++2+5'",
            f"RFF+BN:BKGDEMO{index + 5:03d}'",
            f"DTM+7:{moved:%Y%m%d%H%M}:203'",
            "LOC+165+CNSHA:139:6+YSPIV:TER:ZZZ'",
            f"TDT+1++3+31++++HU45{index + 30}:146'",
        ]
    segments = len(body) - 1 + 2  # UNH to UNT, with CNT and UNT
    body += ["CNT+16:2'", f"UNT+{segments + (0 if count_right else 1)}+1'", f"UNZ+1+{reference}'"]
    return "\n".join(body).encode("ascii")


def receive_demo_messages(terminal: Party, start: datetime) -> list[str]:
    """Three interchanges from the terminal through the real EDI pipeline, so the operators' pages have
    message flow to show: one processed, one rejected with its CONTRL, one replacing the first (a gate
    time corrected: the first report's event is withdrawn); a second seeding: duplicates."""
    states = []
    for reference, count_right, replaces in (
        ("DEMOGI0001", True, ""),
        ("DEMOGI0002", False, ""),
        ("DEMOGI0003", True, "DEMOGI0001"),
    ):
        body = demo_codeco(start, reference, count_right=count_right, replaces=replaces)
        receipt = receive(body, channel=Channel.FILE, party=terminal)
        receipt.message.refresh_from_db()
        states.append(f"{reference} {receipt.message.get_state_display()}")
    return states


class Command(BaseCommand):
    help = "Seed the embedded demo: parties, users, a gate reader, containers with events; print logins and keys."

    def handle(self, *args, **options) -> None:
        parties = {}
        for name, edi_id, role in PARTIES:
            parties[edi_id], _created = Party.objects.get_or_create(
                edi_id=edi_id, defaults={"name": name, "role": role}
            )
        keys = {}
        for edi_id, party in parties.items():
            ApiKey.objects.filter(party=party, name="demo", revoked_at__isnull=True).update(
                revoked_at=dj_timezone.now()
            )
            _key, keys[edi_id] = issue_key(party=party, name="demo")

        for reader_id, gate, direction, bonded, lane in READERS:
            reader = Reader.objects.filter(reader_id=reader_id).first()
            if reader is None:
                reader, keys[f"reader {reader_id}"] = add_reader(
                    reader_id, gate=gate, direction=direction, bonded=bonded, lane=lane
                )
            else:
                ApiKey.objects.filter(reader=reader, revoked_at__isnull=True).update(revoked_at=dj_timezone.now())
                _key, keys[f"reader {reader_id}"] = issue_key(reader=reader, name="demo")

        if not TagBinding.objects.filter(reference=TRUCK_PLATE, valid_to__isnull=True).exists():
            bind_tag(TRUCK_TAG, kind="truck", reference=TRUCK_PLATE, by="seed_demo", note="demo truck")

        User = get_user_model()
        logins = {}
        for username, staff in (("operator", True), ("forwarder", False)):
            user, _created = User.objects.get_or_create(username=username)
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.is_staff = user.is_superuser = staff
            user.save()
            logins[username] = password
        parties["DEMOFWD"].users.add(User.objects.get(username="forwarder"))

        result = record_events(demo_events(dj_timezone.now()))
        for index in (0, 1):  # the forwarder proves two shipments: container and bill of lading together
            claim(parties["DEMOFWD"], CONTAINERS[index], f"BOLUSHA{index + 1:06d}")
        claim(parties["DEMOFWD"], EN_ROUTE, "BOLUSHA000004")
        forwarder = parties["DEMOFWD"]  # its dashboard opens on what it proved, not on an empty list
        add_numbers(forwarder, Viewer(party_ids=(forwarder.pk,)), [*CONTAINERS[:2], EN_ROUTE, "BOLUSHA000004"])
        self.stdout.write(f"demo events: {len(result.stored)} new, {len(result.duplicates)} already there")
        messages = receive_demo_messages(parties["YSPIVTERM"], demo_start(dj_timezone.now()))
        self.stdout.write(f"demo messages from the terminal: {', '.join(messages)}")
        self.stdout.write("demo logins (new passwords on every run):")
        for username, password in logins.items():
            self.stdout.write(f"  {username:<10} {password}")
        self.stdout.write(f"demo truck {TRUCK_PLATE}: tag {TRUCK_TAG}")
        self.stdout.write("demo API keys (Authorization: Api-Key <key>):")
        for owner, key in keys.items():
            self.stdout.write(f"  {owner:<22} {key}")
