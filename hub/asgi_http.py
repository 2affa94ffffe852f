"""HTTP under Daphne: each request runs whole through Django's WSGI handler on a pool of threads.

Django's own ASGI handler runs a sync project's middleware one hop at a time: every
``MiddlewareMixin`` calls ``process_request`` and ``process_response`` through ``sync_to_async``
into a thread made for that request. With our nine middleware that was about 3.5 ms a request on
the benchmark machine (a 404 with no view: 4.0 ms through Daphne, 0.4 ms for Daphne alone), more
than the container query it served. Here the event loop reads the body, the request runs start
to finish in one hop on a bounded, long-lived thread pool through Django's WSGI handler (the same
middleware, signals, transaction and connection handling as under any threaded WSGI server, and
``request_finished`` on close, which returns the connection to the pool), and the loop sends the
answer. asgiref builds the WSGI environ from the ASGI scope.

One read is answered on the event loop itself, without the hop: a partner's plain container answer
(``tracking/fastlane.py``), whose lane hands anything it does not answer to the pool as before.

No HTTP view of ours is async or streams, so nothing is lost by collecting the body before
sending it. A body larger than ``HTTP_MAX_BODY_BYTES`` (the largest any endpoint takes) is not
collected: its Content-Length, or the bytes received so far, answer 413 at once, in the API's error
shape under ``/api/``. Websockets stay on Channels (``hub/asgi.py``).
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from tempfile import SpooledTemporaryFile

from asgiref.sync import sync_to_async
from asgiref.wsgi import WsgiToAsgiInstance
from django.conf import settings
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from django.utils import translation
from django.utils.translation import gettext as _

from edi.exceptions import MessageTooLarge
from hub.api import error_body
from hub.release import released

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


#: The code of the 413 under a path, where an app's own 413 names it otherwise (the EDI inbox's codes are upper case).
TOO_LARGE_CODES = {"/api/v1/edi/": MessageTooLarge.code}


def _language(scope: dict) -> str:
    """The language Django's LocaleMiddleware would choose for this request (cookie, then Accept-Language)."""
    request = HttpRequest()
    for name, value in scope.get("headers", ()):
        if name.lower() == b"accept-language":
            request.META["HTTP_ACCEPT_LANGUAGE"] = value.decode("latin-1")
        elif name.lower() == b"cookie":
            request.COOKIES.update(parse_cookie(value.decode("latin-1")))
    return translation.get_language_from_request(request)


def too_large(scope: dict, limit: int) -> Answer:
    """The 413 of a body over ``limit`` bytes, in the client's language: the API's error shape under /api/,
    plain text elsewhere. Answered before Django runs, so the language is chosen here as Django would."""
    with translation.override(_language(scope)):
        message = _("The request body is larger than %(limit)d bytes.") % {"limit": limit}
    path = scope.get("path", "")
    if path.startswith("/api/"):
        code = next((code for prefix, code in TOO_LARGE_CODES.items() if path.startswith(prefix)), "too_large")
        body = json.dumps(error_body(code, message)).encode()
        return 413, [(b"content-type", b"application/json")], body
    return 413, [(b"content-type", b"text/plain; charset=utf-8")], message.encode()


def declared_length(scope: dict) -> int | None:
    """The Content-Length the client declared, or None (absent or not a number: the server's concern)."""
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class ThreadedWsgiHttp:
    """An ASGI application for ``http`` scopes around a WSGI application (Django's handler)."""

    def __init__(self, wsgi_application, threads: int, max_body: int | None = None, lane=None) -> None:
        self.wsgi_application = wsgi_application
        self.lane = lane  # tracking.fastlane.ContainerLane: answers a partner's plain container read on the loop
        self.max_body = settings.HTTP_MAX_BODY_BYTES if max_body is None else max_body
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="http")
        # through asgiref, not a bare run_in_executor: code in the thread that calls async_to_sync
        # (the in-memory channel layer, /healthz) then runs it on the server's loop, as under Django's handler
        self.respond = sync_to_async(self._respond, thread_sensitive=False, executor=self.executor)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"ThreadedWsgiHttp serves http, not {scope['type']}")
        ticket = self.lane.ticket(scope) if self.lane is not None else None
        if ticket is not None:
            answer = await self.lane.answer(ticket)
            if answer is not None:
                await self._send(send, *answer)
                return
        length = declared_length(scope)
        if length is not None and length > self.max_body:
            status, headers, content = too_large(scope, self.max_body)
        else:
            with SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE) as body:
                received = 0
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return  # the client left before its body arrived: nobody to answer
                    chunk = message.get("body", b"")
                    received += len(chunk)
                    if received > self.max_body:  # no Content-Length (chunked), or more than it said
                        break
                    body.write(chunk)
                    if not message.get("more_body", False):
                        break
                if received > self.max_body:
                    status, headers, content = too_large(scope, self.max_body)
                else:
                    body.seek(0)
                    status, headers, content = await self.respond(scope, body)
                    if ticket is not None:
                        self.lane.learn(ticket, status, headers)
        await self._send(send, status, headers, content)

    @staticmethod
    async def _send(send, status: int, headers: list[tuple[bytes, bytes]], content: bytes) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    def _respond(self, scope, body) -> Answer:
        """Run the WSGI application for one request in this pool thread; its whole answer.

        The request's objects are released (``hub/release.py``) once the response is closed.
        """
        with released():
            return self._run_wsgi(scope, body)

    def _run_wsgi(self, scope, body) -> Answer:
        adapter = WsgiToAsgiInstance(self.wsgi_application)
        adapter.scope = scope  # build_environ reads the headers from the instance's scope
        try:
            environ = adapter.build_environ(scope, body)
        except ValueError:  # too many duplicate headers (asgiref's limit)
            return 400, [(b"content-type", b"text/plain")], b"Bad Request: too many duplicate headers"
        started: list = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info=None) -> None:
            started[:] = [int(status.split(" ", 1)[0]), headers]

        result = self.wsgi_application(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()  # Django's request_finished: connections back to the pool
        status, headers = started
        return status, [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers], content
