"""``tracking rebuild``: recompute every container and shipment status exactly from the events."""

from django.core.management.base import BaseCommand

from tracking.statuses import rebuild


class Command(BaseCommand):
    help = "Maintain the tracking store."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="recompute container and shipment statuses from the events")

    def handle(self, *args, **options) -> None:
        counts = rebuild()
        self.stdout.write(f"rebuilt {counts['containers']} container and {counts['shipments']} shipment statuses")
