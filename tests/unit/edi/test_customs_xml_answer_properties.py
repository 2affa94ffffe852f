"""The answer tables under hypothesis: any status, function code or reason text gives a known decision or none."""

from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from edi.customs_xml import translate_xml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "customs"
CEB = (FIXTURES / "ceb" / "CEB604_export_receipt.xml").read_bytes()
DMS = (FIXTURES / "dms" / "RES_06.xml").read_bytes()
DECISIONS = {"RCVD", "ACPT", "RJCT", "DOCR", "INSP", "HOLD", "RLSD", "REFU", "CNCL", "AMND", "TAXA"}
FAST = settings(max_examples=60, deadline=None)
xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


def _codes(body: bytes) -> list[str]:
    document = translate_xml(body).document
    assert document["messages"][0]["status"] in ("accepted", "rejected")
    return [e["customsEventTypeCode"] for e in document["events"]]


@FAST
@given(status=st.one_of(st.integers(min_value=-999999, max_value=9999).map(str), xml_text))
def test_any_ceb_return_status_is_a_known_decision_a_rejection_below_zero_or_nothing(status):
    body = CEB.replace(b"<returnStatus>800</returnStatus>", f"<returnStatus>{escape(status)}</returnStatus>".encode())
    codes = _codes(body)
    assert set(codes) <= DECISIONS and len(codes) <= 1
    if status.strip().startswith("-") and status.strip()[1:].isdigit():
        assert codes == ["RJCT"]


@FAST
@given(function=st.text("0123456789", min_size=1, max_size=2), words=xml_text)
def test_any_dms_function_code_and_statement_give_a_known_decision_or_nothing(function, words):
    body = DMS.replace(b"<res:FunctionCode>06<", f"<res:FunctionCode>{function}<".encode())
    body = body.replace(b"Please upload the commercial invoice for item 1", escape(words).encode())
    codes = _codes(body)
    assert set(codes) <= DECISIONS and len(codes) <= 1
