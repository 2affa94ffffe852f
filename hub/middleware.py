"""Requests whose path or query carries a NUL character are refused before any view reads them.

PostgreSQL text cannot hold NUL (``\\x00``): a path or query parameter carrying one, passed on to a
query, made the database raise and the request answer 500 (SQLite took it, so only production
showed it). Form fields and DRF serializer fields already refuse NUL; paths and query strings reach
views as they are. An API request gets the API's error shape, anything else a plain 400.
"""

from __future__ import annotations

from collections.abc import Callable

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
