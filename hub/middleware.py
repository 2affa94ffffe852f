"""The project's own middleware: NUL characters refused, the Content-Security-Policy sent.

Requests whose path or query carries a NUL character are refused before any view reads them.

PostgreSQL text cannot hold NUL (``\\x00``): a path or query parameter carrying one, passed on to a
query, made the database raise and the request answer 500 (SQLite took it, so only production
showed it). Form fields and DRF serializer fields already refuse NUL; paths and query strings reach
views as they are. An API request gets the API's error shape, anything else a plain 400.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from hub.api import error_response

NUL_IN_QUERY = ("\x00", "%00")


def refuse_nul(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or (query and any(nul in query for nul in NUL_IN_QUERY)):
            message = _("The request's path or query contains a NUL character.")
            if request.path.startswith("/api/"):
                return error_response("invalid", message, 400)
            return HttpResponseBadRequest(message)
        return get_response(request)

    return middleware


def content_security_policy(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Every answer carries ``settings.CONTENT_SECURITY_POLICY`` unless it set its own.

    One constant header (the policy has no per-request nonce: nothing of ours is inline), so the
    API's hot paths pay a dictionary assignment and nothing else. Under DEBUG, Django's technical
    404 and 500 pages (inline styles and scripts of their own) go without it.
    """
    policy = settings.CONTENT_SECURITY_POLICY
    debug_pages = (404, 500) if settings.DEBUG else ()

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if policy and "Content-Security-Policy" not in response and response.status_code not in debug_pages:
            response["Content-Security-Policy"] = policy
        return response

    return middleware
