"""Callback destinations: a partner's webhook URL never makes the platform reach its own network (SSRF)."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.unit.tracking.builders import build_event
from tests.unit.tracking.test_webhooks import Receiver
from tracking import destinations, webhooks
from tracking.exceptions import DeliveryFailed, UnsafeDestination
from tracking.models import Delivery, Subscription
from tracking.store import record_events

PARTNER_HOST = "hooks.partner.example"
PUBLIC = "93.184.215.14"

REFUSED_LITERALS = [
    "http://127.0.0.1/hook",
    "http://127.8.9.10:8000/hook",
    "http://10.0.0.5/hook",
    "http://172.16.4.2/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://0.0.0.0:8000/",
    "http://100.64.0.1/",  # carrier-grade NAT: not the internet
    "http://[::1]:8000/hook",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://[::]/",
    "http://[::7f00:1]/",  # IPv4-compatible (deprecated) 127.0.0.1
    "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped IPv6
    "http://[::ffff:a9fe:a9fe]/latest/meta-data/",  # ::ffff:169.254.169.254
    "http://[2002:a00:1::1]/",  # 6to4 of 10.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "http://2130706433/hook",  # decimal 127.0.0.1
    "http://0177.0.0.1/hook",  # octal
    "http://0x7f.0.0.1/hook",  # hexadecimal
    "http://127.1/hook",  # short form
    "http://017700000001/hook",  # octal as one number
    "http://3232235777/",  # decimal 192.168.1.1
    "http://localhost:8000/hook",
]


@pytest.fixture
def production(settings):
    """Private networks refused, as in production (the suites allow them for their 127.0.0.1 receivers)."""
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False


@pytest.fixture
def dns(monkeypatch):
    """Names resolved as the test says (``dns[name] = [addresses]``); counts every lookup of them."""
    answers = Answers()
    lookups = answers.lookups = []
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        rows = []
        for text in answers[host]:
            address = ipaddress.ip_address(text)
            if address.version == 4:
                rows.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (text, port)))
            else:
                rows.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (text, port, 0, 0)))
        return rows

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return answers


class Answers(dict):
    """Addresses by name, and the names looked up."""

    lookups: list[str]


@pytest.mark.usefixtures("production")
class TestWhenSubscribing:
    @pytest.mark.parametrize("url", REFUSED_LITERALS)
    def test_a_loopback_private_or_metadata_host_is_refused(self, url):
        with pytest.raises(UnsafeDestination) as refused:
            destinations.check_url(url)
        assert refused.value.code == "unsafe_callback" and refused.value.position == "callbackUrl"

    def test_a_name_resolving_to_a_private_address_is_refused(self, dns):
        dns[PARTNER_HOST] = ["10.20.30.40"]
        with pytest.raises(UnsafeDestination, match="10.20.30.40"):
            destinations.check_url(f"https://{PARTNER_HOST}/hook")

    def test_a_name_is_refused_when_any_of_its_addresses_is_private(self, dns):
        dns[PARTNER_HOST] = [PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::1"]
        with pytest.raises(UnsafeDestination, match="::1"):
            destinations.check_url(f"https://{PARTNER_HOST}/hook")

    def test_a_public_address_or_name_is_accepted(self, dns):
        dns[PARTNER_HOST] = [PUBLIC]
        destinations.check_url(f"https://{PARTNER_HOST}:8443/hook?x=1")
        destinations.check_url(f"http://{PUBLIC}/hook")
        destinations.check_url("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook")

    def test_a_name_that_does_not_resolve_yet_is_accepted_and_checked_at_delivery(self):
        destinations.check_url("https://not-yet.invalid/hook")

    @pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://127.0.0.1/", "http:///x"])
    def test_only_http_and_https_with_a_host_are_callbacks(self, url):
        with pytest.raises(UnsafeDestination):
            destinations.check_url(url)

    @pytest.mark.django_db
    def test_the_api_answers_400_in_its_error_shape(self, api_client, make_party, key_for):
        response = api_client.post(
            "/api/v1/subscriptions",
            {"callbackUrl": "http://169.254.169.254/latest/meta-data/"},
            format="json",
            **key_for(make_party("FWDA")),
        )
        assert response.status_code == 400
        error = response.json()["error"]
        assert (error["code"], error["position"]) == ("unsafe_callback", "callbackUrl")
        assert "169.254.169.254" in error["message"]
        assert not Subscription.objects.exists()


class TestWhenDelivering:
    def test_private_networks_may_be_allowed_but_never_link_local_or_unspecified(self, settings):
        settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
        for allowed in ("127.0.0.1", "10.1.2.3", "::1", "fd12::1", "::ffff:192.168.0.1"):
            assert destinations.refusal(ipaddress.ip_address(allowed)) is None, allowed
        for refused in ("169.254.169.254", "fe80::1", "0.0.0.0", "::", "224.0.0.1", "240.0.0.1", "::ffff:a9fe:a9fe"):
            assert destinations.refusal(ipaddress.ip_address(refused)) is not None, refused

    @pytest.mark.django_db
    def test_a_stored_callback_to_a_private_address_is_not_contacted(self, production, receiver):
        subscription = webhooks.subscribe(None, "https://example.com/hook", {})
        Subscription.objects.filter(pk=subscription.pk).update(callback_url=receiver.url)  # e.g. set in the admin
        record_events([build_event("GTIN")])
        with pytest.raises(DeliveryFailed):
            webhooks.deliver(Delivery.objects.get().pk)
        delivery = Delivery.objects.get()
        assert receiver.received == []
        assert delivery.state == "retrying" and "127.0.0.1" in delivery.last_error
        assert delivery.last_status_code is None

    @pytest.mark.django_db
    def test_a_name_rebound_to_a_private_address_after_subscribing_is_refused(self, production, dns, receiver):
        dns[PARTNER_HOST] = [PUBLIC]
        webhooks.subscribe(None, f"http://{PARTNER_HOST}:{receiver.server.server_port}/hook", {})
        dns[PARTNER_HOST] = ["127.0.0.1"]
        record_events([build_event("GTIN")])
        with pytest.raises(DeliveryFailed):
            webhooks.deliver(Delivery.objects.get().pk)
        assert receiver.received == [] and "127.0.0.1" in Delivery.objects.get().last_error

    @pytest.mark.django_db
    def test_the_name_is_resolved_once_and_the_checked_address_is_the_one_connected(self, dns, receiver):
        dns[PARTNER_HOST] = ["127.0.0.1"]
        webhooks.subscribe(None, f"http://{PARTNER_HOST}:{receiver.server.server_port}/hook?from=logihub", {})
        dns.lookups.clear()
        record_events([build_event("GTIN")])
        assert webhooks.deliver(Delivery.objects.get().pk) == "delivered"
        assert dns.lookups == [PARTNER_HOST]
        headers, _body = receiver.received[0]
        assert headers["Host"] == f"{PARTNER_HOST}:{receiver.server.server_port}"
        assert receiver.paths == ["/hook?from=logihub"]

    @pytest.mark.django_db
    def test_a_redirect_is_a_failed_attempt_and_is_not_followed(self, receiver):
        target = Receiver()
        redirecting = Receiver(status=307, location=target.url)
        try:
            webhooks.subscribe(None, redirecting.url, {})
            record_events([build_event("GTIN")])
            with pytest.raises(DeliveryFailed):
                webhooks.deliver(Delivery.objects.get().pk)
            delivery = Delivery.objects.get()
            assert (delivery.state, delivery.last_status_code) == ("retrying", 307)
            assert "redirects are not followed" in delivery.last_error
            assert len(redirecting.received) == 1 and target.received == []
        finally:
            redirecting.close()
            target.close()

    def test_https_sends_the_name_as_sni_and_checks_the_certificate_against_it(self, dns):
        dns[PARTNER_HOST] = ["127.0.0.1"]
        server = TlsReceiver(PARTNER_HOST)
        try:
            url = f"https://{PARTNER_HOST}:{server.port}/hook"
            assert destinations.post(url, b"{}", {}, timeout=5, context=server.client_context) == 200
            assert server.server_names == [PARTNER_HOST]
            assert server.hosts == [f"{PARTNER_HOST}:{server.port}"]
            dns["other.partner.example"] = ["127.0.0.1"]  # same address, a name the certificate does not carry
            with pytest.raises(ssl.SSLCertVerificationError):
                destinations.post(
                    f"https://other.partner.example:{server.port}/", b"{}", {}, timeout=5, context=server.client_context
                )
        finally:
            server.close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


class TlsReceiver:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for ``name``; records SNI and Host."""

    def __init__(self, name: str):
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        import tempfile

        self._files = tempfile.TemporaryDirectory()
        cert_path, key_path = f"{self._files.name}/cert.pem", f"{self._files.name}/key.pem"
        with open(cert_path, "wb") as f:
            f.write(cert_pem)
        with open(key_path, "wb") as f:
            f.write(key_pem)
        self.server_names: list[str | None] = []
        self.hosts: list[str] = []
        receiver = self
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(cert_path, key_path)
        server_context.sni_callback = lambda _sock, name, _ctx: receiver.server_names.append(name)
        self.client_context = ssl.create_default_context(cafile=cert_path)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.hosts.append(self.headers["Host"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = server_context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self._files.cleanup()


@pytest.mark.django_db
def test_an_edifact_interchange_is_not_sent_to_a_private_address_either(production, receiver, make_party):
    from tests.unit.tracking.test_outbound import codeco_events
    from tracking import outbound
    from tracking.models import OutboundMessage

    make_party("FWDB")
    subscription = webhooks.subscribe(make_party("FWDA"), "https://example.com/edi", {}, format="edifact")
    Subscription.objects.filter(pk=subscription.pk).update(callback_url=receiver.url)
    record_events(codeco_events())
    message = OutboundMessage.objects.get()
    with pytest.raises(DeliveryFailed):
        outbound.deliver(message.pk)
    message.refresh_from_db()
    assert receiver.received == [] and message.state == "retrying" and "127.0.0.1" in message.last_error


def test_a_receiver_trickling_its_answer_is_cut_off_at_the_deadline():
    import socket as sockets
    import time

    listener = sockets.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle():
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            while not stop.is_set():  # a header byte now and then, each well within the read timeout
                try:
                    conn.sendall(b"X")
                except OSError:
                    return
                time.sleep(0.1)

    threading.Thread(target=trickle, daemon=True).start()
    started = time.monotonic()
    try:
        with pytest.raises(TimeoutError, match="within 1 s"):
            destinations.post(f"http://127.0.0.1:{listener.getsockname()[1]}/", b"{}", {}, timeout=2, deadline=1)
        assert time.monotonic() - started < 3
    finally:
        stop.set()
        listener.close()


def test_a_named_partner_network_is_allowed_while_other_private_addresses_stay_refused(production, settings, dns):
    settings.WEBHOOK_ALLOWED_NETWORKS = [ipaddress.ip_network("10.20.0.0/16"), ipaddress.ip_network("fd00:20::/32")]
    dns["edi.partner.pcs"] = ["10.20.4.5"]
    destinations.check_url("https://edi.partner.pcs/in")
    destinations.check_url("https://[fd00:20::5]/in")
    for refused in ("https://10.21.0.1/", "https://127.0.0.1/", "https://[fd00:21::1]/"):
        with pytest.raises(UnsafeDestination):
            destinations.check_url(refused)
    settings.WEBHOOK_ALLOWED_NETWORKS = [ipaddress.ip_network("169.254.0.0/16")]
    with pytest.raises(UnsafeDestination):  # link-local (cloud metadata) whatever is named
        destinations.check_url("http://169.254.169.254/")
