"""Shared reading for the container-message tests (COSTCO, CUSREP, COPARN, COREOR, CODENO, VERMAS).

Their fixtures are written from the directory's message structure; each test first checks that
``edi validate`` finds no syntax or directory error in them, so that the fixture is a real message.
"""

from pathlib import Path

from edi.map import map_interchange
from edi.validate import validate_interchange
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"


def valid_and_mapped(name: str):
    """The mapping of a fixture that validates without error, its events checked against the schema."""
    path = FIXTURES / name
    assert [(i.code, i.message, i.position.segment) for i in validate_interchange(path).errors] == []
    result = map_interchange(path, raw_message_id="raw-1")
    assert problems_of(result.events) == []
    return result


def refs(event: dict) -> list[tuple[str, str]]:
    return [(r["documentReferenceType"], r["documentReferenceValue"]) for r in event.get("documentReferences", ())]


def position(event: dict) -> tuple[int, str]:
    where = event["source"]["position"]
    return where["segment"], where["tag"]


def truncated(name: str, keep: int) -> bytes:
    return (FIXTURES / name).read_bytes()[:keep]
