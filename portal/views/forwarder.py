"""Forwarders' pages: the live dashboard, the watchlist, a container, the CSV export, webhooks."""

from __future__ import annotations

import uuid
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import URLValidator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from portal import charts, watchlist
from portal import dashboard as board
from portal.choices import WatchKind
from portal.container import container_page as build_container_page
from portal.container import shipment_page as build_shipment_page
from tracking import webhooks
from tracking.choices import CustomsEventType, DeliveryState, OutboundType, PushFormat
from tracking.exceptions import InvalidFilter, InvalidSubscription, NotFound
from tracking.models import Delivery, Subscription
from tracking.visibility import viewer_of

REPORT_KEY = "portal_watch_report"
MAX_REPLAY = 5000  # failed deliveries sent again per click
CHART_WIDTH = 400  # about the width a chart gets beside another: its text stays at the page's size


def forwarder_page(view):
    """Login required; the view gets the user's party (None for an account acting for no party)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        return view(request, watchlist.party_of(request.user), *args, **kwargs)

    return wrapped


def _store_report(request: HttpRequest, report: watchlist.Report) -> None:
    request.session[REPORT_KEY] = {
        "added": report.added[:500],
        "refused": [[r.number, r.reason, r.detail] for r in report.refused[:500]],
    }


def _report(request: HttpRequest) -> dict | None:
    data = request.session.pop(REPORT_KEY, None)
    if not data:
        return None
    refused = [watchlist.Refusal(*item) for item in data["refused"]]
    return {"added": data["added"], "refused": refused}


@forwarder_page
def dashboard(request: HttpRequest, party) -> HttpResponse:
    if party is None and request.user.is_staff:  # an operator with no watchlist of its own works there
        return redirect("ops")
    context = {"party": party, "report": _report(request)}
    if party is not None:
        rows = board.watched_rows(party, viewer_of(request.user))
        labels, counts = board.status_counts(rows)
        dwell_labels, dwell = board.dwell_counts(rows)
        n = _("containers")
        context.update(
            rows=rows,
            alerts=board.alerts(rows),
            subscribe={
                "containers": [r.reference for r in rows if r.kind == WatchKind.CONTAINER],
                "shipments": [r.reference for r in rows if r.kind == WatchKind.SHIPMENT],
            },
            status_chart=charts.bars(
                _("Containers by status"),
                _("Watched containers per current milestone."),
                labels,
                [charts.Series(n, counts)],
                width=CHART_WIDTH,
            ),
            status_table=charts.table_rows(labels, [charts.Series(n, counts)]),
            dwell_chart=charts.bars(
                _("Time since the last milestone"),
                _("Watched containers by days since their current milestone."),
                dwell_labels,
                [charts.Series(n, dwell, "#b45309")],
                width=CHART_WIDTH,
            ),
            dwell_table=charts.table_rows(dwell_labels, [charts.Series(n, dwell)]),
            live_labels={
                "held": _("%(container)s: %(state)s"),
                "connected": _("Live updates on"),
                "notification_title": _("logihub: customs"),
                "disconnected": _("Live updates paused, reconnecting…"),
                "customs": {code: str(label) for code, label in CustomsEventType.choices},
            },
        )
    return render(request, "portal/dashboard.html", context)


@forwarder_page
def row(request: HttpRequest, party) -> HttpResponse:
    """One dashboard row, rendered on the server, for the live update after an event."""
    kind, reference = request.GET.get("kind", ""), request.GET.get("ref", "")[:35]
    found = board.one_row(party, viewer_of(request.user), kind, reference) if party else None
    if found is None:
        raise Http404
    return render(request, "portal/_row.html", {"row": found})


@require_POST
@forwarder_page
def watch_add(request: HttpRequest, party) -> HttpResponse:
    if party is None:
        raise Http404
    numbers = request.POST.get("numbers", "").replace(",", "\n").splitlines()[:50]
    _store_report(request, watchlist.add_numbers(party, viewer_of(request.user), numbers, user=request.user))
    return redirect("dashboard")


@require_POST
@forwarder_page
def watch_upload(request: HttpRequest, party) -> HttpResponse:
    upload = request.FILES.get("file")
    if party is None:
        raise Http404
    if upload is None:
        messages.error(request, _("Choose a CSV or Excel file first."))
        return redirect("dashboard")
    try:
        numbers = watchlist.numbers_from_file(upload.name, upload.read(watchlist.MAX_UPLOAD_BYTES + 1))
    except watchlist.UploadError as exc:
        messages.error(request, str(exc))
        return redirect("dashboard")
    _store_report(request, watchlist.add_numbers(party, viewer_of(request.user), numbers, user=request.user))
    return redirect("dashboard")


@require_POST
@forwarder_page
def watch_remove(request: HttpRequest, party) -> HttpResponse:
    if party is not None and watchlist.remove(party, request.POST.get("kind", ""), request.POST.get("ref", "")):
        messages.success(request, _("%(ref)s is no longer watched.") % {"ref": request.POST.get("ref", "")})
    return redirect("dashboard")


@forwarder_page
def export(request: HttpRequest, party) -> HttpResponse:
    rows = board.watched_rows(party, viewer_of(request.user)) if party else []
    response = HttpResponse(board.export_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="watchlist-{timezone.now():%Y%m%d-%H%M}.csv"'
    return response


@forwarder_page
def container_page(request: HttpRequest, party, number: str) -> HttpResponse:
    try:
        context = build_container_page(viewer_of(request.user), number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "portal/container.html", context)


@forwarder_page
def shipment_page(request: HttpRequest, party, reference: str) -> HttpResponse:
    try:
        context = build_shipment_page(viewer_of(request.user), reference)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "portal/shipment.html", context)


class WebURLField(forms.URLField):
    """An http(s) URL; one validator, so a malformed one is told once (URLField's own plus ours said it twice)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class SubscriptionForm(forms.Form):
    callback_url = WebURLField(label=gettext_lazy("Callback URL"), max_length=500, assume_scheme="https")
    equipment_reference = forms.CharField(
        label=gettext_lazy("Only this container (optional)"), max_length=15, required=False
    )
    event_type = forms.ChoiceField(
        label=gettext_lazy("Only these events (optional)"),
        required=False,
        choices=[
            ("", gettext_lazy("All events")),
            ("EQUIPMENT", gettext_lazy("Equipment")),
            ("TRANSPORT", gettext_lazy("Transport")),
            ("CUSTOMS", gettext_lazy("Customs")),
        ],
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=PushFormat.choices, initial=PushFormat.JSON, required=False
    )
    message_type = forms.ChoiceField(
        label=gettext_lazy("EDIFACT message type (for EDIFACT; sent to your EDI identity)"),
        choices=OutboundType.choices,
        initial=OutboundType.IFTSTA,
        required=False,
    )

    def filters(self) -> dict:
        data = self.cleaned_data
        found = {"equipmentReference": data["equipment_reference"].upper(), "eventType": data["event_type"]}
        return {k: v for k, v in found.items() if v}


@forwarder_page
def subscriptions(request: HttpRequest, party) -> HttpResponse:
    if party is None:
        raise Http404
    form, created = SubscriptionForm(request.POST or None), None
    if request.method == "POST" and request.POST.get("delete"):
        try:
            Subscription.objects.filter(party=party, pk=uuid.UUID(request.POST["delete"])).delete()
        except ValueError as exc:
            raise Http404 from exc
        messages.success(request, _("The subscription was cancelled."))
        return redirect("subscriptions")
    if request.method == "POST" and request.POST.get("replay"):
        _replay_failed(request, party, request.POST["replay"])
        return redirect("subscriptions")
    if request.method == "POST" and form.is_valid():
        try:
            created = webhooks.subscribe(
                party,
                form.cleaned_data["callback_url"],
                form.filters(),
                format=form.cleaned_data["format"] or PushFormat.JSON,
                message_type=form.cleaned_data["message_type"] or OutboundType.IFTSTA,
            )
            form = SubscriptionForm()
        except (InvalidFilter, InvalidSubscription) as exc:
            form.add_error(None, exc.message)
    return render(
        request, "portal/subscriptions.html", {"form": form, "rows": _subscriptions(party), "created": created}
    )


def _subscriptions(party):
    """The party's subscriptions with their deliveries counted, and why the latest failed one failed."""
    last_failure = Delivery.objects.filter(subscription=OuterRef("pk"), state=DeliveryState.DEAD).order_by("-id")
    return (
        Subscription.objects.filter(party=party)
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__state=DeliveryState.DELIVERED)),
            waiting=Count(
                "deliveries", filter=Q(deliveries__state__in=[DeliveryState.PENDING, DeliveryState.RETRYING])
            ),
            dead=Count("deliveries", filter=Q(deliveries__state=DeliveryState.DEAD)),
            last_error=Subquery(last_failure.values("last_error")[:1]),
            last_status=Subquery(last_failure.values("last_status_code")[:1]),
        )
        .order_by("created_at")
    )


def _replay_failed(request: HttpRequest, party, subscription_id: str) -> None:
    """Send a subscription's failed deliveries again (the forwarder's endpoint is back up)."""
    try:
        subscription = Subscription.objects.filter(party=party, pk=uuid.UUID(subscription_id)).first()
    except ValueError as exc:
        raise Http404 from exc
    if subscription is None:
        raise Http404
    failed = list(subscription.deliveries.filter(state=DeliveryState.DEAD).values_list("id", flat=True)[:MAX_REPLAY])
    count = webhooks.replay(failed)
    messages.success(
        request,
        ngettext("%(n)s delivery will be sent again.", "%(n)s deliveries will be sent again.", count) % {"n": count},
    )
