"""The other shapes of the customs families: CEB flat and headed records, NCTS and ICS follow-ups, envelopes.

Fixtures written from the published structures (see tests/fixtures/customs/SOURCES.md).
"""

import base64
from pathlib import Path

from edi.customs_xml import translate_xml
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "customs"


def translate(body: bytes) -> dict:
    document = translate_xml(body).document
    assert problems_of(document["events"]) == []
    assert [m["status"] for m in document["messages"]] == ["accepted"], document["errors"]
    return document


def only(body: bytes) -> dict:
    events = translate(body)["events"]
    assert len(events) == 1, events
    return events[0]


def refs(event: dict) -> set[tuple[str, str]]:
    return {(r["documentReferenceType"], r["documentReferenceValue"]) for r in event.get("documentReferences", ())}


def test_a_cross_border_inventory_cancellation_is_cncl_naming_its_numbers():
    event = only((FIXTURES / "ceb" / "CEB623_cancellation.xml").read_bytes())
    assert event["customsEventTypeCode"] == "CNCL" and event["customsAuthority"] == "2244"
    assert {("DEC", "22442026I000000001"), ("CTR", "LHORDER20261126001"), ("TRD", "LHWB0001")} <= refs(event)
    assert event["eventDateTime"] == "2026-11-26T09:30:00+08:00"


def test_an_export_departure_record_names_bill_and_voyage():
    event = only((FIXTURES / "ceb" / "CEB509_departure.xml").read_bytes())
    assert event["customsEventTypeCode"] == "DECL"
    assert ("TRD", "LGHB2611501") in refs(event) and event["transportCall"]["carrierVoyageNumber"] == "048W"
    assert event["source"]["position"]["path"] == "/CEB509Message/Departure/DepartureHead"


def test_a_receipt_whose_root_drops_message_is_still_read_as_a_receipt():
    document = translate((FIXTURES / "ceb" / "CEB214_refund_receipt.xml").read_bytes())
    assert document["messages"][0]["warnings"][0]["code"] == "XML_ROOT_NAME"
    event = only((FIXTURES / "ceb" / "CEB214_refund_receipt.xml").read_bytes())
    assert event["customsEventTypeCode"] == "RJCT"
    assert ("DEC", "LHREF20261129001") in refs(event)
    assert event["reasons"] == [{"code": "100", "text": "退单：申报要素不全"}]


def test_an_ncts_invalidation_request_is_a_cancellation():
    event = only((FIXTURES / "ncts" / "CC014C_invalidation.xml").read_bytes())
    assert event["customsEventTypeCode"] == "CNCL" and ("DEC", "LHTRANSIT0001") in refs(event)


def test_an_ics_amendment_names_the_mrn_vessel_voyage_and_container():
    event = only((FIXTURES / "ics" / "CC313A_amendment.xml").read_bytes())
    assert event["customsEventTypeCode"] == "DECL" and ("DEC", "26GB0000010000ABC8") in refs(event)
    assert event["transportCall"]["vessel"]["vesselIMONumber"] == "9321483"
    assert event["transportCall"]["carrierVoyageNumber"] == "047E"
    assert event["equipmentReference"] == "MSKU1234565"
    assert event["eventDateTime"] == "2026-11-25T14:00:00+00:00"
    assert event["customsAuthority"] == "GB000060"


def test_an_ics_message_in_a_soap_envelope_is_read_as_ics():
    body = (FIXTURES / "ics" / "CC313A_amendment.xml").read_bytes().split(b"?>", 1)[1]
    envelope = (
        b'<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header/><soap:Body>'
        + body
        + b"</soap:Body></soap:Envelope>"
    )
    document = translate(envelope)
    assert document["messages"][0]["family"] == "eu-ics" and document["events"][0]["customsEventTypeCode"] == "DECL"


def test_a_declaration_in_hmrcs_submission_wrapper_is_read():
    body = (FIXTURES / "WCO_DEC_import.xml").read_bytes().split(b"?>", 1)[1]
    wrapped = (
        b'<v1:submitDeclarationRequest xmlns:v1="http://uk/gov/hmrc/mdg/declarationmanagement/submitdeclaration/'
        b'request/schema/v1"><v1:requestCommon><v1:regime>CDS</v1:regime></v1:requestCommon><v1:requestDetail>'
        + body
        + b"</v1:requestDetail></v1:submitDeclarationRequest>"
    )
    assert ("DEC", "LRN26BROKER0001") in refs(only(wrapped))


def test_a_manifest_in_a_port_edi_centres_mft_envelope_is_read():
    body = (FIXTURES / "MT3101_arrival.xml").read_bytes().split(b"?>", 1)[1]
    wrapped = (
        b"<MFTMessage><MFTHead><PlatId>0</PlatId><SignInfo>c2lnbmVk</SignInfo><CopCode>TESTCARRIER</CopCode>"
        b"<Note1>1</Note1><Note2/></MFTHead><MFTData>" + body + b"</MFTData></MFTMessage>"
    )
    document = translate(wrapped)
    assert (document["messages"][0]["type"], document["messages"][0]["family"]) == ("MT3101", "china-manifest")
    plain = translate((FIXTURES / "MT3101_arrival.xml").read_bytes())
    assert document["events"] and [e["eventID"] for e in document["events"]] == [e["eventID"] for e in plain["events"]]


def test_a_cds_cancellation_is_function_13_with_type_inv():
    body = (FIXTURES / "WCO_DEC_import.xml").read_bytes()
    body = body.replace(b"<FunctionCode>9</FunctionCode>", b"<FunctionCode>13</FunctionCode>")
    body = body.replace(b"<TypeCode>IMA</TypeCode>", b"<TypeCode>INV</TypeCode>")
    assert b"INV" in body
    assert only(body)["customsEventTypeCode"] == "CNCL"


def test_a_namespaced_dms_notification_with_a_short_zone():
    event = only((FIXTURES / "DMSCLE_namespaced.xml").read_bytes())
    assert event["customsEventTypeCode"] == "RLSD"
    assert event["eventDateTime"] == "2023-05-26T20:55:10+01:00"
    assert ("DEC", "23GB5SCPZSPYDAUAA1") in refs(event)


def test_a_tally_dated_years_after_it_was_received_is_refused():
    body = (FIXTURES / "MT5101_tally.xml").read_bytes().replace(b"20261126115900", b"20301126115900")
    document = translate_xml(body, received="2026-11-26T12:00:00+08:00").document
    assert document["events"] == []
    assert any(e["code"] == "12" and "2030-11-26" in e["message"] for e in document["errors"])
    assert translate_xml((FIXTURES / "MT5101_tally.xml").read_bytes(), received="2026-11-26T12:00:00+08:00").document[
        "events"
    ]


#: an export refund receipt (CEB214) as the 202205 schema defines RefundReturn; {status} is filled in
REFUND_RECEIPT = """<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB214Message guid="5A6B7C8D-9E0F-4A1B-8C2D-3E4F5A6B7C8D" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
  <ceb:RefundReturn>
    <ceb:guid>6B7C8D9E-0F1A-4B2C-9D3E-4F5A6B7C8D9E</ceb:guid>
    <ceb:agentCode>3100000004</ceb:agentCode>
    <ceb:coElNo>LHREF20261201007</ceb:coElNo>
    <ceb:invtNo>22482026E000000077</ceb:invtNo>
    <ceb:returnStatus>{status}</ceb:returnStatus>
    <ceb:returnTime>20261201160500000</ceb:returnTime>
    <ceb:returnInfo>{info}</ceb:returnInfo>
  </ceb:RefundReturn>
</ceb:CEB214Message>"""


def test_an_export_refund_suspended_or_handed_over_is_a_hold():
    for status, info in (("600", "挂起"), ("505", "移交缉私")):
        body = REFUND_RECEIPT.format(status=status, info=info).encode("utf-8")
        event = only(body)
        assert event["customsEventTypeCode"] == "HOLD", status
        assert event["reasons"] == [{"code": status, "text": info}]
        assert {("DEC", "LHREF20261201007"), ("DEC", "22482026E000000077")} <= refs(event)
        assert event["eventDateTime"] == "2026-12-01T16:05:00+08:00"


#: a DEC-DMS export declaration with the optional place of issue WCO_DEC_2_DMS declares between its
#: issue time and its type (valid under the published schema)
EXPORT_DECLARATION = """<?xml version="1.0" encoding="UTF-8"?>
<md:MetaData xmlns:md="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2" xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">
  <md:WCODataModelVersionCode>3.6</md:WCODataModelVersionCode>
  <md:WCOTypeName>DEC</md:WCOTypeName>
  <md:ResponsibleCountryCode>GB</md:ResponsibleCountryCode>
  <md:ResponsibleAgencyName>HMRC</md:ResponsibleAgencyName>
  <md:AgencyAssignedCustomizationVersionCode>v2.1</md:AgencyAssignedCustomizationVersionCode>
  <Declaration>
    <FunctionCode>9</FunctionCode>
    <FunctionalReferenceID>LHEX2612010001</FunctionalReferenceID>
    <IssueDateTime><ds:DateTimeString xmlns:ds="urn:wco:datamodel:WCO:Declaration_DS:DMS:2" formatCode="304">20261201093000Z</ds:DateTimeString></IssueDateTime>
    <IssueLocationID>GBFXT</IssueLocationID>
    <TypeCode>EXD</TypeCode>
    <GoodsItemQuantity>1</GoodsItemQuantity>
    <TotalPackageQuantity>40</TotalPackageQuantity>
    <Declarant><ID>GB553202734852</ID></Declarant>
    <ExitOffice><ID>GB000060</ID></ExitOffice>
    <GoodsShipment>
      <Consignment>
        <ContainerCode>1</ContainerCode>
        <DepartureTransportMeans><ID>9321483</ID><IdentificationTypeCode>10</IdentificationTypeCode></DepartureTransportMeans>
        <GoodsLocation><Name>FXTFXTFXT</Name><TypeCode>A</TypeCode><Address><TypeCode>U</TypeCode><CountryCode>GB</CountryCode></Address></GoodsLocation>
        <TransportEquipment><SequenceNumeric>1</SequenceNumeric><ID>MSCU3218780</ID></TransportEquipment>
      </Consignment>
      <GovernmentAgencyGoodsItem>
        <SequenceNumeric>1</SequenceNumeric>
        <Commodity><Description>Machine parts</Description></Commodity>
        <GovernmentProcedure><CurrentCode>10</CurrentCode><PreviousCode>00</PreviousCode></GovernmentProcedure>
      </GovernmentAgencyGoodsItem>
    </GoodsShipment>
  </Declaration>
</md:MetaData>"""


def test_a_wco_declaration_naming_where_it_was_issued_is_accepted():
    event = only(EXPORT_DECLARATION.encode("utf-8"))
    assert event["customsEventTypeCode"] == "DECL"
    assert ("DEC", "LHEX2612010001") in refs(event) and event["equipmentReference"] == "MSCU3218780"
    assert event["eventDateTime"] == "2026-12-01T09:30:00+00:00"


#: a payment (CEB411) and its receipt (CEB412) as the 202205 import schema defines them: the
#: receipt's PaymentReturn names the payment by its transaction number alone (no order number)
PAYMENT = """<?xml version="1.0" encoding="UTF-8"?>
<CEB411Message xmlns="http://www.chinaport.gov.cn/ceb" guid="7C8D9E0F-1A2B-4C3D-8E4F-5A6B7C8D9E0F" version="1.0">
  <Payment>
    <PaymentHead>
      <guid>8D9E0F1A-2B3C-4D4E-9F5A-6B7C8D9E0F1A</guid>
      <appType>1</appType>
      <appTime>20261202091500</appTime>
      <appStatus>2</appStatus>
      <payCode>3120960001</payCode>
      <payName>LH Pay</payName>
      <payTransactionId>LHPAY2026120200017</payTransactionId>
      <orderNo>LHORDER20261202017</orderNo>
      <ebpCode>3120960002</ebpCode>
      <ebpName>LH Mall</ebpName>
      <payerIdType>1</payerIdType>
      <payerIdNumber>310101199001011234</payerIdNumber>
      <payerName>Zhang San</payerName>
      <amountPaid>199.00</amountPaid>
      <currency>142</currency>
      <payTime>20261202091000</payTime>
    </PaymentHead>
  </Payment>
  <BaseTransfer>
    <copCode>3120960001</copCode>
    <copName>LH Pay</copName>
    <dxpMode>DXP</dxpMode>
    <dxpId>DXPENT0000000017</dxpId>
  </BaseTransfer>
</CEB411Message>"""
PAYMENT_RECEIPT = """<?xml version="1.0" encoding="UTF-8"?>
<CEB412Message xmlns="http://www.chinaport.gov.cn/ceb" guid="9E0F1A2B-3C4D-4E5F-8A6B-7C8D9E0F1A2B" version="1.0">
  <PaymentReturn>
    <guid>8D9E0F1A-2B3C-4D4E-9F5A-6B7C8D9E0F1A</guid>
    <payCode>3120960001</payCode>
    <payTransactionId>LHPAY2026120200017</payTransactionId>
    <returnStatus>100</returnStatus>
    <returnTime>20261202093000000</returnTime>
    <returnInfo>支付人信息不符</returnInfo>
  </PaymentReturn>
</CEB412Message>"""


def test_a_payment_and_its_receipt_share_the_payments_transaction_number():
    payment = only(PAYMENT.encode("utf-8"))
    assert payment["customsEventTypeCode"] == "DECL"
    assert refs(payment) == {("DEC", "LHPAY2026120200017"), ("CTR", "LHORDER20261202017")}
    receipt = only(PAYMENT_RECEIPT.encode("utf-8"))
    assert receipt["customsEventTypeCode"] == "RJCT"
    assert refs(receipt) == {("DEC", "LHPAY2026120200017")}


def test_a_record_saved_as_a_draft_is_no_lodgement():
    draft = PAYMENT.replace("<appStatus>2</appStatus>", "<appStatus>1</appStatus>").encode("utf-8")
    document = translate(draft)
    assert document["events"] == []
    (warning,) = document["messages"][0]["warnings"]
    assert warning["message"].startswith("appStatus 1: a record saved as a draft")
    assert warning["position"]["path"] == "/CEB411Message/Payment/PaymentHead"


def test_a_delivery_receipt_naming_only_its_warehousing_entry_number_refers_to_it():
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ceb:CEB712Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="0F1A2B3C-4D5E-4F6A-9B7C-8D9E0F1A2B3C" '
        'version="1.0"><ceb:DeliveryReturn><ceb:guid>1A2B3C4D-5E6F-4A7B-8C8D-9E0F1A2B3C4D</ceb:guid>'
        "<ceb:rkdNo>22442026R000000123</ceb:rkdNo><ceb:returnStatus>120</ceb:returnStatus>"
        "<ceb:returnTime>20261202110000000</ceb:returnTime><ceb:returnInfo>入库</ceb:returnInfo>"
        "</ceb:DeliveryReturn></ceb:CEB712Message>"
    )
    event = only(body.encode("utf-8"))
    assert event["customsEventTypeCode"] == "ACPT" and refs(event) == {("DEC", "22442026R000000123")}


def _dxp(data: bytes, add_info: str) -> bytes:
    """A terminal node's DxpMsg (202205) around ``data``, with the AddInfo the enterprise client writes."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<dxp:DxpMsg ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp">
  <dxp:TransInfo>
    <dxp:CopMsgId>2B3C4D5E-6F7A-4B8C-9D0E-1F2A3B4C5D6E</dxp:CopMsgId>
    <dxp:SenderId>DXPENT0000000017</dxp:SenderId>
    <dxp:ReceiverIds><dxp:ReceiverId>DXPEDCCEB0000002</dxp:ReceiverId></dxp:ReceiverIds>
    <dxp:CreatTime>2026-12-02T09:15:05</dxp:CreatTime>
    <dxp:MsgType>CEB411Message</dxp:MsgType>
  </dxp:TransInfo>
  <dxp:Data>{base64.b64encode(data).decode("ascii")}</dxp:Data>
  <dxp:AddInfo>{add_info}</dxp:AddInfo>
</dxp:DxpMsg>""".encode()


def test_a_dxp_envelope_with_the_clients_ic_card_and_text_charset_is_opened():
    add_info = (
        "<dxp:FileName>CEB411_LHPAY2026120200017.xml</dxp:FileName><dxp:IcCard>8930000012345</dxp:IcCard>"
        '<dxp:IsText Encode="UTF-8"/><dxp:RecMapId>LH01</dxp:RecMapId>'
    )
    event = only(_dxp(PAYMENT.encode("utf-8"), add_info))
    assert event["customsEventTypeCode"] == "DECL" and ("DEC", "LHPAY2026120200017") in refs(event)


def test_text_in_the_charset_the_envelope_names_is_read_in_it():
    body = PAYMENT.split("?>", 1)[1].replace("Zhang San", "张三").encode("gbk")  # no XML declaration of its own
    event = only(_dxp(body, '<dxp:IsText Encode="GBK"/>'))
    assert ("DEC", "LHPAY2026120200017") in refs(event)


def test_a_server_nodes_relay_of_a_dxp_envelope_is_opened_to_its_message():
    client = _dxp(PAYMENT.encode("utf-8"), "<dxp:IcCard>8930000012345</dxp:IcCard>").split(b"?>", 1)[1]
    relay = (
        b'<?xml version="1.0" encoding="UTF-8"?><dxp:DxpMsgSv ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp">'
        b'<dxp:SvNo Ver="1.0"><dxp:MsgId>DXPEDC01202612020915050000000017</dxp:MsgId>'
        b"<dxp:SendTime>2026-12-02T09:15:06</dxp:SendTime><dxp:EndNode>DXPEDC02</dxp:EndNode>"
        b"<dxp:StaNode>DXPEDC01</dxp:StaNode></dxp:SvNo>" + client + b"</dxp:DxpMsgSv>"
    )
    document = translate(relay)
    assert document["messages"][0]["type"] == "CEB411" and document["messages"][0]["sender"] == "3120960001"
    assert ("DEC", "LHPAY2026120200017") in refs(document["events"][0])


def test_a_relays_sender_and_reference_are_the_clients():
    from edi.envelope import identify

    client = _dxp(PAYMENT.encode("utf-8"), "<dxp:IcCard>8930000012345</dxp:IcCard>").split(b"?>", 1)[1]
    relay = b'<dxp:DxpMsgSv ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp">' + client + b"</dxp:DxpMsgSv>"
    envelope = identify(relay)
    assert (envelope.sender, envelope.control_reference) == ("DXPENT0000000017", "2B3C4D5E-6F7A-4B8C-9D0E-1F2A3B4C5D6E")


def test_a_cds_cancellation_naming_only_the_mrn_is_a_cancellation_of_that_declaration():
    body = EXPORT_DECLARATION.replace("<FunctionCode>9</FunctionCode>", "<FunctionCode>13</FunctionCode>")
    body = body.replace("<FunctionalReferenceID>LHEX2612010001</FunctionalReferenceID>", "<ID>26GBLH000000123456</ID>")
    body = body.replace("<TypeCode>EXD</TypeCode>", "<TypeCode>INV</TypeCode>")
    document = translate(body.encode("utf-8"))
    assert document["messages"][0]["reference"] == "26GBLH000000123456"
    [event] = document["events"]
    assert event["customsEventTypeCode"] == "CNCL" and ("DEC", "26GBLH000000123456") in refs(event)
