"""Cursor pagination as DCSA Track & Trace 2.2 does it: the body is the array of events, the
links are headers (``Current-Page``, ``Next-Page``, ``Prev-Page``) and a ``Link`` header.

A ``limit`` that is not a whole number of at least 1 (DCSA's minimum) and a ``cursor`` we did not
issue are refused with 400 naming the parameter, not silently replaced or answered 404.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from hub.api import ApiError


class EventCursor(CursorPagination):
    ordering = ("recorded_at", "event_id")
    page_size = 100
    page_size_query_param = "limit"
    max_page_size = 1000

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ApiError(
                _("limit must be a whole number of at least 1, not %(value)s") % {"value": repr(raw[:20])},
                code="invalid_filter",
                position=self.page_size_query_param,
            )
        return min(size, self.max_page_size)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ApiError(
                _("cursor is not one this API issued; take it from a Next-Page or Prev-Page header"),
                code="invalid_filter",
                position=self.cursor_query_param,
            ) from exc

    def link_headers(self) -> dict[str, str]:
        """``Current-Page``, ``Next-Page``, ``Prev-Page`` and ``Link`` of the page just taken."""
        headers = {"Current-Page": self.request.build_absolute_uri()}
        links = []
        following, previous = self.get_next_link(), self.get_previous_link()
        if following:
            headers["Next-Page"] = following
            links.append(f'<{following}>; rel="next"')
        if previous:
            headers["Prev-Page"] = previous
            links.append(f'<{previous}>; rel="prev"')
        if links:
            headers["Link"] = ", ".join(links)
        return headers

    def get_paginated_response(self, data) -> Response:
        return Response(list(data), headers=self.link_headers())

    def get_paginated_response_schema(self, schema: dict) -> dict:
        """The body stays the list of events (``schema`` is already that array); the links are headers."""
        return schema
