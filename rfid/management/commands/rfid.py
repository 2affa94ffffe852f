"""``rfid add-reader ID --gate GATE --direction in|out [--bonded]``: register a gate reader.

Prints the reader's new API key alone on the last line.
"""

from django.core.management.base import BaseCommand, CommandError

from rfid.choices import Direction
from rfid.services import ReaderExists, add_reader


class Command(BaseCommand):
    help = "Manage gate RFID readers."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add-reader", help="register a reader and print its API key")
        add.add_argument("reader_id", metavar="ID")
        add.add_argument("--gate", required=True)
        add.add_argument("--direction", required=True, choices=Direction.values)
        add.add_argument("--lane", default="")
        add.add_argument("--bonded", action="store_true", help="the gate leads out of (or into) a bonded zone")

    def handle(self, *args, **options) -> None:
        try:
            reader, key = add_reader(
                options["reader_id"],
                gate=options["gate"],
                direction=options["direction"],
                bonded=options["bonded"],
                lane=options["lane"],
            )
        except ReaderExists as exc:
            raise CommandError(str(exc)) from exc
        zone = "bonded" if reader.bonded else "not bonded"
        self.stdout.write(f"reader {reader.reader_id} at gate {reader.gate}, direction {reader.direction}, {zone}")
        self.stdout.write(key)
