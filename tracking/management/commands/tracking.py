"""``tracking rebuild`` settles every replaced or cancelled report again and recomputes statuses from the
current events; ``tracking deliver`` sends due webhooks."""

from django.core.management.base import BaseCommand

from tracking import outbound, webhooks
from tracking.statuses import rebuild
from tracking.tasks import deliver_outbound, deliver_webhook
from tracking.withdrawals import settle_all


class Command(BaseCommand):
    help = "Maintain the tracking store."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "rebuild", help="settle replaced and cancelled reports again, recompute statuses from the current events"
        )
        sub.add_parser("deliver", help="enqueue every webhook delivery whose next attempt is due")

    def handle(self, *args, **options) -> None:
        if options["action"] == "rebuild":
            settled = settle_all()
            if settled.withdrawn or settled.restored:
                self.stdout.write(
                    f"settled again: {len(settled.withdrawn)} withdrawn, {len(settled.restored)} restored"
                )
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
