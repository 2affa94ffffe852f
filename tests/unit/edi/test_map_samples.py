"""Every sample maps without a crash, and every event it gives passes the canonical JSON Schema.

The per-type files assert the key fields; this one sweeps all fixtures (and the shared samples
whose licence keeps them out of fixtures/, when ../shared is present) so no message type or
defect slips through unvalidated. Malformed samples still map: syntax is the validator's job.
"""

from pathlib import Path

import pytest

from edi.map import map_interchange
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "edifact"
SKIP = {"SOURCES.md"}
SCHEMA_CHECKS = 150  # events per file checked against the schema (bayplans hold thousands of alike ones)


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in SKIP) if folder.is_dir() else []


@pytest.mark.parametrize("path", files(FIXTURES), ids=lambda p: p.name)
def test_fixture_maps_to_schema_valid_events(path):
    result = map_interchange(path, raw_message_id=path.name)
    assert problems_of(result.events[:SCHEMA_CHECKS]) == []
    assert all(e["source"]["rawMessage"] == path.name for e in result.events)
    assert len({e["eventID"] for e in result.events}) == len(result.events)


def test_shared_samples_map_to_schema_valid_events():
    if not SHARED.is_dir():
        pytest.skip("../shared is absent; the fixture copies above cover the redistributable samples")
    counts = {}
    for path in files(SHARED):
        result = map_interchange(path)
        assert problems_of(result.events[:SCHEMA_CHECKS]) == [], path.name
        counts[str(path.relative_to(SHARED))] = len(result.events)
        calls = [e for e in result.events if e["eventType"] == "TRANSPORT"]
        assert len({e["eventID"] for e in calls}) == len(calls), path.name
    assert counts["baplie_d95b_japdeva_BAPLIE_Export.EDI"] == 672
    assert counts["baplie_d95b_openshipping_HKG_to_TAG_EDI.EDI"] == 1119
    # slots without numbers: only the vessel's estimated arrival at Southampton (LOC 61, DTM 132)
    assert counts["baplie_d95b_openshipping_GBSOU_arrival.BAPLIE.edi.txt"] == 1
    assert counts["malformed/coarri_d23a_japdeva_COARRI.edi"] == 74 + 2  # and the vessel's ETA and ETD at Moin
    assert counts["malformed/codeco_d00b_xeredi_codeco5.itc"] == 0  # BGM 266 (VGM) is no gate move
