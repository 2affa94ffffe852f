"""Signing outbound messages and verifying inbound ones: enveloped XML-DSig (X.509) and SM2 with SM3.

    >>> signer = XmlDsigSigner(key_pem, cert_pem)      # or Sm2Signer(private_hex), or an HSM's class
    >>> signed = signer.sign(xml_bytes)                 # exact bytes, kept as sent
    >>> verify(signed, trusted_keys)                    # -> Verified, or raises SignatureError

Both signers place one ``ds:Signature`` as the last child of the document's root, as the signed
CEB621 sample does: canonical XML 1.0 (``REC-xml-c14n-20010315``), one ``Reference URI=""`` with
the enveloped-signature transform, and the signer's certificate (X.509) or key name (SM2) in
``KeyInfo``. SM2 uses the OIDs of SM2-with-SM3 (1.2.156.10197.1.501) and SM3 (1.2.156.10197.1.401)
as algorithm URIs. Any class with ``algorithm``, ``fingerprint`` and ``sign(bytes) -> bytes``
is a :class:`Signer`, so a hardware key can stand in for the software ones.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from gmssl import sm2, sm3
from lxml import etree
from signxml import CanonicalizationMethod, SignatureConfiguration, XMLSigner, XMLVerifier
from signxml.exceptions import InvalidInput, InvalidSignature

from customs_gateway.exceptions import ERRORS, SignatureError

DS = "http://www.w3.org/2000/09/xmldsig#"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
SM2_SM3 = "urn:oid:1.2.156.10197.1.501"
SM3_DIGEST = "urn:oid:1.2.156.10197.1.401"
SM2_N = int(sm2.default_ecc_table["n"], 16)


@runtime_checkable
class Signer(Protocol):
    """Signs a whole XML document with an enveloped signature and returns the exact bytes to send."""

    algorithm: str
    fingerprint: str

    def sign(self, document: bytes) -> bytes: ...


@dataclass(frozen=True)
class TrustedKey:
    """A key the gateway accepts signatures from: an X.509 certificate (PEM) or an SM2 public key (hex)."""

    authority: str
    algorithm: str
    material: str
    fingerprint: str
    role: str = "customs"


@dataclass(frozen=True)
class Verified:
    authority: str
    algorithm: str
    fingerprint: str
    role: str = "customs"


def cert_fingerprint(cert_pem: str | bytes) -> str:
    data = cert_pem.encode() if isinstance(cert_pem, str) else cert_pem
    cert = x509.load_pem_x509_certificate(data)
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def sm2_fingerprint(public_hex: str) -> str:
    return hashlib.sha256(public_hex.lower().encode()).hexdigest()


def _parse(document: bytes) -> etree._Element:
    from customs_gateway.records import parse

    return parse(document)


class XmlDsigSigner:
    """Enveloped XML-DSig with an RSA or EC key and its X.509 certificate, through signxml."""

    algorithm = "x509"

    def __init__(self, key_pem: bytes, cert_pem: bytes, *, signature_algorithm: str = "rsa-sha256") -> None:
        self.key = serialization.load_pem_private_key(key_pem, password=None)  # once: loading checks the key, slowly
        self.cert_pem = cert_pem.decode() if isinstance(cert_pem, bytes) else cert_pem
        self.fingerprint = cert_fingerprint(self.cert_pem)
        self._signer = XMLSigner(
            signature_algorithm=signature_algorithm,
            digest_algorithm="sha256",
            c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0,
        )

    def sign(self, document: bytes) -> bytes:
        root = _parse(document)
        signed = self._signer.sign(root, key=self.key, cert=self.cert_pem, exclude_c14n_transform_element=True)
        return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def _c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n")


def _digest_without_signature(root: etree._Element) -> bytes:
    copy = etree.fromstring(etree.tostring(root))
    for signature in copy.findall(f"{{{DS}}}Signature"):
        copy.remove(signature)
    return bytes.fromhex(sm3.sm3_hash(list(_c14n(copy))))


def _sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{DS}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


class Sm2Signer:
    """Enveloped signature with SM2 over SM3 (GB/T 32918, GB/T 32905), through gmssl."""

    algorithm = "sm2"

    def __init__(self, private_hex: str) -> None:
        self.private_hex = private_hex
        self.public_hex = public_key_of(private_hex)
        self.fingerprint = sm2_fingerprint(self.public_hex)

    def sign(self, document: bytes) -> bytes:
        root = _parse(document)
        signature = etree.SubElement(root, f"{{{DS}}}Signature", nsmap={"ds": DS})
        info = _sub(signature, "SignedInfo")
        _sub(info, "CanonicalizationMethod", Algorithm=C14N)
        _sub(info, "SignatureMethod", Algorithm=SM2_SM3)
        reference = _sub(info, "Reference", URI="")
        _sub(_sub(reference, "Transforms"), "Transform", Algorithm=ENVELOPED)
        _sub(reference, "DigestMethod", Algorithm=SM3_DIGEST)
        _sub(reference, "DigestValue", base64.b64encode(_digest_without_signature(root)).decode())
        value = _crypt(self.private_hex, self.public_hex).sign_with_sm3(_c14n(info), _nonce())
        _sub(signature, "SignatureValue", base64.b64encode(bytes.fromhex(value)).decode())
        _sub(_sub(signature, "KeyInfo"), "KeyName", self.public_hex)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _nonce() -> str:
    """SM2's per-signature k from the OS's CSPRNG (gmssl's own default draws from ``random``)."""
    return format(secrets.randbelow(SM2_N - 1) + 1, "064x")


def _crypt(private_hex: str, public_hex: str) -> sm2.CryptSM2:
    crypt = sm2.CryptSM2(private_key=private_hex, public_key="")
    crypt.public_key = public_hex  # set directly: the constructor's lstrip("04") can eat key digits
    return crypt


def public_key_of(private_hex: str) -> str:
    crypt = sm2.CryptSM2(private_key=private_hex, public_key="")
    return crypt._kg(int(private_hex, 16), sm2.default_ecc_table["g"])


def new_sm2_key() -> str:
    """A fresh SM2 private key (hex) from the OS's CSPRNG."""
    return format(secrets.randbelow(SM2_N - 1) + 1, "064x")


def _signature_of(root: etree._Element) -> etree._Element:
    found = root.findall(f"{{{DS}}}Signature")
    if not found:
        raise SignatureError(ERRORS["unsigned"], code="unsigned")
    if len(found) > 1:
        raise SignatureError(ERRORS["two_signatures"], code="invalid_signature")
    return found[0]


def _verify_sm2(root: etree._Element, signature: etree._Element, trusted: list[TrustedKey]) -> Verified:
    public_hex = (signature.findtext(f"{{{DS}}}KeyInfo/{{{DS}}}KeyName") or "").strip().lower()
    key = next((k for k in trusted if k.algorithm == "sm2" and k.fingerprint == sm2_fingerprint(public_hex)), None)
    if key is None:
        raise SignatureError(ERRORS["untrusted"], code="untrusted")
    info = signature.find(f"{{{DS}}}SignedInfo")
    digest = info.findtext(f"{{{DS}}}Reference/{{{DS}}}DigestValue") if info is not None else None
    if info is None or digest is None or info.find(f"{{{DS}}}Reference").get("URI") != "":
        raise SignatureError(ERRORS["not_enveloped"], code="invalid_signature")
    if base64.b64decode(digest) != _digest_without_signature(root):
        raise SignatureError(ERRORS["changed"], code="invalid_signature")
    try:
        value = base64.b64decode(signature.findtext(f"{{{DS}}}SignatureValue") or "").hex()
        ok = _crypt("0" * 64, key.material).verify_with_sm3(value, _c14n(info))
    except (ValueError, TypeError) as exc:
        raise SignatureError(ERRORS["bad_signature"] % {"detail": exc}, code="invalid_signature") from exc
    if not ok:
        raise SignatureError(ERRORS["bad_signature"] % {"detail": "SM2"}, code="invalid_signature")
    return Verified(key.authority, "sm2", key.fingerprint, key.role)


def _whole_document(signature: etree._Element) -> None:
    """Only a signature over the whole document counts: one Reference, ``URI=""``, enveloped.

    A signature over one element (``URI="#id"``) would verify while the rest of the document,
    which is what the gateway reads, stays unsigned (signature wrapping).
    """
    references = signature.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
    transforms = [t.get("Algorithm") for t in signature.iterfind(f".//{{{DS}}}Reference//{{{DS}}}Transform")]
    if len(references) != 1 or references[0].get("URI") != "" or ENVELOPED not in transforms:
        raise SignatureError(ERRORS["not_enveloped"], code="invalid_signature")


def _verify_x509(document: bytes, signature: etree._Element, trusted: list[TrustedKey]) -> Verified:
    _whole_document(signature)
    embedded = signature.findtext(f".//{{{DS}}}X509Certificate") or ""
    try:
        der = base64.b64decode("".join(embedded.split()))
        fingerprint = hashlib.sha256(der).hexdigest()
    except ValueError as exc:
        raise SignatureError(ERRORS["bad_signature"] % {"detail": "X509Certificate"}, code="invalid_signature") from exc
    key = next((k for k in trusted if k.algorithm == "x509" and k.fingerprint == fingerprint), None)
    if key is None:
        raise SignatureError(ERRORS["untrusted"], code="untrusted")
    config = SignatureConfiguration(expect_references=1)
    try:
        XMLVerifier().verify(document, x509_cert=key.material, expect_config=config)
    except (InvalidSignature, InvalidInput) as exc:
        raise SignatureError(ERRORS["bad_signature"] % {"detail": exc}, code="invalid_signature") from exc
    return Verified(key.authority, "x509", key.fingerprint, key.role)


def verify(document: bytes, trusted: list[TrustedKey]) -> Verified:
    """Verify the enveloped signature of ``document`` against ``trusted`` keys; raise SignatureError otherwise."""
    root = _parse(document)
    signature = _signature_of(root)
    method = signature.find(f"{{{DS}}}SignedInfo/{{{DS}}}SignatureMethod")
    if method is not None and method.get("Algorithm") == SM2_SM3:
        return _verify_sm2(root, signature, trusted)
    return _verify_x509(document, signature, trusted)
