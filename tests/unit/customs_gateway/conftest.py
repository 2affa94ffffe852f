"""Fixtures of the customs gateway tests: parties, the simulator as transport, fixture messages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "customs"
SHARED = Path(__file__).resolve().parents[4] / "shared"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@cache
def demo_signers():
    """Key pairs made once per test run (RSA generation is the slow part); test/demo keys only."""
    from customs_gateway.keys import self_signed
    from customs_gateway.signing import XmlDsigSigner

    return (
        XmlDsigSigner(*self_signed("test customs authority")),
        XmlDsigSigner(*self_signed("test inspection agency")),
    )


@pytest.fixture
def carrier(db):
    from tracking.models import Party

    return Party.objects.create(name="Test Carrier", edi_id="TESTCARRIER", role="carrier")


@pytest.fixture
def broker(db):
    from tracking.models import Party

    return Party.objects.create(name="Test Broker", edi_id="TESTBROKER", role="forwarder")


@pytest.fixture
def sim(db):
    from customs_gateway import transport
    from customs_gateway.simulator import Simulator

    customs, agency = demo_signers()
    simulator = Simulator(customs=customs, agency=agency)
    simulator.trust()
    transport.override(simulator)
    yield simulator
    transport.override(None)


def manifest(**replace: str) -> bytes:
    """The MT1101 fixture with text replaced (``old=new`` pairs as keyword arguments are awkward: use dict)."""
    body = fixture("MT1101_original.xml")
    for old, new in replace.items():
        body = body.replace(old.encode(), new.encode())
    return body


def amended(body: bytes, function_code: str, message_id: str) -> bytes:
    """A manifest turned into an amendment or deletion: function code, message id, a change reason per bill."""
    body = body.replace(b"<FunctionCode>9</FunctionCode>", f"<FunctionCode>{function_code}</FunctionCode>".encode())
    body = body.replace(b"TESTCARRIER_MT1101_20261125080000001", message_id.encode())
    for bill in (b"LGHB2611001", b"LGHB2611002"):
        body = body.replace(b"<ID>" + bill + b"</ID>", b"<ID>" + bill + b"</ID><ChangeReasonCode>01</ChangeReasonCode>")
    return body
