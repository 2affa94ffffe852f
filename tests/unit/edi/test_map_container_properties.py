"""Property: the container and conveyance messages, cut or altered anywhere, translate without crashing.

Hypothesis takes each written fixture (COSTCO, CUSREP, COPARN, COREOR, CODENO, VERMAS,
IFTMCS, IFTMAN, IFTSAI, BERMAN), cuts it at
any byte, or replaces a run of its bytes with EDIFACT-ish text: the translation answers with events
that satisfy the canonical schema and errors that carry a code and a position, or (for bytes that
are no EDIFACT any more) the layer's own named error, never another exception.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi.exceptions import EdiError
from edi.translate import translate_bytes
from tests.unit.edi.container_fixtures import FIXTURES
from tracking.validation import problems_of

TYPES = ("costco", "cusrep", "coparn", "coreor", "codeno", "vermas", "iftmcs", "iftman", "iftsai", "berman")
NAMES = sorted(p.name for prefix in TYPES for p in FIXTURES.glob(f"{prefix}_*.edi"))
JUNK = st.text(alphabet="+:'?0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ ", max_size=24).map(str.encode)


def _answers_cleanly(data: bytes) -> None:
    try:
        document = translate_bytes(data)
    except EdiError as exc:  # not EDIFACT at all (cut before UNB): the layer's own named error
        assert exc.code and exc.message
        return
    assert problems_of(document["events"]) == []
    for error in [*document["errors"], *(e for m in document["messages"] for e in m["errors"])]:
        assert error["code"] and isinstance(error["position"], dict)


def test_there_is_a_fixture_for_each_type():
    assert {name.split("_", 1)[0] for name in NAMES} == set(TYPES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(NAMES), st.floats(min_value=0.0, max_value=1.0))
def test_a_message_cut_anywhere_gives_errors_not_a_crash(name, fraction):
    data = (FIXTURES / name).read_bytes()
    _answers_cleanly(data[: int(len(data) * fraction)])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(NAMES), st.floats(min_value=0.0, max_value=1.0), st.integers(0, 12), JUNK)
def test_a_message_with_bytes_replaced_gives_errors_not_a_crash(name, fraction, length, junk):
    data = (FIXTURES / name).read_bytes()
    start = int(len(data) * fraction)
    _answers_cleanly(data[:start] + junk + data[start + length :])
