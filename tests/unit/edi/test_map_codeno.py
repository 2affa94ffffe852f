"""CODENO notices: a clearance is RLSD per container, an expiration CNCL expected at the documents' expiry."""

from edi.map import map_interchange
from edi.map.engine import iter_mapped
from edi.translate import translate_bytes
from tests.unit.edi.container_fixtures import FIXTURES, position, refs, truncated, valid_and_mapped

CLEARANCE = "codeno_d00b_logihub_clearance.edi"
EXPIRATION = "codeno_d16a_logihub_expiration.edi"


def test_clearance_notice_releases_each_container_with_the_declaration_placed_in_it():
    result = valid_and_mapped(CLEARANCE)
    first, second = result.events
    assert (first["eventType"], first["customsEventTypeCode"], first["eventClassifierCode"]) == (
        "CUSTOMS",
        "RLSD",
        "ACT",
    )
    assert first["equipmentReference"] == "MEDU1234562"
    assert first["eventDateTime"] == "2026-12-04T10:30:00+01:00"  # the placed DOC's DTM 182
    assert first["transportCall"]["UNLocationCode"] == "NLRTM"
    assert refs(first) == [("TRD", "MEDUBL0004"), ("DEC", "26NL000012345678A1")]
    assert position(first) == (12, "EQD")
    # no goods placed in the second container: cleared as of the notice (DTM 137), no declaration of its own
    assert second["equipmentReference"] == "TGHU7654320"
    assert second["eventDateTime"] == "2026-12-04T11:00:00+01:00"
    assert "documentReferences" not in second
    assert result.issues == []


def test_expiration_notice_is_an_expected_cancellation_at_the_expiry_date():
    result = valid_and_mapped(EXPIRATION)
    (event,) = result.events  # the second message cancels an earlier notice: nothing
    assert (event["customsEventTypeCode"], event["eventClassifierCode"]) == ("CNCL", "EST")
    assert event["eventDateTime"] == "2026-12-06T12:00:00+01:00"  # DTM 36 expiry date
    assert refs(event) == [("DEC", "26NL000098765432E1")]
    assert result.issues == []
    withdraws = [(message.reference, mapped.withdraws) for message, mapped in iter_mapped(FIXTURES / EXPIRATION)]
    assert [(reference, (w or {}).get("document")) for reference, w in withdraws] == [
        ("1", None),
        ("2", {"type": "CODENO", "number": "EXP20261204000", "function": "1"}),  # the earlier notice is withdrawn
    ]


def test_expiration_without_an_expiry_date_gives_no_event():
    text = (FIXTURES / EXPIRATION).read_text().replace("DTM+36:202612061200:203'", "DTM+182:202612011200:203'")
    assert [e["source"]["messageReference"] for e in map_interchange(text.encode()).events] == []


def test_truncated_notice_gives_positioned_errors_and_no_crash():
    document = translate_bytes(truncated(CLEARANCE, 300))
    assert document["errors"] and all(e["position"].get("segment") for e in document["errors"])
