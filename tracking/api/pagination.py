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

    def get_paginated_response(self, data) -> Response:
        headers = {"Current-Page": self.request.build_absolute_uri()}
        links = []
        if self.get_next_link():
            headers["Next-Page"] = self.get_next_link()
            links.append(f'<{self.get_next_link()}>; rel="next"')
        if self.get_previous_link():
            headers["Prev-Page"] = self.get_previous_link()
            links.append(f'<{self.get_previous_link()}>; rel="prev"')
        if links:
            headers["Link"] = ", ".join(links)
        return Response(list(data), headers=headers)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {"type": "array", "items": schema}
