"""ICS2 (the EU's Import Control System 2): a filing is a declaration; customs' answers are its decisions.

Messages written by hand from the harmonised trader interface's message list and structure
(LRN/MRN, documentIssueDate, the consignment levels, customs' notifications).
"""

import pytest

from edi.customs_xml import translate_xml
from tracking.validation import problems_of

NS = "urn:wco:datamodel:eu:ics2:2"


def translate(body: str) -> dict:
    document = translate_xml(body.encode()).document
    assert problems_of(document["events"]) == []
    assert [m["status"] for m in document["messages"]] == ["accepted"], document["errors"]
    return document


def refs(event: dict) -> list[tuple[str, str]]:
    return [(r["documentReferenceType"], r["documentReferenceValue"]) for r in event.get("documentReferences", ())]


FILING = f"""<IE3F10 xmlns="{NS}"><LRN>LH26ICS2000042</LRN>
<documentIssueDate><DateTime>2026-11-20T08:00:00Z</DateTime></documentIssueDate>
<addressedMemberState><country>NL</country></addressedMemberState>
<activeBorderTransportMeans><identificationNumber>9321483</identificationNumber>
<conveyanceReferenceNumber>047E</conveyanceReferenceNumber><ModeOfTransport>1</ModeOfTransport></activeBorderTransportMeans>
<consignmentMasterLevel><transportDocumentMasterLevel><documentNumber>LGHB2611001</documentNumber><type>N705</type>
</transportDocumentMasterLevel><transportEquipment><containerIdentificationNumber>MSKU1234565</containerIdentificationNumber>
</transportEquipment></consignmentMasterLevel>
<declarant><identificationNumber>NL123456789</identificationNumber></declarant>
<carrier><identificationNumber>NL000000001</identificationNumber></carrier></IE3F10>"""


def answer(name: str, body: str = "") -> str:
    return (
        f'<{name} xmlns="{NS}"><LRN>LH26ICS2000042</LRN><MRN>26NL000000000000A1</MRN>'
        "<notificationDate><DateTime>2026-11-20T09:30:00+01:00</DateTime></notificationDate>"
        f"<customsOfficeOfFirstEntry><referenceNumber>NL000396</referenceNumber></customsOfficeOfFirstEntry>{body}"
        f"</{name}>"
    )


def test_a_sea_filing_is_a_declaration_naming_its_lrn_bill_container_vessel_and_voyage():
    document = translate(FILING)
    assert (document["messages"][0]["family"], document["messages"][0]["role"]) == ("eu-ics2", "cargo")
    [event] = document["events"]
    assert event["customsEventTypeCode"] == "DECL" and event["customsAuthority"] == "NL"
    assert refs(event) == [("DEC", "LH26ICS2000042"), ("TRD", "LGHB2611001")]
    assert event["equipmentReference"] == "MSKU1234565"
    assert event["transportCall"]["vessel"]["vesselIMONumber"] == "9321483"
    assert event["transportCall"]["carrierVoyageNumber"] == "047E"
    assert event["eventDateTime"] == "2026-11-20T08:00:00+00:00"


@pytest.mark.parametrize(
    ("name", "code"),
    [("IE3R01", "ACPT"), ("IE3N03", "ACPT"), ("IE3Q01", "HOLD"), ("IE3Q02", "DOCR"), ("IE3N08", "INSP")],
)
def test_customs_answers_to_a_filing_are_its_decisions(name, code):
    document = translate(answer(name))
    assert document["messages"][0]["role"] == "answer"
    [event] = document["events"]
    assert (event["customsEventTypeCode"], event["customsAuthority"]) == (code, "NL000396")
    assert refs(event) == [("DEC", "LH26ICS2000042"), ("DEC", "26NL000000000000A1")]
    assert event["eventDateTime"] == "2026-11-20T09:30:00+01:00"


def test_an_error_notification_is_a_rejection_with_the_validation_codes():
    body = "<error><description>Unknown office</description><validationCode>E1001</validationCode></error>"
    [event] = translate(answer("IE3N99", body))["events"]
    assert event["customsEventTypeCode"] == "RJCT"
    assert event["reasons"] == [{"code": "E1001", "text": "Unknown office"}]


def test_an_arrival_notification_decides_nothing():
    document = translate(answer("IE3N06"))
    assert document["events"] == []
    assert "ICS2 answer" in document["messages"][0]["warnings"][0]["message"]


def test_an_answer_without_its_namespace_is_read_in_it_with_a_warning():
    document = translate(answer("IE3R01").replace(f' xmlns="{NS}"', ""))
    assert document["events"][0]["customsEventTypeCode"] == "ACPT"
    assert document["messages"][0]["warnings"][0]["code"] == "XML_NAMESPACE"
