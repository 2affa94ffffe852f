"""CSV cells never open as formulas in a spreadsheet program."""

import pytest

from hub.spreadsheet import safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")'])
def test_a_cell_a_spreadsheet_would_evaluate_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(("value", "cell"), [("MSKU1234565", "MSKU1234565"), (None, ""), (3, "3"), ("a=b", "a=b")])
def test_other_cells_are_kept_as_they_are(value, cell):
    assert safe_cell(value) == cell
