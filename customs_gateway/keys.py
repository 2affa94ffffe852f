"""Test and demo key material: a self-signed certificate made on the spot, never a committed private key.

    >>> key_pem, cert_pem = self_signed("logihub demo gateway")

Production loads the gateway's key and certificate from the files named in the settings
(``CUSTOMS_SIGNING_KEY_FILE`` and ``CUSTOMS_SIGNING_CERT_FILE`` for XML-DSig, or
``CUSTOMS_SM2_KEY_FILE`` holding an SM2 private key in hex) or plugs in a hardware signer
(``CUSTOMS_SIGNER``, a dotted path to a factory); the embedded mode and the tests generate
theirs in memory.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.module_loading import import_string

from customs_gateway.signing import Signer, Sm2Signer, XmlDsigSigner


def self_signed(common_name: str, *, bits: int = 2048) -> tuple[bytes, bytes]:
    """A new RSA key and a self-signed certificate for it (PEM, PEM); for tests and the demo only."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


@cache
def gateway_signer() -> Signer:
    """The gateway's signer: the configured class, the configured key files, or a demo key (embedded)."""
    dotted = settings.CUSTOMS_SIGNER
    if dotted:
        return import_string(dotted)()
    sm2_file = settings.CUSTOMS_SM2_KEY_FILE
    if sm2_file:
        with open(sm2_file, encoding="ascii") as handle:
            return Sm2Signer(handle.read().strip())
    key_file = settings.CUSTOMS_SIGNING_KEY_FILE
    cert_file = settings.CUSTOMS_SIGNING_CERT_FILE
    if key_file and cert_file:
        with open(key_file, "rb") as key, open(cert_file, "rb") as cert:
            return XmlDsigSigner(key.read(), cert.read())
    key_pem, cert_pem = self_signed("logihub embedded demo gateway (not for production)")
    return XmlDsigSigner(key_pem, cert_pem)
