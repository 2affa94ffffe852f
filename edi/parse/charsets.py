"""Character repertoires of UN/EDIFACT (data element 0001) and decoding with reporting.

UNB's syntax identifier (0001) names the repertoire of the whole interchange. Levels A and B are
subsets of ISO 646 (7-bit); levels C to K are ISO 8859 parts; X is ISO 2022 code extension; Y and
W are ISO 10646 octets, read here as UTF-8. Bytes or characters that the declared repertoire does
not allow are *reported* (ISO 9735 code 21, with their position), never guessed away. Under the
7-bit levels A and B a printable ASCII character outside the level (lower case under UNOA, ``@`` in
an e-mail address) reads one way only: a warning, read as written (:func:`read_as_written`); a byte
above 127 or a control character outside the repertoire is an error:

    >>> text, issues = decode(b"UNB+UNOA:2+S+R+200101:1200+1'", "UNOA")
    >>> issues
    []
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from edi.issues import Issue, Position

#: Level A: upper case letters, digits, space and these graphic characters (ISO 9735 annex A).
LEVEL_A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-()/='+:?!\"%&*;<>"
#: Level B adds lower case letters, the other ISO 646 invariant character ``_`` and the
#: information separators IS4, IS3, IS2 and IS1, its default segment, element, repetition (syntax
#: version 4) and component separators.
LEVEL_B = LEVEL_A + "abcdefghijklmnopqrstuvwxyz_" + "\x1c\x1d\x1e\x1f"

#: Cap on character reports per input: 10 MB of garbage must not become 10 million issues.
MAX_CHARACTER_ISSUES = 50


@dataclass(frozen=True, slots=True)
class Charset:
    """How to read one syntax identifier: the Python codec and, for A and B, the allowed set."""

    syntax_id: str
    codec: str
    allowed: str | None = None  # restricted repertoire (levels A and B); None: every graphic character
    supported: bool = True


CHARSETS: dict[str, Charset] = {
    "UNOA": Charset("UNOA", "latin-1", LEVEL_A),
    "UNOB": Charset("UNOB", "latin-1", LEVEL_B),
    "UNOC": Charset("UNOC", "iso8859-1"),
    "UNOD": Charset("UNOD", "iso8859-2"),
    "UNOE": Charset("UNOE", "iso8859-5"),
    "UNOF": Charset("UNOF", "iso8859-7"),
    "UNOG": Charset("UNOG", "iso8859-3"),
    "UNOH": Charset("UNOH", "iso8859-4"),
    "UNOI": Charset("UNOI", "iso8859-6"),
    "UNOJ": Charset("UNOJ", "iso8859-8"),
    "UNOK": Charset("UNOK", "iso8859-9"),
    # ISO 2022 with escape sequences: iso2022_jp_2 is the widest ISO 2022 decoder Python ships
    # (ASCII, JIS X 0208/0212, GB 2312, KS X 1001, ISO 8859-1/-7 designations).
    "UNOX": Charset("UNOX", "iso2022_jp_2"),
    "UNOY": Charset("UNOY", "utf-8"),
    "UNOW": Charset("UNOW", "utf-8"),
}

#: Without a UNB (a bare message) nothing is declared: read UTF-8, a superset of levels A and B.
UNDECLARED = Charset("", "utf-8")
#: An identifier we do not know: read byte-transparently so the structure survives, and say so.
UNSUPPORTED = Charset("", "latin-1", supported=False)

# C0 and C1 control characters are in no EDIFACT repertoire (levels C to Y define graphic
# characters only); CR and LF are tolerated between segments; inside one they are a line the sender's
# system wrapped (fixed-length records): dropped, and reported as a warning.
_CONTROL = "".join(chr(c) for c in range(0x20)) + "".join(chr(c) for c in range(0x7F, 0xA0))


def charset_for(syntax_id: str | None) -> Charset:
    """The :class:`Charset` for a UNB 0001 value (``None``: undeclared, bare message)."""
    if not syntax_id:
        return UNDECLARED
    return CHARSETS.get(syntax_id.strip().upper(), UNSUPPORTED)


def _single_byte_repertoire(charset: Charset) -> str | None:
    """The graphic characters of an ISO 8859 part (so text input is held to it too), else ``None``."""
    if not charset.supported or not charset.codec.startswith("iso8859"):
        return None
    graphic = bytes(range(0x20, 0x7F)) + bytes(range(0xA0, 0x100))
    return graphic.decode(charset.codec, errors="ignore")


def invalid_character_pattern(charset: Charset, service_chars: str = "") -> re.Pattern[str]:
    """A compiled pattern matching one character the repertoire does not allow.

    ``service_chars`` (the separators in use) are always allowed; so are CR and LF, which the
    reader strips between segments and reports separately where they sit inside one.
    """
    allowed_chars = charset.allowed if charset.allowed is not None else _single_byte_repertoire(charset)
    if allowed_chars is not None:
        allowed = set(allowed_chars) | set(service_chars) | {"\r", "\n"}
        return re.compile("[^" + "".join(re.escape(c) for c in sorted(allowed)) + "]")
    forbidden = set(_CONTROL) - set(service_chars) - {"\r", "\n"}
    forbidden.add("\ufffd")  # what undecodable bytes become
    return re.compile("[" + "".join(re.escape(c) for c in sorted(forbidden)) + "]")


def _describe(char: str) -> str:
    if char == "\ufffd":
        return "an undecodable byte"
    code = ord(char)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return f"control character U+{code:04X}"
    return f"{char!r} (U+{code:04X})"


#: Characters every EDIFACT repertoire's bytes read the same way (ISO 646 IRV, printable).
PRINTABLE_ASCII = frozenset(chr(c) for c in range(0x20, 0x7F))


def read_as_written(found: list[str], charset: Charset) -> str | None:
    """Why characters outside a level A or B declaration are only a warning, or ``None`` (an error).

    Levels A and B are 7-bit: a printable ASCII character outside them (lower case under UNOA, ``@``
    in an e-mail address) reads one way only, so nothing is lost; a byte above 127 or a control
    character depends on a character set the sender did not declare."""
    if charset.allowed is None or not all(c in PRINTABLE_ASCII for c in found):
        return None
    if charset.allowed == LEVEL_A and all(c in LEVEL_B for c in found):
        return "level B (UNOB) allows it: read as written"
    return "a 7-bit character (level C, UNOC, allows it): read as written"


def character_issue(char: str, syntax_id: str, position: Position) -> Issue:
    """The code 21 issue for one character the declared repertoire does not allow."""
    where = syntax_id or "the declared character set"
    return Issue("21", f"Invalid character: {_describe(char)} is not allowed in {where}", position)


def utf8_reading(text: str, codec: str) -> str | None:
    """``text`` as it reads when its bytes are UTF-8: what a sender meant who declared a one-byte
    character set (UNOA to UNOK) but wrote UTF-8; None when its bytes are not UTF-8 or read the same."""
    try:
        meant = text.encode(codec).decode("utf-8")
    except (UnicodeError, LookupError):
        return None
    return meant if meant != text else None


def decode(data: bytes, declared_syntax_id: str | None) -> tuple[str, list[Issue]]:
    """Decode a whole interchange per its declared syntax identifier, reporting what is not allowed.

    A leading UTF-8 byte order mark is dropped (offsets count from after it).
    Code 46 when the identifier is unknown (then read byte-transparently as ISO 8859-1), code 21
    for each byte the codec cannot decode (it becomes U+FFFD) or character outside the repertoire (first :data:`MAX_CHARACTER_ISSUES`, then
    one summary issue). Positions carry the character ``offset`` and its ``line``/``column``.
    """
    charset = charset_for(declared_syntax_id)
    issues: list[Issue] = []
    if not charset.supported:
        issues.append(
            Issue(
                "46",
                f"Character set not supported: syntax identifier {declared_syntax_id!r}; read as ISO 8859-1",
                Position(segment=1, tag="UNB", element=1, component=1),
                level="interchange",
            )
        )
    if data.startswith(codecs.BOM_UTF8):  # a BOM is no character of the interchange, whatever its set
        data = data[3:]
    text = data.decode(charset.codec, errors="replace")
    issues.extend(scan_text(text, charset, declared_syntax_id or ""))
    return text, issues


def scan_text(text: str, charset: Charset, syntax_id: str, service_chars: str = "") -> list[Issue]:
    """Code 21 issues for characters of ``text`` outside ``charset`` (positions by offset/line/column)."""
    issues: list[Issue] = []
    pattern = invalid_character_pattern(charset, service_chars)
    for count, match in enumerate(pattern.finditer(text)):
        if count == MAX_CHARACTER_ISSUES:
            issues.append(Issue("21", "Further invalid characters not reported", Position(offset=match.start())))
            break
        offset = match.start()
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        issues.append(character_issue(match.group(), syntax_id, Position(line=line, column=column, offset=offset)))
    return issues
