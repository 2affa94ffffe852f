"""``rfid``: gate readers, tag bindings and overrides from the command line.

rfid add-reader ID --gate GATE --direction in|out [--bonded] [--lane L]   # prints the key alone on the last line
rfid readers [--silent]                                                   # readers, last seen, silent or not
rfid bind TAG --kind truck|trailer|container --reference REF [--from ISO] [--to ISO]
rfid override TRANSACTION --decision OPEN|HOLD --reason TEXT [--by NAME]
"""

from django.core.management.base import BaseCommand, CommandError

from rfid.choices import Decision, Direction, TagKind
from rfid.exceptions import RfidError
from rfid.models import Reader
from rfid.parse import parse_time
from rfid.services import ReaderExists, add_reader, bind_tag, override, record_pending_events


class Command(BaseCommand):
    help = "Manage gate RFID readers, tag bindings and gate overrides."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add-reader", help="register a reader and print its API key")
        add.add_argument("reader_id", metavar="ID")
        add.add_argument("--gate", required=True)
        add.add_argument("--direction", required=True, choices=Direction.values)
        add.add_argument("--lane", default="")
        add.add_argument("--bonded", action="store_true", help="the gate leads out of (or into) a bonded zone")
        readers = sub.add_parser("readers", help="list readers with their last sign of life")
        readers.add_argument(
            "--silent", action="store_true", help="only readers silent past RFID_READER_SILENT_SECONDS"
        )
        bind = sub.add_parser("bind", help="bind a tag (hex or EPC URI) to a truck, trailer or container")
        bind.add_argument("tag")
        bind.add_argument("--kind", required=True, choices=TagKind.values)
        bind.add_argument("--reference", required=True)
        bind.add_argument("--from", dest="valid_from")
        bind.add_argument("--to", dest="valid_to")
        over = sub.add_parser("override", help="open or hold a gate transaction, with a reason (audited)")
        over.add_argument("transaction")
        over.add_argument("--decision", required=True, choices=Decision.values)
        over.add_argument("--reason", required=True)
        over.add_argument("--by", default="cli")
        sub.add_parser("record-pending", help="record the gate events of opened transactions not recorded yet")

    def handle(self, *args, **options) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except (ReaderExists, RfidError) as exc:
            raise CommandError(str(exc)) from exc

    def _add_reader(self, options: dict) -> None:
        reader, key = add_reader(
            options["reader_id"],
            gate=options["gate"],
            direction=options["direction"],
            bonded=options["bonded"],
            lane=options["lane"],
        )
        zone = "bonded" if reader.bonded else "not bonded"
        self.stdout.write(f"reader {reader.reader_id} at gate {reader.gate}, direction {reader.direction}, {zone}")
        self.stdout.write(key)

    def _readers(self, options: dict) -> None:
        for reader in Reader.objects.all():
            if options["silent"] and not reader.silent:
                continue
            seen = reader.last_seen_at.isoformat() if reader.last_seen_at else "never"
            state = "SILENT" if reader.silent else "ok"
            self.stdout.write(
                f"{reader.reader_id}\t{reader.gate}/{reader.lane or '-'}\t{reader.direction}\t{seen}\t{state}"
            )

    def _bind(self, options: dict) -> None:
        valid_from = parse_time(options["valid_from"], "--from") if options["valid_from"] else None
        valid_to = parse_time(options["valid_to"], "--to") if options["valid_to"] else None
        binding = bind_tag(
            options["tag"],
            kind=options["kind"],
            reference=options["reference"],
            by="cli",
            valid_from=valid_from,
            valid_to=valid_to,
        )
        self.stdout.write(f"{binding.tag} -> {binding.kind} {binding.reference} from {binding.valid_from.isoformat()}")

    def _override(self, options: dict) -> None:
        result = override(
            options["transaction"], decision=options["decision"], reason=options["reason"], by=options["by"]
        )
        self.stdout.write(f"transaction {result.transaction.pk}: {result.answer['decision']}")

    def _record_pending(self, options: dict) -> None:
        self.stdout.write(f"{record_pending_events()} gate events recorded")
