"""EPC decoding: a tag's EPC bank (hex) to the key the gate works with.

    >>> decode("3074257BF7194E4000001A85")
    Tag(key='urn:epc:id:sgtin:0614141.812345.6789', scheme='sgtin', hex='3074257BF7194E4000001A85')

GS1 EPC Tag Data Standard schemes (SGTIN, SSCC, GRAI, GIAI, ...) are decoded by epcpy. Container
tags (ISO 17363) carry the ISO 6346 container number as characters, not as an EPC scheme; epcpy
has no binary form for them, so a bank whose 6-bit (ISO/IEC 15962) or 8-bit characters, read from
the start or after one AFI/DSFID byte, spell a container number with a valid check digit decodes
to ``urn:epc:id:bic:<number>``, before any EPC scheme is tried (owner codes starting L to O spell EPC
headers in their first byte). Anything else keeps its raw hex as the key (``scheme="raw"``).
Results are cached: a gate sees the same few tags thousands of times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _
from epcpy import hex_to_tag_encodable
from epcpy.utils.common import ConvertException
from stdnum import iso6346

from rfid.choices import Scheme

HEX = re.compile(r"[0-9A-Fa-f]+")
MAX_HEX = 124  # 496 bits, the largest EPC bank
BIC_PREFIX = "urn:epc:id:bic:"
CONTAINER = re.compile(r"[A-Z]{3}[UJZ][0-9]{7}")
KNOWN = {"sgtin": Scheme.SGTIN, "sscc": Scheme.SSCC, "grai": Scheme.GRAI, "giai": Scheme.GIAI}


@dataclass(frozen=True, slots=True)
class Tag:
    """A decoded tag: ``key`` is its pure identity URI, or its upper-case hex when it does not decode."""

    key: str
    scheme: str
    hex: str = ""

    @property
    def container(self) -> str:
        """The container number of a container tag, else ''."""
        return self.key[len(BIC_PREFIX) :] if self.scheme == Scheme.BIC else ""


def is_hex(value: str) -> bool:
    return bool(HEX.fullmatch(value)) and len(value) % 2 == 0 and len(value) <= MAX_HEX


def _six_bit(bits: str, offset: int, chars: int) -> str:
    out = []
    for start in range(offset, offset + 6 * chars, 6):
        value = int(bits[start : start + 6], 2)
        out.append(chr(value | 0x40 if value < 0x20 else value))
    return "".join(out)


def container_number(hex_value: str) -> str:
    """The ISO 6346 number an ISO 17363-style tag spells (6-bit or 8-bit characters), or ''."""
    bits = bin(int(hex_value, 16))[2:].zfill(len(hex_value) * 4)
    candidates = []
    for offset in (0, 8):
        if len(bits) >= offset + 66:
            candidates.append(_six_bit(bits, offset, 11))
    raw = bytes.fromhex(hex_value)
    for offset in (0, 1):
        chunk = raw[offset : offset + 11]
        if len(chunk) == 11 and all(0x30 <= b <= 0x5A for b in chunk):
            candidates.append(chunk.decode("ascii"))
    for candidate in candidates:
        if CONTAINER.fullmatch(candidate) and iso6346.is_valid(candidate):
            return candidate
    return ""


@lru_cache(maxsize=65536)
def decode(hex_value: str) -> Tag:
    """Decode an EPC bank given in hex (any case); raise ValueError when it is not hex at all."""
    if not is_hex(hex_value):
        raise ValueError(_("An EPC is an even number of hex digits, at most 124."))
    upper = hex_value.upper()
    # The container number first: the 6-bit characters of owner codes starting L, M, N or O begin with
    # bytes 0x30-0x3D, the EPC headers of SGTIN, SSCC, GIAI, GID, ... (MSKU -> 0x35, GID-96), and a valid
    # ISO 6346 number with its check digit is never the chance spelling of a GS1 EPC.
    number = container_number(upper)
    if number:
        return Tag(key=BIC_PREFIX + number, scheme=Scheme.BIC, hex=upper)
    try:
        uri = hex_to_tag_encodable(upper).epc_uri
    except (ConvertException, ValueError, IndexError, KeyError, TypeError):
        uri = ""
    if uri:
        scheme = uri.split(":")[3] if uri.count(":") >= 4 else ""
        return Tag(key=uri, scheme=KNOWN.get(scheme, Scheme.OTHER), hex=upper)
    return Tag(key=upper, scheme=Scheme.RAW, hex=upper)


def from_uri(uri: str) -> Tag:
    """A tag from an EPC pure identity URI or a Digital Link URI (EPCIS capture), its scheme from the URI."""
    if uri.startswith("https://") and "/" in uri[8:]:  # a GS1 Digital Link URI: an identifier as it stands
        return Tag(key=uri, scheme=Scheme.OTHER)
    parts = uri.split(":")
    if len(parts) < 5 or parts[:3] != ["urn", "epc", "id"]:
        raise ValueError(_("Not an EPC pure identity URI (urn:epc:id:...) or a GS1 Digital Link URI."))
    scheme = parts[3]
    if scheme == "bic":
        if not iso6346.is_valid(parts[4]):
            raise ValueError(_("Not a valid ISO 6346 container number."))
        return Tag(key=uri, scheme=Scheme.BIC)
    return Tag(key=uri, scheme=KNOWN.get(scheme, Scheme.OTHER))


def normalise(tag: str) -> str:
    """The key a binding stores for what an operator typed: a URI as is, hex decoded when it decodes."""
    tag = tag.strip()
    if tag.startswith("urn:"):
        return from_uri(tag).key
    return decode(tag).key


def epcis_uri(key: str) -> str:
    """The URI EPCIS carries for a key: the URI it is (pure identity, GS1 Digital Link), or a raw tag URI
    for undecoded hex."""
    if ":" in key:  # hex never has one
        return key
    return f"urn:epc:raw:{len(key) * 4}.x{key}"
