"""Operators' pages (staff only): overview with flow charts, message monitor (in and out), gates and readers, customs."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customs_gateway import queries as customs_queries
from customs_gateway.choices import ClearanceState
from edi import queries as edi_queries
from edi.exceptions import EdiError
from edi.models import MessageState, RawMessage
from edi.processing import reprocess as reprocess_message
from portal import charts, monitor, operations, traffic
from tracking.models import Party

WIDE = 800  # operators' charts fill the page's width


def operator_page(view):
    return staff_member_required(view, login_url="login")


@operator_page
def overview(request: HttpRequest) -> HttpResponse:
    flow, sent = operations.message_flow(), operations.sent_flow()
    return render(
        request,
        "portal/ops/overview.html",
        {
            "flow": flow,
            "hour_chart": charts.columns(
                _("Messages per hour"),
                _("Inbound messages of the last 24 hours per hour, by state."),
                flow.hours,
                flow.by_hour,
                stamps=flow.stamps,
            ),
            "partner_chart": charts.bars(
                _("Messages by partner"),
                _("Inbound messages of the last 24 hours per partner, by state."),
                flow.partners,
                flow.by_partner,
                width=WIDE,
            ),
            "partner_table": charts.table_rows(flow.partners, flow.by_partner),
            "sent": sent,
            "sent_chart": charts.columns(
                _("Messages sent per hour"),
                _("Acknowledgements and customs messages the platform sent in the last 24 hours, per hour, by state."),
                sent.hours,
                sent.by_hour,
                stamps=sent.stamps,
            ),
            "workers": operations.workers(),
            "tasks_in_process": settings.CELERY_TASK_ALWAYS_EAGER,
        },
    )


@operator_page
def message_list(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "") for k in ("direction", "partner", "type", "state")}
    filters["direction"] = filters["direction"] if filters["direction"] in traffic.DIRECTIONS else "in"
    page = traffic.monitor_page(filters, request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "portal/ops/messages.html",
        {
            "page": page,
            "filters": filters,
            "query": query,
            "directions": traffic.DIRECTIONS.items(),
            "partners": Party.objects.order_by("name").only("pk", "name"),
            "types": traffic.type_choices(filters["direction"]),
            "states": traffic.state_choices(filters["direction"]),
        },
    )


def _message(pk: str) -> RawMessage:
    try:
        return get_object_or_404(RawMessage.objects.select_related("party"), pk=uuid.UUID(pk))
    except ValueError as exc:
        raise Http404 from exc


@operator_page
def message_detail(request: HttpRequest, pk: str) -> HttpResponse:
    message = _message(pk)
    return render(request, "portal/ops/message.html", {"message": message, "view": monitor.message_view(message)})


@require_POST
@operator_page
def reprocess(request: HttpRequest, pk: str) -> HttpResponse:
    if not request.user.has_perm("edi.change_rawmessage"):  # as the admin's reprocess action asks
        raise PermissionDenied
    message = _message(pk)
    try:
        state = reprocess_message(str(message.pk))
    except EdiError as exc:
        messages.error(request, _("Not reprocessed: %(reason)s") % {"reason": exc.message})
    else:
        messages.success(
            request, _("Reprocessed: the message is now %(state)s.") % {"state": MessageState(state).label}
        )
    return redirect("ops-message", pk=message.pk)


@operator_page
def acknowledgement_detail(request: HttpRequest, pk: str, index: int) -> HttpResponse:
    """One CONTRL or APERAK we sent: its bytes, its segments, and the message it answers."""
    answered = _message(pk)
    ack = edi_queries.sent_acknowledgement(answered.pk, index)
    if ack is None:
        raise Http404
    layer = monitor.layer(ack.kind, ack.body.encode("utf-8"))
    return render(
        request,
        "portal/ops/acknowledgement.html",
        {
            "ack": ack,
            "answered": answered,
            "layer": layer,
            "verdicts": monitor.contrl_verdicts(layer.segments) if ack.kind == "CONTRL" else [],
            "pickup": reverse("edi-message-ack", args=[answered.pk]) if not ack.via_reply_queue else "",
        },
    )


@operator_page
def interchange_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One EDIFACT interchange sent to a webhook subscriber: bytes, segments, delivery and the partner's answer."""
    message = edi_queries.sent_interchange(pk)
    if message is None:
        raise Http404
    return render(
        request,
        "portal/ops/interchange.html",
        {"message": message, "layer": monitor.layer(message.message_type, bytes(message.body))},
    )


@operator_page
def customs_message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One message the customs gateway exchanged: bytes, the envelope's content, and its declaration's thread."""
    message = customs_queries.one_message(pk)
    if message is None:
        raise Http404
    labels = {"message": _("Message"), "envelope": _("DXP envelope"), "carried": _("Business message carried")}
    return render(
        request,
        "portal/ops/customs_message.html",
        {
            "message": message,
            "layers": [monitor.layer(str(labels[name]), body) for name, body in customs_queries.layers(message)],
            "thread": customs_queries.thread(message),
        },
    )


@operator_page
def gates(request: HttpRequest) -> HttpResponse:
    lanes = operations.gate_throughput()
    return render(
        request,
        "portal/ops/gates.html",
        {
            "readers": operations.readers(),
            "transactions": operations.latest_transactions(),
            "lane_chart": charts.bars(
                _("Gate throughput per lane"),
                _("Gate transactions of the last 24 hours per lane, opened or held."),
                lanes.lanes,
                lanes.series,
                width=WIDE,
            ),
            "lane_table": charts.table_rows(lanes.lanes, lanes.series),
            "lanes": lanes,
        },
    )


@operator_page
def customs(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    codes, labels, counts = operations.declarations_by_state()
    series = [charts.Series(_("declarations"), counts)]
    page = monitor.page_of(operations.declarations(state), request.GET.get("page"))
    return render(
        request,
        "portal/ops/customs.html",
        {
            "state": state,
            "states": ClearanceState.choices,
            "by_state": list(zip(codes, labels, counts, strict=True)),
            "chart": charts.bars(
                _("Declarations by state"),
                _("Customs declarations and manifests per clearance state."),
                labels,
                series,
                width=WIDE,
            ),
            "page": page,
        },
    )
