"""EDIFACT text we write: in the partner's service characters, as the bytes its UNB declares.

An interchange declares its repertoire in UNB (``UNOA`` to ``UNOK`` one byte per character,
``UNOY``/``UNOW`` UTF-8): the partner decodes our bytes by that declaration, so a CONTRL or
APERAK written as UTF-8 under ``UNOC`` turns every accented letter into two wrong characters.
Free text we author (an APERAK's FTX) is first fitted to the repertoire: upper case under level
A, and a character the repertoire lacks becomes ``?`` (released by the serializer).

    >>> edifact_bytes("UNB+UNOC:3+M\u00dcLLER+HUB+261125:1200+1'...")[11:18]
    b'M\\xdcLLER'
"""

from __future__ import annotations

import codecs
import re

from pydifact.control.characters import Characters
from pydifact.serializer import Serializer

from edi.parse.charsets import charset_for
from edi.parse.syntax import DEFAULT_DELIMITERS, Delimiters, read_delimiters


def write_interchange(segments: list, una: Delimiters | None = None, *, repetition: bool = False) -> str:
    """``segments`` (pydifact's, UNB to UNZ) as text behind a UNA, in the service characters ``una``.

    An answer is written with the service characters its partner's UNA advised (defaults without
    one); in syntax version 4 (``repetition``) UNA's fifth character is the repetition separator:
    the partner's, else ``*`` (or another free character when its UNA uses ``*`` already), released
    in data like the others.
    """
    d = una or DEFAULT_DELIMITERS
    repeat = (d.repetition or _free("*^~|", d)) if repetition else " "
    serializer = Serializer(Characters(d.component, d.element, d.decimal, d.release or "?", repeat, d.segment))
    if repetition:
        release = serializer.characters.escape_character
        serializer.replace_map = {**serializer.replace_map, repeat: release + repeat}
        serializer.regexp = re.compile("|".join(map(re.escape, sorted(serializer.replace_map, key=len, reverse=True))))
    return serializer.serialize(segments, with_una_header=True)


def _free(candidates: str, d: Delimiters) -> str:
    """The first of ``candidates`` that is none of the other service characters (a UNA may use ``*``)."""
    used = {d.component, d.element, d.decimal, d.release or "?", d.segment}
    return next(c for c in candidates if c not in used)


def syntax_identifier(text: str) -> str:
    """UNB 0001 of an interchange's text (after any UNA), or ``""``."""
    delimiters, start = read_delimiters(text)
    if not text.startswith("UNB", start):
        return ""
    head = text[start + 4 : start + 40]
    return head.split(delimiters.component, 1)[0].split(delimiters.element, 1)[0]


def _codec(text: str) -> str:
    """The codec of the text's UNB 0001; one we cannot read was read as ISO 8859-1 and is written back so."""
    identifier = syntax_identifier(text)
    return charset_for(identifier).codec if identifier else "utf-8"


def edifact_bytes(text: str) -> bytes:
    """``text`` encoded as its UNB's syntax identifier declares (UTF-8 when it declares none we know)."""
    return text.encode(_codec(text))


def mime_charset(text: str) -> str:
    """The IANA charset name of :func:`edifact_bytes`, for a Content-Type (``ISO-8859-1``, ``UTF-8``)."""
    name = codecs.lookup(_codec(text)).name.upper().replace("_", "-")
    return name.replace("ISO8859", "ISO-8859").replace("ISO2022", "ISO-2022")


def fit_repertoire(text: str, syntax_id: str) -> str:
    """``text`` with only characters the repertoire ``syntax_id`` has (see the module docstring)."""
    if not syntax_id:
        return text
    charset = charset_for(syntax_id)  # one we cannot read: ISO 8859-1, as we read it and write it back
    text = "".join(" " if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in text)
    if charset.allowed is not None:
        if "a" not in charset.allowed:
            text = text.upper()
        return "".join(c if c in charset.allowed else "?" for c in text)
    return text.encode(charset.codec, "replace").decode(charset.codec)


def fit_segments(segments: list, syntax_id: str) -> list:
    """``segments`` (pydifact's) with every data value fitted to the repertoire ``syntax_id``
    (:func:`fit_repertoire`): what we write from stored facts (a vessel named in Chinese or with an
    umlaut) leaves as characters the interchange's UNB declares, never as bytes of another charset."""
    for segment in segments:
        segment.elements = [
            [fit_repertoire(c, syntax_id) for c in e] if isinstance(e, list) else fit_repertoire(e, syntax_id)
            for e in segment.elements
        ]
    return segments
