"""Parsers under hypothesis: whatever arrives, the answer is a typed error or a quarantine, never a crash."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customs_gateway.exceptions import CustomsError
from customs_gateway.records import parse, read_submission
from customs_gateway.responses import interpret
from tests.unit.customs_gateway.conftest import fixture

BASE = fixture("MT1101_original.xml")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _mutations():
    cut = st.integers(min_value=0, max_value=len(BASE))
    return st.one_of(
        st.binary(max_size=300),
        st.tuples(cut, cut).map(lambda ab: BASE[: min(ab)] + BASE[max(ab) :]),
        st.tuples(cut, st.binary(min_size=1, max_size=20)).map(lambda t: BASE[: t[0]] + t[1] + BASE[t[0] :]),
        st.text(max_size=200).map(lambda s: BASE.replace(b"LGHB2611001", s.encode("utf-8", "replace"))),
    )


@FAST
@given(body=_mutations())
def test_a_submission_is_read_or_refused_with_a_typed_error(body):
    try:
        sub = read_submission(body)
    except CustomsError as exc:
        assert exc.code and exc.message
    else:
        assert sub.business_reference and sub.message_type == "MT1101"


@FAST
@given(body=st.one_of(st.binary(max_size=300), _mutations()))
def test_any_response_body_is_interpreted_or_ignored(body):
    try:
        root = parse(body)
    except CustomsError:
        return
    for answer in interpret(root):
        assert answer.family


@pytest.mark.django_db
@FAST
@given(body=st.one_of(st.binary(max_size=200), _mutations()))
def test_receive_never_raises_and_never_applies_what_it_cannot_verify(body):
    from customs_gateway.inbound import receive

    result = receive(body)
    assert result.status in ("quarantined", "duplicate")


def _edifact_mutations():
    from tests.unit.customs_gateway.test_edifact_declarations import cusdec

    base = cusdec()
    cut = st.integers(min_value=0, max_value=len(base))
    return st.one_of(
        st.tuples(cut, cut).map(lambda ab: base[: min(ab)] + base[max(ab) :]),
        st.tuples(cut, st.binary(min_size=1, max_size=20)).map(lambda t: base[: t[0]] + t[1] + base[t[0] :]),
        st.text(alphabet="ABC123+:'? ", max_size=30).map(lambda s: base.replace(b"LRN-EDI-0001", s.encode())),
    )


@FAST
@given(body=_edifact_mutations())
def test_an_edifact_submission_is_read_or_refused_with_a_typed_error(body):
    try:
        sub = read_submission(body)
    except CustomsError as exc:
        assert exc.code and exc.message
    else:
        assert sub.business_reference and sub.message_type == "CUSDEC" and sub.standard == "edifact"
