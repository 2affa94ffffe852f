"""A request served under the server leaves no cyclic garbage behind (hub/release.py)."""

import gc
import io

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from hub.asgi_http import ThreadedWsgiHttp
from hub.release import ReleasedAfterResponse, ReleasingWsgiHandler, hold, released

OUR_APPS = ("edi.", "tracking.", "rfid.", "customs_gateway.", "portal.", "hub.")


class Thing:
    def __init__(self) -> None:
        self.me = self
        self.value = 1


@pytest.fixture
def server(test_transaction_kept):
    app = ThreadedWsgiHttp(ReleasingWsgiHandler(), threads=1)
    yield app
    app.executor.shutdown()


@pytest.fixture
def test_transaction_kept():
    """As Django's test client does: the handler's signals must not close the test's connection
    (on PostgreSQL it sits in the test's transaction, which close_old_connections reads as obsolete)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def get(app: ThreadedWsgiHttp, path: str, query: bytes = b"", key: str = "") -> tuple[int, bytes]:
    headers = [(b"host", b"127.0.0.1"), (b"accept-language", b"zh-Hans")]
    if key:
        headers.append((b"authorization", f"Api-Key {key}".encode()))
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    status, _headers, content = app._respond(scope, io.BytesIO(b""))
    return status, content


def cyclic_garbage_of(serve) -> list:
    """The objects the collector finds unreachable after ``serve()`` ran (the first run warms caches)."""
    serve()
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(3):
            serve()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


@pytest.mark.django_db
def test_an_api_request_with_a_partners_key_leaves_no_cyclic_garbage(server, party_key):
    def serve():
        assert get(server, "/api/v1/events", key=party_key)[0] == 200

    assert cyclic_garbage_of(serve) == []


@pytest.mark.django_db
def test_refused_and_not_found_api_requests_leave_no_cyclic_garbage(server, party_key):
    def serve():
        assert get(server, "/api/v1/events")[0] == 401
        assert get(server, "/api/v1/containers/MSKU1234565", key=party_key)[0] == 404
        assert get(server, "/api/v1/containers/", key=party_key)[0] == 404  # no route: hub/errors.py

    assert cyclic_garbage_of(serve) == []


@pytest.mark.django_db
def test_a_page_redirecting_to_login_through_sessions_messages_and_auth_leaves_no_cyclic_garbage(server):
    assert cyclic_garbage_of(lambda: get(server, "/portal/")) == []


@pytest.mark.django_db
def test_a_rendered_page_leaves_only_its_template_context_for_the_collector(server):
    """Django's template Context and its ContextDicts point at each other: left to the collector."""

    def serve():
        status, content = get(server, "/track/", b"q=MSKU1234565")
        assert status == 200 and content

    kinds = {type(thing).__name__ for thing in cyclic_garbage_of(serve)}
    assert {"RequestContext", "ContextDict"} <= kinds
    assert not kinds & {"SessionStore", "FallbackStorage", "SimpleLazyObject", "partial", "HttpResponse"}


@pytest.mark.django_db
def test_without_release_the_same_request_does_leave_cycles(party_key, test_transaction_kept):
    """The measurement above can see cycles: Django's own handler, unreleased, leaves them."""
    from django.core.handlers.wsgi import WSGIHandler

    app = ThreadedWsgiHttp(WSGIHandler(), threads=1)
    try:
        garbage = cyclic_garbage_of(lambda: get(app, "/api/v1/events", key=party_key))
    finally:
        app.executor.shutdown()
    kinds = {type(thing).__name__ for thing in garbage}
    assert "WSGIRequest" in kinds


def test_held_objects_lose_their_attributes_when_the_request_ends_even_if_it_failed():
    thing = Thing()
    with pytest.raises(RuntimeError), released():
        hold(thing)
        raise RuntimeError("the view failed")
    assert vars(thing) == {}


def test_outside_a_served_request_hold_keeps_everything():
    thing = Thing()
    hold(thing)
    with released():
        pass
    assert thing.value == 1 and thing.me is thing


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), getattr(pattern.callback, "cls", None)


def test_every_api_view_of_ours_is_released_after_its_response():
    ours = [
        (route, view)
        for route, view in _views(get_resolver().url_patterns)
        if view is not None and issubclass(view, APIView) and view.__module__.startswith(OUR_APPS)
    ]
    assert len(ours) >= 20
    missing = [route for route, view in ours if not issubclass(view, ReleasedAfterResponse)]
    assert missing == []
    assert all(view.__mro__[1] is ReleasedAfterResponse for _route, view in ours)
