"""Django's own error answers (no route, a refused host, a crash) in the API's shape under /api/.

SPEC: every error under ``/api/v1/`` is JSON ``{"error": {"code", "message", "position"}}``. DRF
views answer their errors that way (``hub/api.py``); what Django answers before or around a view
(a path no route matches, a disallowed host, an unhandled exception) went out as Django's HTML page
instead. Pages keep their HTML, from the ``404.html`` and ``500.html`` templates.

    handler404 = "hub.errors.not_found"   # and the others, in hub/urls.py
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults

from hub.api import error_response


def _for_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return error_response("not_found", _("Nothing is found at this address."), 404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return error_response("bad_request", _("The request is not acceptable (its host or headers)."), 400)
    return defaults.bad_request(request, exception)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return error_response("forbidden", _("This is not allowed."), 403)
    return defaults.permission_denied(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _for_api(request):
        return error_response("server_error", _("The server failed to answer; the failure is logged."), 500)
    return defaults.server_error(request)
