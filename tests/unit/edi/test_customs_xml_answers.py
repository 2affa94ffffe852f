"""The authority's answers in XML as events: MT9999 per bill and per container, NCTS, a terminal's tally.

The codes are the customs gateway's tables (customs_gateway.responses), so the translation
layer and the gateway read every answer the same way.
"""

from pathlib import Path

import pytest

from customs_gateway.simulator import messages
from edi.customs_xml import translate_xml
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "customs"


def translate(body: bytes) -> dict:
    document = translate_xml(body).document
    assert problems_of(document["events"]) == []
    assert document["messages"][0]["status"] == "accepted", document["errors"]
    return document


def refs(event: dict) -> set[tuple[str, str]]:
    return {(r["documentReferenceType"], r["documentReferenceValue"]) for r in event.get("documentReferences", ())}


def _mt9999(trigger: str, *, bills=("LGHB2611001",), containers=("MSKU1234565",), overall=True) -> bytes:
    return messages.mt9999(
        message_id="EPORT_MT9999_0001",
        sender="2248",
        receiver="TESTCARRIER",
        function_code="9",
        voyage="047E",
        vessel="UN9321483",
        trigger=trigger,
        bills=list(bills),
        containers=list(containers),
        overall=overall,
    )


def test_an_mt9999_hold_is_an_event_per_bill_and_per_container():
    document = translate(_mt9999("hold"))
    assert document["messages"][0]["role"] == "answer"
    by_kind = {
        ("TRD" if ("TRD", "LGHB2611001") in refs(e) else e.get("equipmentReference")): e for e in document["events"]
    }
    assert set(by_kind) == {"TRD", "MSKU1234565"}
    for event in document["events"]:
        assert event["customsEventTypeCode"] == "HOLD"
        assert event["customsAuthority"] == "2248"
        assert event["transportCall"]["vessel"]["vesselIMONumber"] == "9321483"
        assert event["transportCall"]["carrierVoyageNumber"] == "047E"
        assert event["reasons"][0]["code"] == "H0001"
        assert event["eventDateTime"].endswith("+08:00")


@pytest.mark.parametrize(
    ("trigger", "code"),
    [("accept", "ACPT"), ("reject", "RJCT"), ("review", "DOCR"), ("release", "RLSD"), ("cancel", "CNCL")],
)
def test_mt9999_codes_are_read_through_the_gateways_table(trigger, code):
    events = translate(_mt9999(trigger, containers=()))["events"]
    assert {e["customsEventTypeCode"] for e in events} == {code}


def test_an_mt9999_that_came_with_a_namespace_is_read_without_one():
    body = _mt9999("accept", containers=()).replace(
        b"<Manifest>", b'<Manifest xmlns="urn:Declaration:datamodel:standard:CN:MT9999:1">'
    )
    document = translate(body)
    assert document["events"][0]["customsEventTypeCode"] == "ACPT"
    assert document["messages"][0]["warnings"][0]["code"] == "XML_NAMESPACE"


@pytest.mark.parametrize(
    ("name", "code", "reason", "references"),
    [
        ("CC028C_mrn_allocated.xml", "ACPT", None, {("DEC", "LHTRANSIT0001"), ("DEC", "26GB0000010000ABC8")}),
        ("CC056C_rejected.xml", "RJCT", "12", {("DEC", "LHTRANSIT0001")}),
        ("CC060C_control.xml", "INSP", "44", {("DEC", "26GB0000010000ABC8")}),
        ("CC051C_no_release.xml", "REFU", "2", {("DEC", "26GB0000010000ABC8")}),
    ],
)
def test_ncts_answers_are_the_office_of_departures_decisions(name, code, reason, references):
    event = translate((FIXTURES / "ncts" / name).read_bytes())["events"][0]
    assert event["customsEventTypeCode"] == code
    assert event["customsAuthority"] == "GB000060"
    assert references <= refs(event)
    assert event["eventDateTime"].endswith("+00:00")
    if reason:
        assert event["reasons"][0]["code"] == reason


def test_a_control_decision_asking_only_for_documents_is_docr():
    body = (FIXTURES / "ncts" / "CC060C_control.xml").read_bytes()
    body = body.replace(b"<TypeOfControls>", b"<RequestedDocument>").replace(
        b"</TypeOfControls>", b"</RequestedDocument>"
    )
    body = body.replace(b"<type>44</type>", b"<documentType>N740</documentType>").replace(b"<text>", b"<description>")
    body = body.replace(b"</text>", b"</description>")
    assert translate(body)["events"][0]["customsEventTypeCode"] == "DOCR"


def test_a_terminals_tally_names_port_terminal_and_flags_a_bad_check_digit():
    document = translate((FIXTURES / "MT5101_terminal_tally.xml").read_bytes())
    events = {e["equipmentReference"]: e for e in document["events"]}
    assert set(events) == {"MSKU1234565", "TGHU7654320", "ABCU1234567"}
    call = events["MSKU1234565"]["transportCall"]
    assert (call["UNLocationCode"], call["facilityCode"]) == ("CNNSA", "510088")
    assert "vesselIMONumber" not in call.get("vessel", {}) and call["vessel"]["vesselName"] == "内河驳船28"
    assert events["TGHU7654320"]["emptyIndicatorCode"] == "EMPTY"
    warnings = [w["message"] for w in document["messages"][0]["warnings"]]
    assert any("ABCU1234567" in w for w in warnings)
    assert sum("5200550298" in w for w in warnings) == 1  # said once, not once per container


def test_an_ics_registration_is_an_acceptance_naming_lrn_and_mrn():
    document = translate((FIXTURES / "ics" / "CC328A_registered.xml").read_bytes())
    assert document["messages"][0]["role"] == "answer"
    event = document["events"][0]
    assert event["customsEventTypeCode"] == "ACPT" and event["customsAuthority"] == "GB000060"
    assert {("DEC", "LHENS0001"), ("DEC", "26GB0000010000ABC8")} <= refs(event)
    assert event["eventDateTime"] == "2026-11-25T14:05:00+00:00"


def test_hmrcs_synchronous_answers_are_validated_by_our_schemas():
    body = (
        b'<err:ErrorResponse xmlns:err="http://www.govtalk.gov.uk/CM/errorresponse" SchemaVersion="2.0">'
        b"<err:Error><err:RaisedBy>HMRC</err:RaisedBy><err:Number>4065</err:Number><err:Type>business</err:Type>"
        b"<err:Text>Invalid content</err:Text><err:Location>/ie:CC315A[1]/MesSenMES3[1]</err:Location></err:Error>"
        b"</err:ErrorResponse>"
    )
    document = translate(body)
    assert not [w for w in document["messages"][0]["warnings"] if w["code"] == "XML_NO_SCHEMA"]
    assert document["events"][0]["reasons"][0] == {
        "code": "4065",
        "text": "Invalid content /ie:CC315A[1]/MesSenMES3[1]",
    }
    broken = translate_xml(body.replace(b"<err:Type>business</err:Type>", b"")).document
    assert broken["messages"][0]["status"] == "rejected" and broken["errors"][0]["code"] == "XML_SCHEMA"


def test_a_metadata_carrying_two_notifications_gives_each_its_decision():
    document = translate((FIXTURES / "DMS_two_notifications.xml").read_bytes())
    accepted, cleared = document["events"]
    assert (accepted["customsEventTypeCode"], cleared["customsEventTypeCode"]) == ("ACPT", "RLSD")
    assert accepted["eventDateTime"] == "2026-12-05T10:15:00+01:00"
    assert cleared["eventDateTime"] == "2026-12-05T00:00:00+00:00"  # 102: a date, on London's clock
    assert refs(cleared) == {("DEC", "LRN-ABC-1"), ("DEC", "26GB000000000000A1")}
    assert accepted["source"]["position"]["path"] != cleared["source"]["position"]["path"]
