"""``tracking rebuild`` recomputes statuses from the events; ``tracking deliver`` sends due webhooks."""

from django.core.management.base import BaseCommand

from tracking import outbound, webhooks
from tracking.statuses import rebuild
from tracking.tasks import deliver_outbound, deliver_webhook


class Command(BaseCommand):
    help = "Maintain the tracking store."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="recompute container and shipment statuses from the events")
        sub.add_parser("deliver", help="enqueue every webhook delivery whose next attempt is due")

    def handle(self, *args, **options) -> None:
        if options["action"] == "rebuild":
            counts = rebuild()
            self.stdout.write(f"rebuilt {counts['containers']} container and {counts['shipments']} shipment statuses")
            return
        ids = webhooks.due()
        for delivery_id in ids:
            deliver_webhook.delay(delivery_id)
        self.stdout.write(f"{len(ids)} due webhook deliveries enqueued")
        messages = outbound.due()
        for message_id in messages:
            deliver_outbound.delay(message_id)
        self.stdout.write(f"{len(messages)} due outbound EDI messages enqueued")
