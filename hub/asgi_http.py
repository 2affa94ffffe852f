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

No HTTP view of ours is async or streams, so nothing is lost by collecting the body before
sending it. Websockets stay on Channels (``hub/asgi.py``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from tempfile import SpooledTemporaryFile

from asgiref.sync import sync_to_async
from asgiref.wsgi import WsgiToAsgiInstance
from django.conf import settings

from hub.release import released

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


class ThreadedWsgiHttp:
    """An ASGI application for ``http`` scopes around a WSGI application (Django's handler)."""

    def __init__(self, wsgi_application, threads: int) -> None:
        self.wsgi_application = wsgi_application
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="http")
        # through asgiref, not a bare run_in_executor: code in the thread that calls async_to_sync
        # (the in-memory channel layer, /healthz) then runs it on the server's loop, as under Django's handler
        self.respond = sync_to_async(self._respond, thread_sensitive=False, executor=self.executor)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"ThreadedWsgiHttp serves http, not {scope['type']}")
        with SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE) as body:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return  # the client left before its body arrived: nobody to answer
                body.write(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            body.seek(0)
            status, headers, content = await self.respond(scope, body)
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
