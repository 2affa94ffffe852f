"""``/healthz``: is the platform able to work? Database, broker and channel layer, each checked live.

Anyone may ask (load balancers and probes do, without credentials), so a failing part is named with
its error's type only; the error's text (hosts, ports, user names of the database or broker) is
logged, and shown to operators logged in to the portal or admin.
"""

from __future__ import annotations

import logging
import time
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


def check_database() -> dict:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor, "ms": round((time.perf_counter() - started) * 1000, 2)}


def check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "kind": "in-process (eager)"}
    from hub.celery import app

    started = time.perf_counter()
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return {"ok": True, "kind": "amqp", "ms": round((time.perf_counter() - started) * 1000, 2)}


def check_channel_layer() -> dict:
    layer = get_channel_layer()
    started = time.perf_counter()
    channel = async_to_sync(layer.new_channel)("healthz.")
    marker = uuid.uuid4().hex
    async_to_sync(layer.send)(channel, {"type": "healthz", "marker": marker})
    received = async_to_sync(layer.receive)(channel)
    ok = received.get("marker") == marker
    return {"ok": ok, "kind": type(layer).__name__, "ms": round((time.perf_counter() - started) * 1000, 2)}


CHECKS = {"database": check_database, "broker": check_broker, "channel_layer": check_channel_layer}


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report: dict[str, dict] = {}
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as exc:  # noqa: BLE001 - a health check reports every failure, whatever its type
            log.warning("health check %s failed: %s: %s", name, type(exc).__name__, exc)
            detailed = settings.DEBUG or getattr(request.user, "is_staff", False)
            report[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}" if detailed else type(exc).__name__}
    healthy = all(item["ok"] for item in report.values())
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": report}, status=200 if healthy else 503)
