"""EPC decoding: GS1 schemes through epcpy, container tags by their ISO 6346 number, raw hex kept."""

import pytest

from rfid.epc import decode, epcis_uri, from_uri, normalise
from tests.unit.rfid.conftest import UNKNOWN_TAG, container, container_tag


@pytest.mark.parametrize(
    ("hex_value", "uri", "scheme"),
    [
        ("3074257BF7194E4000001A85", "urn:epc:id:sgtin:0614141.812345.6789", "sgtin"),
        ("3114257BF4499602D2000000", "urn:epc:id:sscc:0614141.1234567890", "sscc"),
        ("3314257BF40C0E4000000190", "urn:epc:id:grai:0614141.12345.400", "grai"),
        ("3414257BF400000000BC6038", "urn:epc:id:giai:0614141.12345400", "giai"),
        ("3614257BF46DB660AF84B58B2000000000000000000000000000", "urn:epc:id:sgtin:0614141.112345.A%2FB-12", "sgtin"),
        ("3714257BF40C0E60B15EC80000000000000000000000", "urn:epc:id:grai:0614141.12345.A1%2F2", "grai"),
        ("3814257BF60C286BD8B266000000000000000000000000000000", "urn:epc:id:giai:0614141.ABC%2F123", "giai"),
        ("3214257BF460720000000190", "urn:epc:id:sgln:0614141.12345.400", "other"),
        ("355AB1C60003039000000190", "urn:epc:id:gid:95100000.12345.400", "other"),
    ],
)
def test_gs1_epcs_decode_to_their_pure_identity(hex_value, uri, scheme):
    tag = decode(hex_value.lower())
    assert (tag.key, tag.scheme, tag.hex) == (uri, scheme, hex_value)


def test_a_container_tag_in_six_bit_characters_decodes_to_its_bic_uri():
    number = container("CSQU", "305438")
    tag = decode(container_tag(number))
    assert (tag.key, tag.scheme, tag.container) == (f"urn:epc:id:bic:{number}", "bic", number)


@pytest.mark.parametrize("owner", ["MSKU", "MAEU", "MRKU", "MSCU", "MEDU", "LLLU", "NYKU", "OOLU"])
def test_a_container_tag_whose_first_byte_looks_like_an_epc_header_is_still_its_container(owner):
    # M + a letter from P to Z is 0x35 (the GID-96 header), M + A to O is 0x34 (GIAI-96), L is 0x30/0x31
    number = container(owner, "907032")
    tag = decode(container_tag(number))
    assert (tag.key, tag.scheme) == (f"urn:epc:id:bic:{number}", "bic")


def test_a_container_tag_with_an_afi_byte_and_ascii_characters_decodes():
    number = container("MSKU", "123456")
    assert decode("A9" + number.encode().hex() + "00000000").container == number


def test_a_container_number_with_a_wrong_check_digit_stays_raw():
    number = container("CSQU", "305438")
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert decode(container_tag(wrong)).scheme == "raw"


def test_unknown_epcs_keep_their_raw_hex_and_get_a_raw_tag_uri_in_epcis():
    tag = decode(UNKNOWN_TAG.lower())
    assert (tag.key, tag.scheme) == (UNKNOWN_TAG, "raw")
    assert epcis_uri(tag.key) == f"urn:epc:raw:96.x{UNKNOWN_TAG}"


def test_a_digital_link_captured_goes_out_in_epcis_as_it_came_in():
    link = "https://id.gs1.org/00/040123450000003338"
    assert epcis_uri(from_uri(link).key) == link
    assert epcis_uri("urn:epc:id:bic:CSQU3054383") == "urn:epc:id:bic:CSQU3054383"


@pytest.mark.parametrize("value", ["", "ABC", "XYZ0", "00" * 63])
def test_what_is_not_an_epc_bank_is_refused(value):
    with pytest.raises(ValueError):
        decode(value)


def test_bindings_normalise_hex_and_uris_to_one_key():
    assert normalise("3314257bf40c0e4000000190") == normalise("urn:epc:id:grai:0614141.12345.400")
    with pytest.raises(ValueError):
        from_uri("urn:epc:id:bic:CSQU3054384")
    with pytest.raises(ValueError):
        normalise("urn:example:thing")
