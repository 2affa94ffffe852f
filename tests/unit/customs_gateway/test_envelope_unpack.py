"""A DXP envelope's Data: plain, zipped or gzipped, never unpacked past its bound."""

import gzip
import io
import zipfile

import pytest

from customs_gateway.envelope import MAX_UNPACKED, unpack
from customs_gateway.exceptions import InvalidMessage

BODY = b"<Manifest><Head/></Manifest>"


def _zip(*entries: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_plain_data_is_the_message_itself():
    assert unpack(BODY) == BODY


def test_a_one_entry_zip_and_gzip_are_unpacked():
    assert unpack(_zip(("m.xml", BODY))) == BODY
    assert unpack(gzip.compress(BODY)) == BODY


def test_a_zip_of_several_messages_is_refused():
    with pytest.raises(InvalidMessage):
        unpack(_zip(("a.xml", BODY), ("b.xml", BODY)))


def test_a_zip_bomb_is_refused_at_the_bound():
    with pytest.raises(InvalidMessage) as caught:
        unpack(gzip.compress(b"a" * (MAX_UNPACKED + 10)))
    assert caught.value.code == "too_large"


def test_a_broken_archive_is_refused():
    with pytest.raises(InvalidMessage):
        unpack(b"PK\x03\x04broken")
