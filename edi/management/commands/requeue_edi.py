"""``requeue_edi``: enqueue again the stored messages whose processing task never reached the broker.

A message is committed before its task is published; when RabbitMQ is down at that moment the
sender still gets its receipt and the message waits, ``received`` and never enqueued. Run this once
(cron) or as a process (``--every 30``) beside the workers; enqueuing a message twice is harmless
(processing is idempotent).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from edi.services import requeue_stuck


class Command(BaseCommand):
    help = "Enqueue again received messages whose processing task never reached the broker."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--grace", type=float, default=60, help="seconds a never-enqueued message may wait first (default 60)"
        )
        parser.add_argument(
            "--stale",
            type=float,
            default=3600,
            help="seconds after which an enqueued message that never ran is enqueued again (default 3600)",
        )
        parser.add_argument("--every", type=float, default=0, help="repeat every this many seconds (0: once)")

    def handle(self, *args, **options) -> None:
        while True:
            close_old_connections()
            try:
                enqueued, waiting = requeue_stuck(grace=options["grace"], stale=options["stale"])
            except DatabaseError as exc:
                self.stderr.write(f"database unavailable: {exc}")
                enqueued = waiting = 0
                if not options["every"]:
                    raise
            if enqueued or waiting or not options["every"]:
                self.stdout.write(f"requeued {enqueued} messages, {waiting} still waiting for the broker")
            if not options["every"]:
                return
            time.sleep(options["every"])
