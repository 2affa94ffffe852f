"""The EPCIS capture checker on arbitrary JSON: a result or a positioned refusal, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from rfid.epcis_capture import capture_document
from rfid.exceptions import RfidError

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
KEYS = [
    "@context",
    "type",
    "schemaVersion",
    "creationDate",
    "epcisBody",
    "eventList",
    "action",
    "eventTime",
    "eventTimeZoneOffset",
    "epcList",
    "readPoint",
    "bizLocation",
    "bizStep",
    "id",
    "quantityList",
    "eventID",
]
VALUES = st.sampled_from(
    [
        "EPCISDocument",
        "ObjectEvent",
        "2.0",
        "OBSERVE",
        "ADD",
        "DELETE",
        "+08:00",
        "departing",
        "2026-11-25T08:00:00Z",
        "urn:epc:id:bic:CSQU3054383",
        "urn:epc:id:sgtin:0614141.812345.6789",
        "urn:epc:raw:96.x3074257BF7194E4000001A85",
        "https://id.gs1.org/01/09521141012345/21/2017",
    ]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6) | VALUES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=6),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(JSON)
def test_any_json_is_captured_or_refused_with_a_position(doc):
    try:
        collapsed, count = capture_document(doc, received_at=NOW, limit=100, max_skew=300)
    except RfidError as exc:
        assert exc.position is not None
    else:
        assert count >= 1 and all(key for key in collapsed.by_tag)
