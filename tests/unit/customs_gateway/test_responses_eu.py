"""NCTS and ICS answers read into the gateway's Answer: the trigger, the event code, LRN and MRN, reasons."""

from pathlib import Path

import pytest
from lxml import etree

from customs_gateway.responses import interpret

NCTS = Path(__file__).resolve().parents[2] / "fixtures" / "customs" / "ncts"


@pytest.mark.parametrize(
    ("name", "trigger", "code", "lrn", "mrn"),
    [
        ("CC028C_mrn_allocated.xml", "accept", "ACPT", "LHTRANSIT0001", "26GB0000010000ABC8"),
        ("CC056C_rejected.xml", "reject", "RJCT", "LHTRANSIT0001", ""),
        ("CC060C_control.xml", "inspect", "INSP", "LHTRANSIT0001", "26GB0000010000ABC8"),
        ("CC051C_no_release.xml", "refuse", "REFU", "", "26GB0000010000ABC8"),
    ],
)
def test_ncts_answers_become_gateway_answers(name, trigger, code, lrn, mrn):
    (answer,) = interpret(etree.parse(str(NCTS / name)).getroot())
    assert (answer.family, answer.trigger, answer.customs_event) == ("NCTS", trigger, code)
    assert (answer.business_reference, answer.registration_number) == (lrn, mrn)
    assert answer.authority == "GB000060" and answer.issued.startswith("2026-11-25T")


def test_a_rejection_keeps_its_reason_what_it_refused_and_functional_errors():
    (answer,) = interpret(etree.parse(str(NCTS / "CC056C_rejected.xml")).getroot())
    assert answer.reasons[0] == {"code": "12", "text": "Guarantee not valid"}
    assert answer.reasons[1] == {"code": "015", "text": "rejected: the declaration (CC015C)"}
    assert answer.reasons[2]["code"] == "12" and "guaranteeType" in answer.reasons[2]["text"]


@pytest.mark.parametrize(
    ("rejected", "what"),
    [
        ("013", "rejected: an amendment of the declaration (CC013C)"),
        ("014", "rejected: an invalidation request (CC014C)"),
        ("170", "rejected: a presentation notification (CC170C)"),
        ("999", "rejected: message CC999C"),
    ],
)
def test_a_rejection_says_whether_the_declaration_an_amendment_or_an_invalidation_request_was_refused(rejected, what):
    body = (
        (NCTS / "CC056C_rejected.xml")
        .read_bytes()
        .replace(b"<businessRejectionType>015<", f"<businessRejectionType>{rejected}<".encode())
    )
    (answer,) = interpret(etree.fromstring(body))
    assert answer.reasons[1] == {"code": rejected, "text": what} and answer.trigger == "reject"


def test_a_rejection_without_its_type_gives_no_empty_reason():
    body = (
        (NCTS / "CC056C_rejected.xml").read_bytes().replace(b"<businessRejectionType>015</businessRejectionType>", b"")
    )
    (answer,) = interpret(etree.fromstring(body))
    assert all(reason for reason in answer.reasons) and answer.reasons[1]["text"].startswith("G0001")


def test_hmrcs_error_response_is_a_rejection_with_its_number():
    body = (
        b'<err:ErrorResponse xmlns:err="http://www.govtalk.gov.uk/CM/errorresponse"><err:Error>'
        b"<err:RaisedBy>HMRC</err:RaisedBy><err:Number>4065</err:Number><err:Text>Invalid</err:Text>"
        b"</err:Error></err:ErrorResponse>"
    )
    (answer,) = interpret(etree.fromstring(body))
    assert (answer.trigger, answer.customs_event, answer.reasons[0]["code"]) == ("reject", "RJCT", "4065")


def test_a_dms_amendment_is_amnd_for_events_and_accept_for_the_machine():
    body = (Path(__file__).resolve().parents[2] / "fixtures" / "customs" / "07_DMSRES.xml").read_bytes()
    (answer,) = interpret(etree.fromstring(body))
    assert (answer.trigger, answer.customs_event) == ("accept", "AMND")
