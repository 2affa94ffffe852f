"""The ASGI application the RFID benchmark serves: ``hub.asgi`` itself, plus ``/bench/bare``.

``/bench/bare`` is a Django view that does nothing, routed through the same URLconf, middleware,
server and processes as ``/api/v1/rfid/reads``: what the hub costs before any RFID work.

    daphne --fd 3 bench.rfid_app:application
"""

from __future__ import annotations

import os

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare(request):
    return HttpResponse(b"{}", content_type="application/json")


def _urlpatterns() -> list:
    import hub.urls

    return [path("bench/bare", bare), *hub.urls.urlpatterns]


def __getattr__(name: str):
    if name == "urlpatterns":
        return _urlpatterns()
    if name == "application":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
        import django
        from django.conf import settings

        django.setup()
        settings.ROOT_URLCONF = "bench.rfid_app"
        from hub.asgi import application

        return application
    raise AttributeError(name)
