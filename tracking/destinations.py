"""Where partners' callbacks may go: the public internet only, checked when subscribed and when sent.

A partner registers a callback URL and the platform POSTs to it. Unchecked, that is a way into the
operator's own network (server-side request forgery): services on 127.0.0.1, the RFC 1918 network,
the cloud metadata address 169.254.169.254, reached directly, through a redirect, or through a DNS
name that resolves (or is rebound after the check) to such an address. So:

- :func:`check_url`, when a subscription is made: http or https with a host; a literal address, or
  every address the name resolves to now, must be public. A name that does not resolve (yet) is
  accepted: the delivery checks again.
- :func:`post`, for every attempt: the name is resolved once, every address is checked, and the
  connection goes to a checked address (never resolved again, so DNS rebinding cannot swap it); the
  Host header and the TLS server name and certificate check still use the URL's name. Redirects are
  never followed: a 3xx is the answer of the attempt.

Numeric host forms (``2130706433``, ``0177.0.0.1``, ``127.1``) resolve to the address they stand
for and are judged by it; an IPv6 address carrying an IPv4 one (IPv4-mapped, 6to4, Teredo, NAT64) is
judged by both. ``settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS`` lets loopback and private addresses
through (the embedded demo and the test suites deliver to receivers on 127.0.0.1); link-local (cloud
metadata), unspecified, multicast and reserved addresses are refused whatever it says.
``settings.WEBHOOK_ALLOWED_NETWORKS`` names private networks partners are reached on (a port
community's WAN): those are allowed while other private addresses stay refused.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tracking.exceptions import UnsafeDestination

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
SockAddr = tuple[int, tuple[Any, ...]]  # (address family, socket address) from getaddrinfo

#: RFC 6052's well-known NAT64 prefix: a gateway translates 64:ff9b::a.b.c.d to a.b.c.d.
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Target:
    """A callback URL taken apart: what to connect to and what to ask for."""

    scheme: str
    host: str  # lower case, ASCII (IDNA), no brackets
    port: int
    path: str  # path and query, as sent in the request line


def target_of(url: str) -> Target:
    """The parts of ``url`` a POST needs; raises UnsafeDestination for what cannot be a callback."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeDestination(str(_("the callback URL is not a valid URL"))) from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeDestination(str(_("the callback URL must be http or https")))
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError as exc:
        raise UnsafeDestination(str(_("the callback URL's host name is not valid"))) from exc
    if not host:
        raise UnsafeDestination(str(_("the callback URL has no host")))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=scheme, host=host, port=port or DEFAULT_PORTS[scheme], path=path)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries to (mapped, 6to4, Teredo client, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: Address) -> str | None:
    """Why the platform may not connect to ``address``; None when it may."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # the IPv4 address itself, written the IPv6 way
            return refusal(address.ipv4_mapped)
        embedded = _embedded_ipv4(address)
        if embedded is not None and refusal(embedded) is not None:
            return refusal(embedded)
    reserved = address.is_reserved and not address.is_loopback  # ::1 lies in IPv6's reserved ::/8
    if address.is_multicast or address.is_unspecified or reserved or address.is_link_local:
        return str(_("not a unicast address on the internet"))
    if address.is_global:
        return None
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS and (address.is_loopback or address.is_private):
        return None
    if any(address in network for network in settings.WEBHOOK_ALLOWED_NETWORKS):
        return None  # a partners' network the operator named
    return str(_("not a public address"))


def _refuse(host: str, address: Address, reason: str) -> UnsafeDestination:
    message = _("the callback host %(host)s is %(address)s: %(reason)s") % {
        "host": host,
        "address": address,
        "reason": reason,
    }
    return UnsafeDestination(str(message))


def checked_addresses(host: str, port: int) -> list[SockAddr]:
    """Resolve ``host`` once and return its addresses; raises UnsafeDestination if any may not be reached.

    Every address must pass (not just one): a name that also resolves to a private address is
    refused, whichever address a connection would have tried first. Resolution errors are OSError.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    found: list[SockAddr] = []
    for family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0])
        reason = refusal(address)
        if reason is not None:
            raise _refuse(host, address, reason)
        if (family, sockaddr) not in found:
            found.append((family, sockaddr))
    if not found:
        raise OSError(f"{host} has no address")
    return found


def check_url(url: str) -> None:
    """At subscription time: raise UnsafeDestination for a URL whose host is, or resolves to, a refused address."""
    target = target_of(url)
    try:
        literal = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None:
        reason = refusal(literal)
        if reason is not None:
            raise _refuse(target.host, literal, reason)
        return
    try:
        checked_addresses(target.host, target.port)
    except OSError:
        return  # not resolvable now: accepted, each delivery resolves and checks again


def _connect_to(addresses: list[SockAddr], timeout: float | None) -> socket.socket:
    """A TCP connection to the first of ``addresses`` that answers (all checked already)."""
    error: OSError | None = None
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error or OSError("no address to connect to")


Connect = Callable[..., socket.socket]  # http.client's (address, timeout, source) -> socket hook


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a checked address; the Host header still names the URL's host."""

    def __init__(self, host: str, port: int, *, connect: Connect, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        # http.client opens its socket through this attribute: connect to what was checked, never re-resolve
        self._create_connection = connect


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address; SNI and the certificate check use the URL's host."""

    def __init__(
        self, host: str, port: int, *, connect: Connect, timeout: float, context: ssl.SSLContext | None = None
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._create_connection = connect


def _cut(opened: list[socket.socket], fired: threading.Event) -> None:
    """End a connection that overran its deadline: a blocked read or write returns at once."""
    fired.set()
    for sock in opened:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    deadline: float = 30.0,
    context: ssl.SSLContext | None = None,
) -> int:
    """POST ``body`` to ``url`` through a checked address; the answer's status (a redirect is not followed).

    ``timeout`` bounds each connect, read and write; ``deadline`` the whole exchange, so that a receiver
    trickling its answer a byte at a time cannot hold a worker. Raises UnsafeDestination when the host
    is or resolves to a refused address, OSError when it cannot be resolved or reached or overran the
    deadline (TimeoutError), http.client.HTTPException when the answer is not HTTP.
    ``context``: the TLS context for https (default: the system's trusted certificates, verified).
    """
    target = target_of(url)
    addresses = checked_addresses(target.host, target.port)
    opened: list[socket.socket] = []

    def connect(_address: Any, timeout: float | None, _source: Any = None) -> socket.socket:
        opened.append(_connect_to(addresses, timeout))
        return opened[-1]

    if target.scheme == "https":
        connection: http.client.HTTPConnection = _PinnedHTTPSConnection(
            target.host, target.port, connect=connect, timeout=timeout, context=context
        )
    else:
        connection = _PinnedHTTPConnection(target.host, target.port, connect=connect, timeout=timeout)
    fired = threading.Event()
    timer = threading.Timer(deadline, _cut, args=(opened, fired))
    timer.daemon = True
    timer.start()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        status = connection.getresponse().status
        if fired.is_set():  # the cut ended the headers early: what was read is not an answer
            raise TimeoutError(f"no complete answer within {deadline:g} s")
        return status
    except (OSError, http.client.HTTPException) as exc:
        if fired.is_set():
            raise TimeoutError(f"no complete answer within {deadline:g} s") from exc
        raise
    finally:
        timer.cancel()
        connection.close()
