"""HTTP under Daphne: one hop per request into a pool thread running the WSGI application."""

import json
import threading

import pytest
from asgiref.testing import ApplicationCommunicator

from hub.asgi_http import ThreadedWsgiHttp


class Recorder:
    """A WSGI application that echoes what it was given and notes whether it was closed."""

    def __init__(self) -> None:
        self.closed = False
        self.thread = None

    def __call__(self, environ, start_response):
        self.thread = threading.current_thread().name
        body = environ["wsgi.input"].read()
        start_response("201 Created", [("Content-Type", "text/plain"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")])
        recorder = self

        class Answer:
            def __iter__(self):
                yield environ["REQUEST_METHOD"].encode() + b" " + environ["PATH_INFO"].encode() + b" "
                yield body

            def close(self):
                recorder.closed = True

        return Answer()


def scope(path: str = "/x", headers=()) -> dict:
    return {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }


async def answer(app, scope_, chunks) -> tuple[dict, dict]:
    communicator = ApplicationCommunicator(app, scope_)
    for index, chunk in enumerate(chunks):
        await communicator.send_input({"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1})
    start = await communicator.receive_output(5)
    body = await communicator.receive_output(5)
    await communicator.wait(5)
    return start, body


@pytest.mark.asyncio
async def test_a_body_in_several_chunks_reaches_the_application_whole_and_its_answer_comes_back():
    wsgi = Recorder()
    start, body = await answer(ThreadedWsgiHttp(wsgi, threads=2), scope("/edi"), [b"UNB+", b"UNOC:3", b"'"])
    assert start["status"] == 201
    assert [value for name, value in start["headers"] if name == b"set-cookie"] == [b"a=1", b"b=2"]
    assert body["body"] == b"POST /edi UNB+UNOC:3'"
    assert wsgi.closed  # Django's request_finished (connections back to the pool) runs on close
    assert wsgi.thread.startswith("http")  # a pool thread, not the event loop


@pytest.mark.asyncio
async def test_a_client_gone_before_its_body_arrived_is_not_answered_and_runs_nothing():
    wsgi = Recorder()
    communicator = ApplicationCommunicator(ThreadedWsgiHttp(wsgi, threads=1), scope())
    await communicator.send_input({"type": "http.request", "body": b"half", "more_body": True})
    await communicator.send_input({"type": "http.disconnect"})
    await communicator.wait(5)
    assert await communicator.receive_nothing()
    assert wsgi.thread is None


@pytest.mark.asyncio
async def test_too_many_copies_of_one_header_are_a_bad_request():
    wsgi = Recorder()
    headers = [(b"x-flood", b"1")] * 101
    start, body = await answer(ThreadedWsgiHttp(wsgi, threads=1), scope(headers=headers), [b""])
    assert start["status"] == 400 and b"duplicate headers" in body["body"]
    assert wsgi.thread is None


@pytest.mark.asyncio
async def test_a_websocket_scope_is_not_served_here():
    with pytest.raises(ValueError, match="websocket"):
        await ThreadedWsgiHttp(Recorder(), threads=1)({"type": "websocket"}, None, None)


@pytest.mark.asyncio
async def test_the_project_application_answers_http_through_django_with_its_middleware():
    from hub.asgi import application

    start, body = await answer(application, {**scope("/no-such-page"), "method": "GET"}, [b""])
    assert start["status"] == 404
    headers = dict(start["headers"])
    assert headers[b"x-frame-options"] == b"DENY"  # the middleware ran


@pytest.mark.asyncio
async def test_async_code_called_from_a_request_runs_on_the_servers_event_loop():
    """The in-memory channel layer's queues live on the server's loop: sends from a view must land there."""
    import asyncio

    from asgiref.sync import async_to_sync

    loops = []

    async def where() -> None:
        loops.append(asyncio.get_running_loop())

    def app(environ, start_response):
        async_to_sync(where)()
        start_response("200 OK", [])
        return [b""]

    await answer(ThreadedWsgiHttp(app, threads=1), scope(), [b""])
    assert loops == [asyncio.get_running_loop()]


@pytest.mark.asyncio
async def test_a_declared_length_over_the_limit_is_413_before_any_body_is_collected():
    wsgi = Recorder()
    app = ThreadedWsgiHttp(wsgi, threads=1, max_body=10)
    communicator = ApplicationCommunicator(app, scope("/api/v1/edi/inbound", headers=[(b"content-length", b"11")]))
    start = await communicator.receive_output(5)  # answered without waiting for a single body chunk
    body = await communicator.receive_output(5)
    assert start["status"] == 413 and dict(start["headers"])[b"content-type"] == b"application/json"
    error = json.loads(body["body"])["error"]
    assert error["code"] == "TOO_LARGE" and "10 bytes" in error["message"]  # the EDI inbox's own code
    assert wsgi.thread is None


@pytest.mark.asyncio
async def test_the_413_under_other_api_paths_has_the_lower_case_code_of_their_own_413s():
    app = ThreadedWsgiHttp(Recorder(), threads=1, max_body=10)
    start, body = await answer(app, scope("/api/v1/customs/declarations", [(b"content-length", b"99")]), [b""])
    assert start["status"] == 413 and json.loads(body["body"])["error"]["code"] == "too_large"


@pytest.mark.asyncio
async def test_a_chunked_body_growing_over_the_limit_is_413_and_runs_nothing():
    wsgi = Recorder()
    start, body = await answer(ThreadedWsgiHttp(wsgi, threads=1, max_body=10), scope("/track/"), [b"123456", b"78901"])
    assert start["status"] == 413 and body["body"].startswith(b"The request body is larger")
    assert wsgi.thread is None


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([(b"accept-language", b"zh-CN,zh;q=0.9,en;q=0.5")], "请求体超过 10 字节。"),
        ([(b"cookie", b"django_language=zh-hans"), (b"accept-language", b"en")], "请求体超过 10 字节。"),
        ([(b"accept-language", b"en-GB")], "The request body is larger than 10 bytes."),
        ([], "The request body is larger than 10 bytes."),
    ],
)
async def test_the_413_speaks_the_clients_language_as_the_pages_do(headers, expected):
    app = ThreadedWsgiHttp(Recorder(), threads=1, max_body=10)
    start, body = await answer(app, scope("/api/v1/events", [(b"content-length", b"99"), *headers]), [b""])
    assert start["status"] == 413 and json.loads(body["body"])["error"]["message"] == expected


@pytest.mark.asyncio
async def test_a_body_of_exactly_the_limit_is_served():
    wsgi = Recorder()
    start, body = await answer(ThreadedWsgiHttp(wsgi, threads=1, max_body=10), scope(), [b"12345", b"67890"])
    assert start["status"] == 201 and body["body"].endswith(b"1234567890")


def test_the_default_limit_leaves_room_for_the_largest_message_any_endpoint_takes(settings):
    largest = max(settings.EDI_MAX_MESSAGE_BYTES, settings.RFID_MAX_BODY_BYTES, settings.CUSTOMS_MAX_MESSAGE_BYTES)
    assert largest < settings.HTTP_MAX_BODY_BYTES <= largest + 128 * 1024
