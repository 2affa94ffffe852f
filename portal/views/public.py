"""``/track/``: the public tracking page, milestones only, rate limited; the page of a paused login."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal import charts, throttle
from portal.milestones import lookup
from portal.places import place_label


def _journey(result) -> str:
    reached = {m.location for m in result.milestones}
    last = {}
    for m in result.milestones:
        last[m.location] = m.label
    stops = [(place_label(port), last.get(port, ""), port in reached) for port in result.ports]
    return charts.journey(_("Journey"), _("The ports of the journey in order, with the last milestone at each."), stops)


def track(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:64]
    if not query:
        return render(request, "portal/track.html", {"query": "", "result": None})
    ok, wait = throttle.allowed(request)
    if not ok:
        response = render(request, "portal/track.html", {"query": query, "result": None, "wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    result = lookup(query)
    journey = _journey(result) if result.milestones else ""
    return render(request, "portal/track.html", {"query": query, "result": result, "journey": journey})


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None):
    """django-axes' answer to a login it refuses after too many failures (AXES_LOCKOUT_CALLABLE): 429, translated."""
    minutes = max(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60), 1)
    response = render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
