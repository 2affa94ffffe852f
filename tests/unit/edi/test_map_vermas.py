"""VERMAS verified gross mass messages are validated and processed with no events and no warning."""

from edi.translate import translate_bytes, translate_file
from tests.unit.edi.container_fixtures import FIXTURES, truncated, valid_and_mapped

VGM = "vermas_d16a_logihub_vgm.edi"


def test_verified_gross_mass_is_processed_with_no_events_and_no_warning():
    result = valid_and_mapped(VGM)
    assert result.events == [] and result.issues == []
    (message,) = translate_file(FIXTURES / VGM)["messages"]
    assert (message["type"], message["status"], message["warnings"]) == ("VERMAS", "accepted", [])


def test_truncated_vermas_gives_positioned_errors_and_no_crash():
    document = translate_bytes(truncated(VGM, 260))
    assert document["events"] == []
    assert document["errors"] and all(e["position"].get("segment") for e in document["errors"])
