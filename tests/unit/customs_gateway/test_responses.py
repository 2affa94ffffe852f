"""Reading authority answers: UK CDS DMS notifications (HMRC's published examples), MT9999, CEB receipts."""

import re

import pytest

from customs_gateway.records import parse
from customs_gateway.responses import interpret, mt9999_trigger
from customs_gateway.simulator import messages
from tests.unit.customs_gateway.conftest import SHARED, fixture


@pytest.mark.parametrize(
    ("name", "trigger", "lrn", "mrn"),
    [
        ("01_DMSACC.xml", "accept", "3.1_P1_TT_1311RM41", "19GBCKKCQSXV2FGVA8"),
        ("02_DMSRCV.xml", "receive", None, None),
        ("03_DMSREJ.xml", "reject", "Sample_A_TC01_1102_03", "20GB1NA4Y2YSRFGVR6"),
        ("05_DMSCTL.xml", "inspect", "IM08a_PHYCTL_002", "20GB1Q3RTK463FGVR4"),
        ("09_DMSCLE.xml", "release", None, None),
    ],
)
def test_uk_cds_notifications_map_to_triggers(name, trigger, lrn, mrn):
    (answer,) = interpret(parse(fixture(name)))
    assert answer.family == "WCO-RES" and answer.trigger == trigger
    if lrn:
        assert (answer.business_reference, answer.registration_number) == (lrn, mrn)


def test_every_notification_of_one_metadata_is_an_answer_of_its_own():
    accepted, cleared = interpret(parse(fixture("DMS_two_notifications.xml")))
    assert (accepted.trigger, cleared.trigger) == ("accept", "release")
    assert (accepted.message_id, cleared.message_id) == ("aaa1", "aaa2")
    assert cleared.registration_number == "26GB000000000000A1"


def test_a_rejection_carries_the_authoritys_validation_codes():
    (answer,) = interpret(parse(fixture("03_DMSREJ.xml")))
    assert answer.reasons[0] == {"code": "CDS12005", "text": "42A/17C"}
    assert answer.version == 1


@pytest.mark.parametrize(
    ("code", "trigger"),
    [("19000", "accept"), ("19001", "reject"), ("13008", "reject"), ("19010", "review"), ("H0001", "hold"), ("Z", "")]
    + [("01", "accept"), ("02", "review"), ("03", "reject"), ("11", "release"), ("12", "hold"), ("13", "hold")],
)
def test_mt9999_codes_are_read_by_the_table(code, trigger):
    assert mt9999_trigger(code) == trigger


def test_an_mt9999_receipt_answers_per_bill_and_per_container():
    body = messages.mt9999(
        message_id="M",
        sender="S",
        receiver="R",
        function_code="9",
        voyage="047E",
        vessel="UN9321483",
        trigger="hold",
        bills=["B1", "B2"],
        containers=["MSKU1234565"],
    )
    (answer,) = interpret(parse(body))
    assert answer.trigger == "hold" and answer.voyage == "047E"
    assert [b.number for b in answer.bills] == ["B1", "B2"] and answer.containers[0].trigger == "hold"


def test_a_receipt_releasing_one_bill_and_holding_another_holds_the_manifest():
    body = messages.mt9999(
        message_id="M",
        sender="S",
        receiver="R",
        function_code="9",
        voyage="047E",
        vessel="UN9321483",
        trigger="accept",
        bills=["B1", "B2"],
        containers=[],
        overall=False,
    )
    codes = iter(("11", "13"))
    body = re.sub(rb"<Code>\d{5}</Code>", lambda _: b"<Code>" + next(codes).encode() + b"</Code>", body)
    (answer,) = interpret(parse(body))
    assert [(b.number, b.trigger) for b in answer.bills] == [("B1", "release"), ("B2", "hold")]
    assert answer.trigger == "hold"


@pytest.mark.parametrize(("codes", "trigger"), [(("02", "03"), "review"), (("Z9", "03"), ""), (("03", "03"), "reject")])
def test_a_receipt_refusing_some_bills_refuses_the_manifest_only_when_no_bill_says_otherwise(codes, trigger):
    body = messages.mt9999(
        message_id="M",
        sender="S",
        receiver="R",
        function_code="9",
        voyage="047E",
        vessel="UN9321483",
        trigger="accept",
        bills=["B1", "B2"],
        containers=[],
        overall=False,
    )
    found = iter(codes)
    body = re.sub(rb"<Code>\d{5}</Code>", lambda _: b"<Code>" + next(found).encode() + b"</Code>", body)
    (answer,) = interpret(parse(body))
    assert answer.trigger == trigger


def test_a_china_declarations_business_receipt_is_read_by_its_channel():
    body = (
        b"<DEC_RESULT><CUS_CIQ_NO>I20260000123456789</CUS_CIQ_NO><ENTRY_ID>224820261000012345</ENTRY_ID>"
        b"<NOTICE_DATE>2026-11-26T10:15:03</NOTICE_DATE><CHANNEL>P</CHANNEL><NOTE>PASS</NOTE>"
        b"<CUSTOM_MASTER>2248</CUSTOM_MASTER></DEC_RESULT>"
    )
    (answer,) = interpret(parse(body))
    assert (answer.trigger, answer.status_code, answer.authority) == ("release", "P", "2248")
    assert (answer.business_reference, answer.registration_number) == ("I20260000123456789", "224820261000012345")


def test_an_ics2_do_not_load_request_is_a_hold_on_the_filing():
    body = (
        b'<IE3Q01 xmlns="urn:wco:datamodel:eu:ics2:2"><LRN>LRN1</LRN><MRN>26NL000000000000A1</MRN>'
        b"<notificationDate><DateTime>2026-11-20T09:30:00Z</DateTime></notificationDate></IE3Q01>"
    )
    (answer,) = interpret(parse(body))
    assert (answer.family, answer.trigger, answer.customs_event) == ("ICS2", "hold", "HOLD")
    assert (answer.business_reference, answer.registration_number) == ("LRN1", "26NL000000000000A1")


def test_a_ceb622_receipt_is_read_when_the_published_sample_is_present():
    sample = SHARED / "samples" / "customs" / "china-ceb" / "CEB622Message.xml"
    if not sample.exists():
        pytest.skip("published CEB samples (GPL-3.0) are read in place only")
    answers = interpret(parse(sample.read_bytes()))
    assert answers and answers[0].business_reference == "cop2016032211000"
    assert answers[0].registration_number == "B20160512000001882"


def test_an_agency_decision_is_read_per_item_and_check():
    body = messages.decision(
        message_id="D1", agency="CIQ", reference="LRN1", version=1, number=2, checks=[(1, "H218", "N02", "no")]
    )
    (answer,) = interpret(parse(body))
    assert (answer.agency, answer.decision_number, answer.checks[0].state) == ("CIQ", 2, "refused")


def test_an_inspection_agencys_soap_decision_is_read_when_the_published_sample_is_present():
    sample = SHARED / "samples" / "customs" / "inspection" / "ClearanceDecisionSoap.xml"
    if not sample.exists():
        pytest.skip("the agency's SOAP sample is read in place only")
    (answer,) = interpret(parse(sample.read_bytes()))
    assert (answer.agency, answer.business_reference, answer.version, answer.decision_number) == (
        "ALVS",
        "MRN123",
        1,
        1,
    )
    assert {c.state for c in answer.checks} == {"released"} and answer.checks[1].reasons == [
        "Some decision reason 1",
        "Some decision reason 2",
    ]


def test_an_agency_decision_with_garbage_numbers_is_read_not_raised():
    body = messages.decision(
        message_id="D1", agency="CIQ", reference="L", version=1, number=1, checks=[(1, "C", "C01", "")]
    )
    body = body.replace(b"<DecisionNumber>1<", b"<DecisionNumber>\xd9\xa3<").replace(
        b"<ItemNumber>1<", b"<ItemNumber>x<"
    )
    (answer,) = interpret(parse(body))
    assert answer.decision_number == 0 and answer.checks[0].item_number == 0
