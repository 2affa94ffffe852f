"""China customs declarations (报关单 DecMessage) and the single window's receipts (DecImportResponse, DEC_RESULT).

Messages written by hand from the published structure (海关总署 2018 年第 67 号公告 and the
single window's receipt layout); each expected event is what a customs broker reads in them.
"""

import pytest

from edi.customs_xml import translate_xml
from edi.detect import detect
from tracking.validation import problems_of

DEC = "http://www.chinaport.gov.cn/dec"


def translate(body: str) -> dict:
    document = translate_xml(body.encode("utf-8")).document
    assert problems_of(document["events"]) == []
    assert [m["status"] for m in document["messages"]] == ["accepted"], document["errors"]
    return document


def refs(event: dict) -> list[tuple[str, str]]:
    return [(r["documentReferenceType"], r["documentReferenceValue"]) for r in event.get("documentReferences", ())]


def result(channel: str, note: str, entry: str = "224820261000012345") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<DEC_RESULT>'
        f"<CUS_CIQ_NO>I20260000123456789</CUS_CIQ_NO><ENTRY_ID>{entry}</ENTRY_ID>"
        f"<NOTICE_DATE>2026-11-26T10:15:03</NOTICE_DATE><CHANNEL>{channel}</CHANNEL><NOTE>{note}</NOTE>"
        "<CUSTOM_MASTER>2248</CUSTOM_MASTER><I_E_DATE>20261126</I_E_DATE><D_DATE>2026-11-26T00:00:00</D_DATE>"
        "</DEC_RESULT>"
    )


DECLARATION = f"""<?xml version="1.0" encoding="UTF-8"?>
<DecMessage version="3.1" xmlns="{DEC}">
  <DecHead><SeqNo></SeqNo><IEFlag>I</IEFlag><AgentCode>3120980025</AgentCode><BillNo>LGHB2611001</BillNo>
    <CustomMaster>2248</CustomMaster><EntryId></EntryId><IEPort>2248</IEPort><TrafMode>2</TrafMode></DecHead>
  <DecLists><DecList><GNo>1</GNo><CodeTS>8510100000</CodeTS><GName>电动剃须刀</GName></DecList></DecLists>
  <DecContainers><Container><ContainerId>MSKU1234565</ContainerId><ContainerMd>22</ContainerMd></Container>
    <Container><ContainerId>CSQU3054383</ContainerId><ContainerMd>22</ContainerMd></Container></DecContainers>
  <DecSign><OperType>C</OperType><CopCode>3120980025</CopCode><ClientSeqNo>LH20261126001</ClientSeqNo>
    <SignDate>20261126093015</SignDate></DecSign>
</DecMessage>"""


@pytest.mark.parametrize(
    ("channel", "note", "code"),
    [
        ("K", "通关无纸化担保放行", "RLSD"),
        ("P", "报关单已放行", "RLSD"),
        ("L", "海关入库成功", "ACPT"),
        ("E", "海关退单", "RJCT"),
        ("C", "出口查验通知", "INSP"),
        ("T", "需交税费", "TAXA"),
        ("D", "海关删单", "CNCL"),
    ],
)
def test_a_declarations_business_receipt_is_customs_decision_by_its_channel(channel, note, code):
    [event] = translate(result(channel, note))["events"]
    assert (event["eventType"], event["customsEventTypeCode"], event["customsAuthority"]) == ("CUSTOMS", code, "2248")
    assert refs(event) == [("DEC", "I20260000123456789"), ("DEC", "224820261000012345")]  # unified and entry number
    assert event["reasons"] == [{"code": channel, "text": note}]
    assert event["eventDateTime"] == "2026-11-26T10:15:03+08:00"


def test_a_business_receipt_before_customs_numbers_the_entry_names_the_unified_number_alone():
    document = translate(result("7", "I20260000123456789直接申报成功", entry=""))
    assert document["messages"][0]["role"] == "answer"
    [event] = document["events"]
    assert event["customsEventTypeCode"] == "RCVD" and refs(event) == [("DEC", "I20260000123456789")]


def test_a_business_receipt_that_decides_nothing_gives_no_event_and_says_so():
    document = translate(result("N", "重传文件"))
    assert document["events"] == []
    assert "DEC_RESULT answer N is no customs decision" in document["messages"][0]["warnings"][0]["message"]


def test_a_business_receipt_without_its_channel_is_refused_naming_the_element():
    body = result("K", "x").replace("<CHANNEL>K</CHANNEL>", "")
    document = translate_xml(body.encode()).document
    assert document["messages"][0]["status"] == "rejected"
    assert "CHANNEL" in document["errors"][0]["message"]


@pytest.mark.parametrize(("code", "event_code"), [("0", "RCVD"), ("1", "RJCT")])
def test_the_import_receipt_says_whether_the_single_window_took_the_declaration(code, event_code):
    body = (
        f'<DecImportResponse xmlns="{DEC}"><ResponseCode>{code}</ResponseCode><ErrorMessage>通讯回执</ErrorMessage>'
        "<ClientSeqNo>LH20261126001</ClientSeqNo><SeqNo>I20260000123456789</SeqNo><TrnPreId></TrnPreId>"
        "</DecImportResponse>"
    )
    [event] = translate(body)["events"]
    assert event["customsEventTypeCode"] == event_code
    assert refs(event) == [("DEC", "LH20261126001"), ("DEC", "I20260000123456789")]


def test_a_declaration_is_a_decl_naming_its_numbers_bill_and_containers():
    document = translate(DECLARATION)
    message = document["messages"][0]
    assert (message["type"], message["family"], message["role"], message["reference"]) == (
        "DecMessage",
        "china-dec",
        "cargo",
        "LH20261126001",
    )
    [event] = document["events"]
    assert event["customsEventTypeCode"] == "DECL"
    assert event["equipmentReferences"] == ["MSKU1234565", "CSQU3054383"]
    assert refs(event) == [("DEC", "LH20261126001"), ("TRD", "LGHB2611001")]  # no entry number yet: none given
    assert event["parties"] == [{"partyEDIIdentity": "3120980025", "partyFunction": "DDR"}]
    assert event["customsAuthority"] == "2248" and event["eventDateTime"] == "2026-11-26T09:30:15+08:00"


def test_a_declaration_without_its_namespace_is_read_in_it_with_a_warning():
    document = translate(DECLARATION.replace(f' xmlns="{DEC}"', ""))
    assert document["events"] and document["messages"][0]["warnings"][0]["code"] == "XML_NAMESPACE"


def test_the_business_receipt_is_recognised_without_a_namespace_as_published():
    detection = detect(result("K", "x").encode())
    assert (detection.family, detection.namespace_mangled) == ("china-dec", False)
