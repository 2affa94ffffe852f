"""Acknowledgements leave as the bytes their UNB declares, with free text fitted to that repertoire."""

from edi.writing import edifact_bytes, fit_repertoire, mime_charset, syntax_identifier

UNOC = "UNA:+.? 'UNB+UNOC:3+HUB+M\u00dcLLER+261125:1200+1'UNZ+0+1'"


def test_the_syntax_identifier_is_read_after_una_with_any_separators():
    assert syntax_identifier(UNOC) == "UNOC"
    assert syntax_identifier("UNA|*.? #UNB*UNOB|3*A*B*261125|1200*1#") == "UNOB"
    assert syntax_identifier("UNH+1+CODECO:D:96A:UN'") == ""


def test_unoc_is_written_in_iso_8859_1_and_unow_in_utf_8():
    assert b"M\xdcLLER" in edifact_bytes(UNOC) and mime_charset(UNOC) == "ISO-8859-1"
    unow = UNOC.replace("UNOC", "UNOW")
    assert "M\u00dcLLER".encode() in edifact_bytes(unow) and mime_charset(unow) == "UTF-8"


def test_free_text_is_fitted_to_the_repertoire():
    assert fit_repertoire("Check digit of \u00c9A1 should be 6", "UNOA") == "CHECK DIGIT OF ?A1 SHOULD BE 6"
    assert fit_repertoire("caf\u00e9 \u6e2f", "UNOC") == "caf\u00e9 ?"
    assert fit_repertoire("caf\u00e9 \u6e2f", "UNOW") == "caf\u00e9 \u6e2f"
    assert fit_repertoire("two\nlines", "UNOC") == "two lines"


def test_a_repertoire_we_cannot_read_is_written_back_as_it_was_read():
    # UNOL (ISO 8859-15) is syntax 4's, not ours: read byte for byte as ISO 8859-1, so written back so
    unol = UNOC.replace("UNOC:3", "UNOL:4")
    assert b"M\xdcLLER" in edifact_bytes(unol)
    assert fit_repertoire("\u20ac 5", "UNOL") == "? 5"
