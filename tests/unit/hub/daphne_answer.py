"""A minimal ASGI application for tests that run a real Daphne: it settles the access log as
``hub/asgi.py`` does and answers every HTTP request ``200 ok``."""

from hub.access_log import keep_one_access_log

keep_one_access_log()


async def application(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    await receive()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})
