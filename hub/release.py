"""A finished request is freed by reference counting, not left for the garbage collector.

Django and DRF build reference cycles around every request: ``request.user`` is a lazy object
whose closure holds the request, ``request.auser`` a partial of it, the messages storage points
back at the request, a DRF view holds its request whose ``parser_context`` holds the view and
the request itself, a DRF response's ``renderer_context`` holds the response. Measured on the container endpoint under Daphne: 69 objects of cyclic
garbage per request, each dragging the request's rows, body and headers along, freed only when
the collector next runs. With the young generation collected every ``GC_GEN0_THRESHOLD``
allocations (``hub/memory.py``) that was a 6-12 ms pause every 150-200 requests, and the request
that met it answered that much later; with CPython's default threshold the pauses are shorter
but many more.

Under the server (``hub/asgi_http.py``) each request runs inside :func:`released`. The handler
(:class:`ReleasingWsgiHandler`) and every API view (:class:`ReleasedAfterResponse`) hand their
per-request objects to :func:`hold`; once the response is closed (``request_finished`` sent,
nothing left to run for it) their attributes are dropped, the cycles are gone and the request
is freed at once. Measured again: no cyclic garbage per API request at all. A page rendered from
a template still leaves its template context (Django's ``Context`` and ``ContextDict`` point at
each other) to the collector; pages are people's traffic, the API is the machines'.

Outside :func:`released` (Django's test client, management commands) :func:`hold` does nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.handlers.wsgi import WSGIHandler

_current = threading.local()


def hold(*objects: object) -> None:
    """Drop these objects' attributes when the request being served on this thread ends."""
    held = getattr(_current, "held", None)
    if held is not None:
        held.extend(objects)


@contextmanager
def released() -> Iterator[None]:
    """Serve one request: on leaving, clear the attributes of everything held meanwhile."""
    _current.held = []
    try:
        yield
    finally:
        held, _current.held = _current.held, None
        for thing in reversed(held):  # the response, the view, its request, Django's request
            vars(thing).clear()


class ReleasingWsgiHandler(WSGIHandler):
    """Django's WSGI handler whose request and response are held for release (the server's, not the test client's)."""

    def get_response(self, request):
        hold(request)
        response = super().get_response(request)
        hold(response)  # a DRF Response and its renderer_context point at each other
        return response


class ReleasedAfterResponse:
    """Mixin for every API view (first in the bases): the view and its DRF request are held for release.

    A test walks the URLconf and fails for an API view of ours without it.
    """

    def initialize_request(self, request, *args, **kwargs):
        drf_request = super().initialize_request(request, *args, **kwargs)
        hold(self, drf_request)
        return drf_request
