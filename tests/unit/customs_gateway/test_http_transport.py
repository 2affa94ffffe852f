"""The HTTP transport against a node on 127.0.0.1: acknowledgement kept, 4xx permanent, 5xx retryable."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from customs_gateway.exceptions import TransportError
from customs_gateway.transport import HttpTransport


class Node(BaseHTTPRequestHandler):
    status = 200
    received: list[bytes] = []
    content_types: list[str] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Node.received.append(body)
        Node.content_types.append(self.headers["Content-Type"])
        self.send_response(Node.status)
        self.send_header("X-Message-Id", "NODE-ACK-1")
        self.end_headers()
        self.wfile.write(b"<DxpRep/>")

    def log_message(self, *args):
        pass


@pytest.fixture
def node():
    server = HTTPServer(("127.0.0.1", 0), Node)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    Node.status, Node.received, Node.content_types = 200, [], []
    yield f"http://127.0.0.1:{server.server_port}/dxp"
    server.shutdown()


def test_a_2xx_is_the_transport_acknowledgement(node):
    receipt = HttpTransport(node, sender="NODE").send(b"<DxpMsg/>", message_id="M1")
    assert (receipt.body, receipt.reference, receipt.sender) == (b"<DxpRep/>", "NODE-ACK-1", "NODE")
    assert Node.received == [b"<DxpMsg/>"]


@pytest.mark.parametrize(("status", "retryable"), [(400, False), (503, True)])
def test_http_errors_say_whether_to_retry(node, status, retryable):
    Node.status = status
    with pytest.raises(TransportError) as caught:
        HttpTransport(node).send(b"<DxpMsg/>", message_id="M1")
    assert caught.value.retryable is retryable


def test_an_unreachable_node_is_worth_retrying():
    with pytest.raises(TransportError) as caught:
        HttpTransport("http://127.0.0.1:9/dxp", timeout=1).send(b"<x/>", message_id="M1")
    assert caught.value.retryable is True


def test_an_edifact_authority_gets_the_interchange_as_application_edifact(node, settings):
    settings.CUSTOMS_MESSAGE_FORMAT = "edifact"
    transport = HttpTransport(node, sender="NODE")
    assert transport.message_format == "edifact"
    transport.send(b"UNA:+.? 'UNB+UNOC:3+A+B+261125:0800+C1'UNZ+0+C1'", message_id="C1")
    assert Node.content_types == ["application/edifact"]
