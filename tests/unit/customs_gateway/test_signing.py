"""Signing: enveloped XML-DSig shaped like the signed CEB621 sample, SM2 with SM3, verification and trust."""

import pytest
from lxml import etree

from customs_gateway.exceptions import SignatureError
from customs_gateway.signing import (
    C14N,
    DS,
    ENVELOPED,
    SM2_SM3,
    Signer,
    Sm2Signer,
    TrustedKey,
    XmlDsigSigner,
    new_sm2_key,
    sm2_fingerprint,
    verify,
)
from tests.unit.customs_gateway.conftest import SHARED, demo_signers, fixture

CEB621_SIGNED = SHARED / "samples" / "customs" / "china-ceb" / "CEB621Message_signed.xml"


def _shape(document: bytes) -> dict:
    """The structure of an enveloped signature, as the CEB621 sample has it."""
    root = etree.fromstring(document)
    signature = root[-1]
    info = signature.find(f"{{{DS}}}SignedInfo")
    reference = info.find(f"{{{DS}}}Reference")
    return {
        "last child": signature.tag,
        "c14n": info.find(f"{{{DS}}}CanonicalizationMethod").get("Algorithm"),
        "references": len(info.findall(f"{{{DS}}}Reference")),
        "uri": reference.get("URI"),
        "transforms": [t.get("Algorithm") for t in reference.iter(f"{{{DS}}}Transform")],
        "has value": bool(signature.findtext(f"{{{DS}}}SignatureValue")),
        "certificate": signature.find(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate") is not None,
    }


def _trusted(signer: XmlDsigSigner) -> list[TrustedKey]:
    return [TrustedKey("AUTH", "x509", signer.cert_pem, signer.fingerprint)]


def test_our_xml_signature_has_the_structure_of_the_signed_ceb621_sample():
    signer, _agency = demo_signers()
    ours = _shape(signer.sign(fixture("MT1101_original.xml")))
    expected = {
        "last child": f"{{{DS}}}Signature",
        "c14n": C14N,
        "references": 1,
        "uri": "",
        "transforms": [ENVELOPED],
        "has value": True,
        "certificate": True,
    }
    assert ours == expected
    if CEB621_SIGNED.exists():  # the published sample (GPL-3.0) is read in place, never copied
        assert _shape(CEB621_SIGNED.read_bytes()) == expected


def test_signed_bytes_verify_and_any_change_breaks_them():
    signer, _agency = demo_signers()
    signed = signer.sign(fixture("MT1101_original.xml"))
    assert verify(signed, _trusted(signer)).fingerprint == signer.fingerprint
    with pytest.raises(SignatureError) as caught:
        verify(signed.replace(b"ELECTRIC SHAVERS", b"ELECTRIC SHAVERZ"), _trusted(signer))
    assert caught.value.code == "invalid_signature"


def test_a_signature_by_an_untrusted_certificate_is_refused():
    signer, agency = demo_signers()
    with pytest.raises(SignatureError) as caught:
        verify(agency.sign(fixture("MT1101_original.xml")), _trusted(signer))
    assert caught.value.code == "untrusted"


def test_an_unsigned_message_is_refused():
    with pytest.raises(SignatureError) as caught:
        verify(fixture("MT1101_original.xml"), [])
    assert caught.value.code == "unsigned"


def test_sm2_with_sm3_signs_and_verifies_and_detects_changes():
    signer = Sm2Signer(new_sm2_key())
    assert isinstance(signer, Signer)
    signed = signer.sign(fixture("MT1101_original.xml"))
    root = etree.fromstring(signed)
    assert root[-1].find(f"{{{DS}}}SignedInfo/{{{DS}}}SignatureMethod").get("Algorithm") == SM2_SM3
    trusted = [TrustedKey("CNCUSTOMS", "sm2", signer.public_hex, sm2_fingerprint(signer.public_hex))]
    assert verify(signed, trusted).algorithm == "sm2"
    with pytest.raises(SignatureError):
        verify(signed.replace(b"HAIR CLIPPERS", b"HAIR CLIPPER"), trusted)
    with pytest.raises(SignatureError) as caught:
        verify(Sm2Signer(new_sm2_key()).sign(fixture("MT1101_original.xml")), trusted)
    assert caught.value.code == "untrusted"


def test_a_hardware_key_stands_in_through_the_signer_protocol():
    class Hsm:
        algorithm = "sm2"

        def __init__(self):
            self._inner = Sm2Signer(new_sm2_key())
            self.fingerprint = self._inner.fingerprint

        def sign(self, document: bytes) -> bytes:
            return self._inner.sign(document)

    assert isinstance(Hsm(), Signer)


def test_the_outbound_envelope_carries_the_signed_bytes_unchanged(carrier, sim):
    from customs_gateway import envelope
    from customs_gateway.keys import gateway_signer
    from customs_gateway.outbound import prepare, submit
    from customs_gateway.records import parse

    declaration = submit(carrier, fixture("MT1101_original.xml"), actor="test")
    _declaration, message = prepare(declaration.pk)
    _info, data, keys = envelope.unwrap(parse(bytes(message.body)))
    signer = gateway_signer()
    assert verify(data, [TrustedKey("LOGIHUB", "x509", signer.cert_pem, signer.fingerprint)])
    assert keys == {"BusinessRef": declaration.business_reference, "Version": "1"}


def test_the_gateway_can_sign_with_sm2_and_the_authority_accepts_it(carrier, sim, settings, tmp_path):
    from customs_gateway import keys
    from customs_gateway.outbound import dispatch, submit

    key_file = tmp_path / "gateway.sm2"
    key_file.write_text(new_sm2_key())
    settings.CUSTOMS_SM2_KEY_FILE = str(key_file)
    keys.gateway_signer.cache_clear()
    try:
        declaration = submit(carrier, fixture("MT1101_original.xml"), actor="test")
        dispatch(declaration.pk)
        sim.deliver()
        declaration.refresh_from_db()
        assert declaration.state == "released"
        from customs_gateway import envelope
        from customs_gateway.records import parse

        _info, data, _keys = envelope.unwrap(parse(bytes(declaration.messages.get(role="outbound").body)))
        assert SM2_SM3.encode() in data
    finally:
        keys.gateway_signer.cache_clear()


def test_the_authority_rejects_an_unsigned_or_broken_submission(carrier, sim, monkeypatch):
    from customs_gateway import outbound
    from customs_gateway.outbound import dispatch, submit

    class Broken:
        algorithm = "x509"
        fingerprint = "0"

        def sign(self, document: bytes) -> bytes:
            return document  # forgets to sign

    monkeypatch.setattr(outbound, "gateway_signer", lambda: Broken())
    declaration = submit(carrier, fixture("MT1101_original.xml"), actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "rejected" and declaration.reasons[0]["code"] == "19001"
    assert "not signed" in declaration.reasons[0]["text"]


def test_a_signature_over_one_element_does_not_vouch_for_the_rest(db):
    from signxml import CanonicalizationMethod, XMLSigner

    signer, _agency = demo_signers()
    root = etree.fromstring(
        b'<Manifest><Head Id="h"><MessageID>1</MessageID></Head><Response>19000</Response></Manifest>'
    )
    signed = XMLSigner(c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0).sign(
        root, key=signer.key, cert=signer.cert_pem, reference_uri="#h"
    )
    body = etree.tostring(signed).replace(b"19000", b"19001")  # the unsigned part changed
    with pytest.raises(SignatureError) as caught:
        verify(body, _trusted(signer))
    assert caught.value.code == "invalid_signature"
