"""``manage.py customs check-overdue|export|trust``: the gateway's operator verbs."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from customs_gateway.models import Declaration


class Command(BaseCommand):
    help = "Customs gateway: resubmit overdue declarations, export an audit trail, trust a certificate."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        overdue = sub.add_parser("check-overdue", help="alert on and resubmit declarations with no receipt in time")
        overdue.add_argument("--loop", type=int, default=0, help="repeat every N seconds (a beat-less periodic check)")
        export = sub.add_parser("export", help="the audit trail of a declaration")
        export.add_argument("declaration", help="declaration id or business reference")
        export.add_argument("--format", choices=["json", "csv"], default="json")
        trust = sub.add_parser("trust", help="trust an authority's certificate (PEM file) for its responses")
        trust.add_argument("authority")
        trust.add_argument("pem")
        trust.add_argument("--role", choices=["customs", "inspection"], default="customs")

    def handle(self, *args, verb: str, **options) -> None:
        if verb == "check-overdue":
            self._overdue(options["loop"])
        elif verb == "export":
            from customs_gateway.audit import export

            self.stdout.write(export(self._declaration(options["declaration"]), options["format"]))
        elif verb == "trust":
            from customs_gateway.inbound import trust

            with open(options["pem"], encoding="ascii") as handle:
                row = trust(options["authority"], certificate=handle.read(), role=options["role"])
            self.stdout.write(row.fingerprint)

    def _overdue(self, loop: int) -> None:
        import time

        from customs_gateway.retries import check_overdue

        while True:
            done = check_overdue()
            self.stdout.write(f"resubmitted {len(done)} declaration(s)")
            if not loop:
                return
            time.sleep(loop)

    def _declaration(self, key: str) -> Declaration:
        found = Declaration.objects.filter(business_reference=key).first()
        if found is None:
            try:
                found = Declaration.objects.filter(pk=key).first()
            except ValueError:
                found = None
        if found is None:
            raise CommandError(f"no declaration {key}")
        return found
