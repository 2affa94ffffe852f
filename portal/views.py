"""Portal pages: public tracking and the forwarders' dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.milestones import lookup
from tracking.models import Event, Party


def track(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:64]
    result = lookup(query) if query else None
    return render(request, "portal/track.html", {"query": query, "result": result})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    parties = Party.objects.filter(users=request.user)
    recent = Event.objects.none()
    if request.user.is_staff:
        recent = Event.objects.order_by("-recorded_at")[:50]
    return render(request, "portal/dashboard.html", {"parties": parties, "recent": recent})
