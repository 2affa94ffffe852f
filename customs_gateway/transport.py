"""The pluggable transport to the authority: anything with ``send(envelope, message_id=...)``.

    >>> receipt = current().send(envelope_bytes, message_id="...")   # or raises TransportError

``send`` answers the *transport* layer only (the authority's node received the bytes); the
business answers come later, through :func:`customs_gateway.inbound.receive`. The transport
class is ``CUSTOMS_TRANSPORT`` (a dotted path); the embedded default is the authority
simulator, which speaks the same messages.
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


_override: list[Transport] = []


@cache
def _configured() -> Transport:
    factory = import_string(getattr(settings, "CUSTOMS_TRANSPORT", "") or DEFAULT)
    return factory()


def override(instance: Transport | None) -> None:
    """Use ``instance`` as the transport (tests, benchmarks); ``None`` goes back to the configured one."""
    _override[:] = [instance] if instance is not None else []


def current() -> Transport:
    """The transport in use: an override, else ``CUSTOMS_TRANSPORT``, else the embedded simulator."""
    return _override[0] if _override else _configured()
