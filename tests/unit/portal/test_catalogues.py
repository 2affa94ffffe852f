"""The zh-Hans catalogue translates every string of the portal, none left empty or fuzzy."""

from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[3] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[tuple[list[str], str, str, bool]]:
    """(locations, msgid, msgstr, fuzzy) of each live entry; obsolete ones (#~) are skipped."""
    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        places = [p for line in lines if line.startswith("#: ") for p in line[3:].split()]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid = msgstr = ""
        current = None
        for line in lines:
            if line.startswith("msgid "):
                current, msgid = "id", line[7:-1]
            elif line.startswith(("msgstr ", "msgstr[0] ")):
                current, msgstr = "str", line.split(" ", 1)[1][1:-1]
            elif line.startswith("msgid_plural"):
                current = None
            elif line.startswith('"') and current == "id":
                msgid += line[1:-1]
            elif line.startswith('"') and current == "str":
                msgstr += line[1:-1]
        entries.append((places, msgid, msgstr, fuzzy))
    return entries


def test_every_portal_string_has_a_chinese_translation():
    missing = [
        msgid
        for places, msgid, msgstr, fuzzy in _entries(CATALOGUE.read_text(encoding="utf-8"))
        if msgid and any(p.startswith("portal/") for p in places) and (fuzzy or not msgstr)
    ]
    assert missing == []


def test_chinese_sentences_of_the_portal_use_full_width_commas():
    """A half-width comma after a Chinese character or a placeholder reads as a typo ("应为 4,请核对")."""
    import re

    half = re.compile(r"([\u4e00-\u9fff]|\)s),(?=[\u4e00-\u9fff])")
    wrong = [
        msgstr
        for places, msgid, msgstr, fuzzy in _entries(CATALOGUE.read_text(encoding="utf-8"))
        if any(p.startswith("portal/") for p in places) and half.search(msgstr)
    ]
    assert wrong == []
