"""The pluggable transport to the authority: anything with ``send(envelope, message_id=...)``.

    >>> receipt = current().send(envelope_bytes, message_id="...")   # or raises TransportError

``send`` answers the *transport* layer only (the authority's node received the bytes); the
business answers come later, through :func:`customs_gateway.inbound.receive`. The transport
class is ``CUSTOMS_TRANSPORT`` (a dotted path); the embedded default is the authority
simulator, which speaks the same messages. A transport's ``message_format`` says what its
authority speaks: ``xml`` (signed, in the DXP envelope) or ``edifact`` (CUSDEC/CUSCAR, CUSRES back).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TransportReceipt:
    """The transport layer's answer: the bytes it sent back (kept) and its reference."""

    body: bytes
    reference: str
    sender: str


@runtime_checkable
class Transport(Protocol):
    def send(self, envelope: bytes, *, message_id: str) -> TransportReceipt: ...


DEFAULT = "customs_gateway.simulator.embedded_transport"
CONTENT_TYPES = {"xml": "application/xml; charset=utf-8", "edifact": "application/edifact"}


_override: list[Transport] = []


@cache
def _configured() -> Transport:
    factory = import_string(settings.CUSTOMS_TRANSPORT or DEFAULT)
    return factory()


def override(instance: Transport | None) -> None:
    """Use ``instance`` as the transport (tests, benchmarks); ``None`` goes back to the configured one."""
    _override[:] = [instance] if instance is not None else []


def current() -> Transport:
    """The transport in use: an override, else ``CUSTOMS_TRANSPORT``, else the embedded simulator."""
    return _override[0] if _override else _configured()


class HttpTransport:
    """POST the DXP envelope to the authority's node (``CUSTOMS_ENDPOINT_URL``), TLS verified by the platform.

    A 2xx answer is the transport acknowledgement (its body kept as sent back); a 4xx is a
    permanent refusal of these bytes, a 5xx or a network failure is worth retrying.
    """

    def __init__(
        self, url: str | None = None, *, timeout: float | None = None, sender: str = "", message_format: str = ""
    ) -> None:
        self.url = url or settings.CUSTOMS_ENDPOINT_URL
        self.timeout = timeout or settings.CUSTOMS_ENDPOINT_TIMEOUT_SECONDS
        self.sender = sender or settings.CUSTOMS_AUTHORITY_ID
        self.message_format = message_format or settings.CUSTOMS_MESSAGE_FORMAT
        if not self.url.startswith(("https://", "http://")):
            raise ValueError("CUSTOMS_ENDPOINT_URL must be an http(s) URL")

    def send(self, envelope: bytes, *, message_id: str) -> TransportReceipt:
        import urllib.error
        import urllib.request

        from customs_gateway.exceptions import TransportError

        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=envelope,
            method="POST",
            headers={"Content-Type": CONTENT_TYPES[self.message_format], "X-Message-Id": message_id},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
                reference = response.headers.get("X-Message-Id") or f"HTTP{response.status}-{message_id}"
        except urllib.error.HTTPError as exc:
            raise TransportError(
                f"the authority's node answered HTTP {exc.code}", permanent=400 <= exc.code < 500
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TransportError(f"the authority's node is unreachable: {exc}") from exc
        return TransportReceipt(body=body, reference=reference[:255], sender=self.sender)
