"""``partner add NAME --edi-id ID --role ROLE``: create a party and print its API key last."""

from django.core.management.base import BaseCommand, CommandError

from tracking.choices import PartyRole
from tracking.services import PartyExists, add_partner


class Command(BaseCommand):
    help = "Manage partner parties."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create a party with its EDI identity and print its API key")
        add.add_argument("name", metavar="NAME")
        add.add_argument("--edi-id", required=True, dest="edi_id")
        add.add_argument("--role", required=True, choices=PartyRole.values)

    def handle(self, *args, **options) -> None:
        try:
            party, key = add_partner(options["name"], edi_id=options["edi_id"], role=options["role"])
        except (PartyExists, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"party {party.name} ({party.edi_id}), role {party.role}")
        self.stdout.write(key)
