"""The customs answers as their standards define them: every NCTS answer, every DMS function code, every CEB status.

Messages written from the published schemas (tests/fixtures/customs/SOURCES.md; their validity
under the published XSDs is checked in test_customs_xml_published.py); each expected event is
checked field by field as a customs engineer reads the message.
"""

from pathlib import Path

import pytest

from edi.customs_xml import translate_xml
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "customs"
LRN, MRN = "LHNL2026TR0042", "26NL000510TR0042K1"
NL_OFFICE = "NL000510"


def translate(path: Path) -> dict:
    document = translate_xml(path.read_bytes()).document
    assert problems_of(document["events"]) == []
    assert [m["status"] for m in document["messages"]] == ["accepted"], document["errors"]
    return document


def only(path: Path) -> dict:
    events = translate(path)["events"]
    assert len(events) == 1, events
    return events[0]


def refs(event: dict) -> list[tuple[str, str]]:
    return [(r["documentReferenceType"], r["documentReferenceValue"]) for r in event.get("documentReferences", ())]


def decision(event: dict) -> tuple:
    return event["eventType"], event["eventClassifierCode"], event["customsEventTypeCode"], event["customsAuthority"]


def ncts(name: str) -> Path:
    return FIXTURES / "ncts" / f"{name}_published.xml"


# --- NCTS phase 5 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "references", "time"),
    [
        ("CC928C", "RCVD", [("DEC", LRN), ("DEC", MRN)], "2026-11-25T10:15:00+00:00"),
        ("CC028C", "ACPT", [("DEC", LRN), ("DEC", MRN)], "2026-11-25T10:15:00+00:00"),
        ("CC056C", "RJCT", [("DEC", LRN)], "2026-11-25T09:14:00+00:00"),  # rejectionDateAndTime
        ("CC060C_controls", "INSP", [("DEC", LRN), ("DEC", MRN)], "2026-11-25T10:05:00+00:00"),
        ("CC060C_documents", "DOCR", [("DEC", MRN)], "2026-11-25T10:05:00+00:00"),
        ("CC051C", "REFU", [("DEC", MRN)], "2026-11-25T10:15:00+00:00"),
    ],
)
def test_each_ncts_answer_of_the_office_of_departure_is_its_decision(name, code, references, time):
    event = only(ncts(name))
    assert decision(event) == ("CUSTOMS", "ACT", code, NL_OFFICE)
    assert refs(event) == references
    assert event["eventDateTime"] == time
    assert event["source"]["messageReference"].startswith("NLCC")


def test_a_transit_declaration_at_rotterdam_is_dated_in_utc_as_the_ctc_schemas_say():
    event = only(ncts("CC015C"))
    assert decision(event) == ("CUSTOMS", "ACT", "DECL", NL_OFFICE)
    assert event["eventDateTime"] == "2026-11-25T08:30:00+00:00"  # not Europe/Amsterdam's +01:00
    assert event["transportCall"] == {
        "UNLocationCode": "NLRTM",
        "vessel": {"vesselIMONumber": "9321483"},
        "carrierVoyageNumber": "VOY2026W47",
    }
    assert refs(event) == [("DEC", LRN), ("TRD", "MAEU123456789")]
    assert event["equipmentReferences"] == ["MSKU9070323", "TGHU1234567"]
    assert event["parties"] == [{"partyEDIIdentity": "NL123456789", "partyFunction": "DDR"}]


def test_an_invalidation_granted_cancels_the_declaration_and_one_refused_rejects_the_request():
    granted, refused = only(ncts("CC009C_granted")), only(ncts("CC009C_refused"))
    assert decision(granted) == ("CUSTOMS", "ACT", "CNCL", NL_OFFICE)
    assert granted["reasons"] == [{"code": "1", "text": "Declaration lodged twice: the duplicate is invalidated"}]
    assert decision(refused) == ("CUSTOMS", "ACT", "RJCT", NL_OFFICE)
    assert refused["reasons"] == [
        {"code": "0", "text": "Goods already released for transit: invalidation not possible"}
    ]
    assert refs(refused) == [("DEC", LRN), ("DEC", MRN)]
    assert granted["eventDateTime"] == refused["eventDateTime"] == "2026-11-25T10:55:00+00:00"  # decisionDateAndTime


def test_the_mrn_allocation_keeps_the_message_header():
    document = translate(ncts("CC028C"))
    message = document["messages"][0]
    assert {k: message[k] for k in ("type", "version", "reference", "sender", "recipient", "role")} == {
        "type": "CC028C",
        "version": "NCTS5.1",
        "reference": "NLCC028C",
        "sender": "NTA.NL",
        "recipient": "NL123456789",
        "role": "answer",
    }


def test_the_release_for_transit_names_its_containers_documents_and_border_means():
    event = only(ncts("CC029C"))
    assert decision(event) == ("CUSTOMS", "ACT", "RLSD", NL_OFFICE)
    assert refs(event) == [("DEC", LRN), ("DEC", MRN), ("TRD", "MAEU123456789")]
    assert event["equipmentReferences"] == ["MSKU9070323", "TGHU1234567"]
    assert event["transportCall"] == {"vessel": {"vesselIMONumber": "9321483"}, "carrierVoyageNumber": "VOY2026W47"}


def test_a_rejection_gives_its_code_what_it_refused_then_each_functional_error_as_reasons():
    event = only(ncts("CC056C"))
    assert event["reasons"] == [
        {"code": "12", "text": "Guarantee reference not valid for this office"},
        {"code": "015", "text": "rejected: the declaration (CC015C)"},  # businessRejectionType, CL560
        {"code": "12", "text": "G0123 /CC015C/Guarantee[1]/GuaranteeReference[1]/GRN"},
        {"code": "14", "text": "R0456 /CC015C/Consignment/TransportEquipment[1]/containerIdentificationNumber"},
    ]


def test_a_control_decision_lists_the_controls_and_the_documents_asked_for():
    assert only(ncts("CC060C_controls"))["reasons"] == [
        {"code": "A1", "text": "Physical examination of the goods"},
        {"code": "N380", "text": "Commercial invoice"},
    ]
    assert only(ncts("CC060C_documents"))["reasons"] == [{"code": "N705", "text": "Bill of lading"}]


def test_no_release_gives_the_motivation():
    assert only(ncts("CC051C"))["reasons"] == [{"code": "B1", "text": "Goods not presented at the office of departure"}]


def test_the_functional_nack_names_the_lrn_its_header_carries():
    event = only(ncts("CC906C"))
    assert decision(event) == ("CUSTOMS", "ACT", "RJCT", "NTA.NL")
    assert refs(event) == [("DEC", LRN)]
    assert event["reasons"] == [{"code": "26", "text": "R0999 /CC015C/TransitOperation/LRN"}]


def test_the_xml_nack_is_accepted_as_published_and_names_the_lrn_and_its_xml_errors():
    event = only(ncts("CC917C"))
    assert decision(event) == ("CUSTOMS", "ACT", "RJCT", "NTA.NL")
    assert refs(event) == [("DEC", LRN)]
    assert event["reasons"] == [
        {
            "code": "12",
            "text": "cvc-pattern-valid: value '-1' not valid for DecimalWithoutZero_16_6 /CC015C/Consignment/grossMass",
        }
    ]


# --- WCO DM / UK CDS notifications ---------------------------------------------------------------

DMS_REFS = [("DEC", "LHGBIM2026000042"), ("DEC", "26GB4ZYXW9QR0DUAA7")]


@pytest.mark.parametrize(
    ("code", "event_code", "reasons"),
    [
        ("06", "DOCR", [{"code": "N935", "text": "Please upload the commercial invoice for item 1"}]),
        ("10", "CNCL", [{"text": "Declaration invalidated at the declarant's request"}]),
        ("11", "DOCR", [{"text": "Explain the valuation method used for item 2"}]),
        (
            "13",
            "TAXA",
            [{"code": "TaxAssessedAmount", "text": "1234.56 GBP"}, {"code": "PaymentAmount", "text": "1234.56 GBP"}],
        ),
        ("14", "HOLD", [{"text": "Insufficient balance on the deferment account"}]),
    ],
)
def test_each_dms_function_code_is_its_decision_with_what_the_notification_says(code, event_code, reasons):
    event = only(FIXTURES / "dms" / f"RES_{code}.xml")
    assert decision(event) == ("CUSTOMS", "ACT", event_code, "HMRC")
    assert refs(event) == DMS_REFS
    assert event["eventDateTime"] == "2026-11-25T14:30:05+01:00"
    assert event["reasons"] == reasons


@pytest.mark.parametrize("code", ["08", "16", "17"])
def test_goods_arrived_exited_and_a_general_response_give_no_event_but_say_which_code(code):
    document = translate(FIXTURES / "dms" / f"RES_{code}.xml")
    assert document["events"] == []
    assert [w["code"] for w in document["messages"][0]["warnings"]] == ["14"]
    assert f"answer {code} is no customs decision" in document["messages"][0]["warnings"][0]["message"]


def test_a_notification_is_sent_by_the_agency_and_names_no_recipient():
    message = translate(FIXTURES / "dms" / "RES_06.xml")["messages"][0]
    assert (message["sender"], message["recipient"], message["function"]) == ("HMRC", "", "06")


def test_a_dms_amendment_gives_the_change_reason_and_its_pointers():
    event = only(FIXTURES / "07_DMSRES.xml")
    assert event["customsEventTypeCode"] == "AMND"
    assert event["reasons"] == [{"code": "16", "text": "42A/67A/28A/64A"}]


# --- GACC cross-border e-commerce ----------------------------------------------------------------

CEB_STATUS_EVENTS = {
    "2": "RCVD", "3": "RCVD", "4": "RJCT", "100": "RJCT", "120": "ACPT", "300": "DOCR", "399": "ACPT",
    "500": "INSP", "501": "HOLD", "502": "HOLD", "503": "HOLD", "599": "HOLD", "700": "REFU",
    "800": "RLSD", "899": "RLSD", "-301010": "RJCT",
}  # fmt: skip


def test_each_published_inventory_receipt_status_is_its_decision():
    document = translate(FIXTURES / "ceb" / "CEB622_statuses.xml")
    by_status = {e["reasons"][0]["code"]: e for e in document["events"]}
    assert {s: e["customsEventTypeCode"] for s, e in by_status.items()} == CEB_STATUS_EVENTS
    assert [w["message"] for w in document["messages"][0]["warnings"]] == [
        "CEB622Message answer 1 is no customs decision: no event"
    ]  # 1: only stored at the e-port
    held = by_status["599"]
    assert decision(held) == ("CUSTOMS", "ACT", "HOLD", "5141")
    assert refs(held) == [("DEC", "LHINV202611250013"), ("DEC", "B20261125000000013"), ("DEC", "51412026I000001213")]
    assert held["eventDateTime"] == "2026-11-25T15:30:12+08:00"
    assert held["reasons"] == [{"code": "599", "text": "其它扣留"}]


def test_the_format_check_receipt_is_a_rejection_with_the_reason():
    event = only(FIXTURES / "ceb" / "CEB900_format_error.xml")
    assert decision(event) == ("CUSTOMS", "ACT", "RJCT", "CN-GACC")
    assert event["reasons"] == [{"code": "-1", "text": "报文格式校验失败:InventoryHead/appTime 格式错误"}]
    assert event["eventDateTime"] == "2026-11-25T15:35:00+08:00"


def test_the_electronic_tax_bill_is_the_duty_assessed_on_the_inventory():
    event = only(FIXTURES / "ceb" / "CEB816_tax_bill.xml")
    assert decision(event) == ("CUSTOMS", "ACT", "TAXA", "5141")
    assert refs(event) == [("DEC", "51412026I000001208")]
    assert event["reasons"] == [
        {"code": "taxNo", "text": "51412026T000000042"},
        {"code": "customsTax", "text": "0"},
        {"code": "valueAddedTax", "text": "117.00"},
        {"code": "consumptionTax", "text": "0"},
    ]
    assert event["eventDateTime"] == "2026-11-25T16:00:00+08:00"


def test_a_tax_bill_naming_its_order_and_waybill_names_them_too():
    """The 2018 edition's tax bill closes its head with the order and the carrier's waybill."""
    body = (FIXTURES / "ceb" / "CEB816_tax_bill.xml").read_bytes()
    body = body.replace(
        b"</customsCode>", b"</customsCode><orderNo>ORD2026112500042</orderNo><logisticsNo>SF1234567890</logisticsNo>"
    )
    [event] = translate_xml(body).document["events"]
    assert refs(event) == [("DEC", "51412026I000001208"), ("TRD", "SF1234567890"), ("CTR", "ORD2026112500042")]


@pytest.mark.parametrize(("status", "code"), [("399", "CNCL"), ("120", "ACPT"), ("100", "RJCT")])
def test_a_concluded_inventory_cancellation_application_cancels_the_inventory(status, code):
    body = (
        '<CEB624Message xmlns="http://www.chinaport.gov.cn/ceb" guid="9A1B2C3D-0000-4000-8000-000000000624" '
        'version="1.0"><InvtCancelReturn><guid>9A1B2C3D-0000-4000-8000-000000000625</guid>'
        "<customsCode>5141</customsCode><agentCode>4403180ABC</agentCode><ebpCode>4403169D3W</ebpCode>"
        "<ebcCode>4403169D3W</ebcCode><copNo>LHCANCEL20261125001</copNo><preNo>C20261125000000001</preNo>"
        f"<invtNo>51412026I000001208</invtNo><returnStatus>{status}</returnStatus>"
        "<returnTime>20261125170000000</returnTime><returnInfo>撤单申请审核通过,清单已成功撤单</returnInfo>"
        "</InvtCancelReturn></CEB624Message>"
    ).encode()
    document = translate_xml(body).document
    assert document["messages"][0]["status"] == "accepted", document["errors"]
    [event] = document["events"]
    assert event["customsEventTypeCode"] == code
    assert ("DEC", "51412026I000001208") in refs(event)


def test_a_voided_tax_bill_decides_nothing():
    document = translate(FIXTURES / "ceb" / "CEB818_tax_status.xml")
    assert document["events"] == []
    assert "answer 3 is no customs decision" in document["messages"][0]["warnings"][0]["message"]


def test_an_export_inventory_released_is_rlsd_in_chinas_time():
    event = only(FIXTURES / "ceb" / "CEB604_export_receipt.xml")
    assert decision(event) == ("CUSTOMS", "ACT", "RLSD", "CN-GACC")
    assert refs(event) == [
        ("DEC", "LHEXP2026112500001"),
        ("DEC", "E20261125000000001"),
        ("DEC", "51412026E000000001"),
        ("CTR", "ORD2026112500001"),
    ]  # the customs inventory number and the order, besides the enterprise's and the e-port's
    assert event["eventDateTime"] == "2026-11-25T18:00:00+08:00"


def test_a_logistics_receipt_names_the_carriers_waybill():
    event = only(FIXTURES / "ceb" / "CEB512_logistics_receipt.xml")
    assert decision(event) == ("CUSTOMS", "ACT", "ACPT", "CN-GACC")
    assert refs(event) == [("TRD", "SF1402650219342")]
    assert event["eventDateTime"] == "2026-11-25T12:00:00+08:00"


# --- ICS ------------------------------------------------------------------------------------------

SHARED_ICS = Path(__file__).resolve().parents[4] / "shared" / "samples" / "customs" / "ics" / "CC315A_full.xml"


def test_an_ics_answer_is_by_the_office_of_first_entry_its_published_tag_names():
    body = (FIXTURES / "ics" / "CC328A_registered.xml").read_bytes()
    event = only_body(body.replace(b"<MesSenMES3>GB000060<", b"<MesSenMES3>NTA.GB<"))
    assert decision(event) == ("CUSTOMS", "ACT", "ACPT", "GB000060")  # RefNumCUSOFFFENT731, not the sender


@pytest.mark.skipif(not SHARED_ICS.exists(), reason="../shared not present")
def test_hmrcs_entry_summary_sample_is_lodged_with_its_office_of_first_entry():
    event = only(SHARED_ICS)
    assert decision(event) == ("CUSTOMS", "ACT", "DECL", "AB3C4D5E")


def only_body(body: bytes) -> dict:
    document = translate_xml(body).document
    assert [m["status"] for m in document["messages"]] == ["accepted"], document["errors"]
    (event,) = document["events"]
    return event


def test_a_cross_border_order_is_sent_by_its_transmitter_to_no_named_office():
    document = translate(FIXTURES / "ceb" / "CEB303_export_order.xml")
    message = document["messages"][0]
    assert (message["sender"], message["recipient"], message["function"]) == ("4403169D3W", "", "1")
    (event,) = document["events"]
    assert decision(event) == ("CUSTOMS", "ACT", "DECL", "CN-GACC")
    assert refs(event) == [("CTR", "ORD2026112500001")]
    assert event["eventDateTime"] == "2026-11-25T09:00:00+08:00"
