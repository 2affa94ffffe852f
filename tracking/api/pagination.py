"""Cursor pagination as DCSA Track & Trace 2.2 does it: the body is the array of events, the
links are headers (``Current-Page``, ``Next-Page``, ``Prev-Page``) and a ``Link`` header."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination
from rest_framework.response import Response


class EventCursor(CursorPagination):
    ordering = ("recorded_at", "event_id")
    page_size = 100
    page_size_query_param = "limit"
    max_page_size = 1000

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
