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


#: an inspection agency's decision as ALVS posts it: the notification escaped as text inside the
#: service's same-named wrapper (``&lt;NS2:DecisionNotification ...``), not as child elements
ESCAPED_DECISION = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<NS1:Envelope xmlns:NS1="http://www.w3.org/2003/05/soap-envelope"><NS1:Header/><NS1:Body>'
    b'<NS3:DecisionNotification xmlns:NS3="http://uk.gov.hmrc.ITSW2.ws">'
    b"&lt;NS2:DecisionNotification xmlns:NS2=&quot;http://www.hmrc.gov.uk/webservices/itsw/ws/decisionnotification&quot;&gt;"
    b"&lt;NS2:ServiceHeader&gt;&lt;NS2:SourceSystem&gt;ALVS&lt;/NS2:SourceSystem&gt;"
    b"&lt;NS2:DestinationSystem&gt;CDS&lt;/NS2:DestinationSystem&gt;&lt;NS2:CorrelationId&gt;LH4711&lt;/NS2:CorrelationId&gt;"
    b"&lt;NS2:ServiceCallTimestamp&gt;2026-11-27T14:20:00.000&lt;/NS2:ServiceCallTimestamp&gt;&lt;/NS2:ServiceHeader&gt;"
    b"&lt;NS2:Header&gt;&lt;NS2:EntryReference&gt;26GB5LH0000000AB12&lt;/NS2:EntryReference&gt;"
    b"&lt;NS2:EntryVersionNumber&gt;2&lt;/NS2:EntryVersionNumber&gt;&lt;NS2:DecisionNumber&gt;1&lt;/NS2:DecisionNumber&gt;"
    b"&lt;/NS2:Header&gt;&lt;NS2:Item&gt;&lt;NS2:ItemNumber&gt;1&lt;/NS2:ItemNumber&gt;&lt;NS2:Check&gt;"
    b"&lt;NS2:CheckCode&gt;H219&lt;/NS2:CheckCode&gt;&lt;NS2:DecisionCode&gt;H01&lt;/NS2:DecisionCode&gt;"
    b"&lt;NS2:DecisionReason&gt;Awaiting documentary check&lt;/NS2:DecisionReason&gt;"
    b"&lt;/NS2:Check&gt;&lt;/NS2:Item&gt;&lt;/NS2:DecisionNotification&gt;"
    b"</NS3:DecisionNotification></NS1:Body></NS1:Envelope>"
)


def test_an_agency_decision_sent_escaped_in_its_wrapper_is_read_as_the_decision():
    document = translate(ESCAPED_DECISION)
    assert document["messages"][0]["type"] == "DecisionNotification"
    [event] = document["events"]
    assert event["customsEventTypeCode"] == "HOLD" and event["customsAuthority"] == "ALVS"
    assert refs(event) == {("DEC", "26GB5LH0000000AB12")}
    assert event["eventDateTime"] == "2026-11-27T14:20:00+00:00"
    assert event["reasons"] == [{"code": "H01", "text": "item 1 H219: Awaiting documentary check"}]


def test_escaped_text_that_is_no_message_of_the_wrappers_name_is_not_unwrapped():
    body = ESCAPED_DECISION.replace(b"&lt;NS2:DecisionNotification ", b"&lt;NS2:Other ").replace(
        b"&lt;/NS2:DecisionNotification&gt;", b"&lt;/NS2:Other&gt;"
    )
    document = translate_xml(body).document
    assert document["messages"][0]["status"] == "rejected" and document["events"] == []


def _receipt(message_type: str, function_code: str, code: str, text: str, means: tuple[str, str]) -> bytes:
    """A manifest receipt as the authority sends it: its head names the type it answers, not MT9999."""
    journey, ident = means
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Manifest><Head><MessageID>2248_{message_type}_20261203075451211</MessageID><FunctionCode>{function_code}</FunctionCode>
<MessageType>{message_type}</MessageType><SenderID>2248</SenderID><ReceiverID>3101000000001</ReceiverID>
<SendTime>20261203075451211</SendTime><Version>1.0</Version></Head>
<Response><BorderTransportMeans><JourneyID>{journey}</JourneyID><ID>{ident}</ID></BorderTransportMeans>
<Consignment><TransportContractDocument><ID>LGHB2611001</ID></TransportContractDocument>
<ResponseType><Code>{code}</Code><Text>{text}</Text></ResponseType></Consignment></Response></Manifest>""".encode()


def test_a_receipt_naming_the_type_it_answers_is_read_as_a_receipt():
    body = _receipt("MT2101", "11", "01", "21301 预配舱单主要数据传输成功。", ("047E", "UN9321483"))
    document = translate(body)
    message = document["messages"][0]
    assert (message["type"], message["role"], message["function"]) == ("MT2101-RESPONSE", "answer", "11")
    [event] = document["events"]
    assert event["customsEventTypeCode"] == "ACPT"
    assert refs(event) == {("TRD", "LGHB2611001"), ("MAN", "MT2101-UN9321483-047E")}  # as the manifest's events
    assert event["transportCall"]["vessel"]["vesselIMONumber"] == "9321483"
    assert event["reasons"] == [{"code": "01", "text": "21301 预配舱单主要数据传输成功。"}]
    assert event["eventDateTime"] == "2026-12-03T07:54:51+08:00" and event["customsAuthority"] == "2248"


def test_a_returned_bill_of_an_air_receipt_is_a_rejection_on_the_flight():
    event = translate(_receipt("MT2201", "2", "03", "22302 退单", ("CA1043", "B2447")))["events"][0]
    assert event["customsEventTypeCode"] == "RJCT"
    assert event["transportCall"] == {"modeOfTransport": "AIR", "carrierVoyageNumber": "CA1043"}
    assert ("MAN", "MT2201-CA1043") in refs(event)  # a flight's manifest: type and flight, no aircraft


def test_a_transfer_checks_answer_is_still_not_a_receipt():
    body = (FIXTURES / "china-manifest" / "MT8105_transfer_check_response.xml").read_bytes()
    assert translate(body)["messages"][0]["type"] == "MT8105-RESPONSE"


def test_a_receipt_per_house_bill_names_each_house_bill():
    bills = "".join(
        f"<Consignment><TransportContractDocument><ID>LGHB2611001</ID></TransportContractDocument>"
        f"<AssociatedTransportDocument><ID>{house}</ID></AssociatedTransportDocument>"
        f"<ResponseType><Code>{code}</Code><Text>{said}</Text></ResponseType></Consignment>"
        for house, code, said in (("HB001", "01", "21301 传输成功"), ("HB002", "03", "21302 退单"))
    )
    body = _receipt("MT2101", "2", "01", "x", ("047E", "UN9321483")).replace(
        b"<Consignment>", bills.encode() + b"<Consignment>", 1
    )
    found = sorted(
        (e["customsEventTypeCode"], sorted(refs(e) - {("MAN", "MT2101-UN9321483-047E")}))
        for e in translate(body)["events"]
    )
    assert found == [
        ("ACPT", [("TRD", "HB001"), ("TRD", "LGHB2611001")]),
        ("ACPT", [("TRD", "LGHB2611001")]),  # the master bill's own answer
        ("RJCT", [("TRD", "HB002"), ("TRD", "LGHB2611001")]),
    ]


def test_a_receipt_with_an_empty_house_bill_answers_the_master_bill():
    """The authority writes an empty AssociatedTransportDocument on its answer about a master bill."""
    body = _receipt("MT2101", "2", "01", "21301 传输成功", ("047E", "UN9321483")).replace(
        b"</TransportContractDocument>",
        b"</TransportContractDocument><AssociatedTransportDocument><ID></ID></AssociatedTransportDocument>",
        1,
    )
    [event] = translate(body)["events"]
    assert event["customsEventTypeCode"] == "ACPT"
    assert refs(event) == {("TRD", "LGHB2611001"), ("MAN", "MT2101-UN9321483-047E")}


def test_a_receipt_releasing_one_bill_and_forbidding_the_discharge_of_another_holds_the_second():
    """The bill receipt types after acceptance: 11 released (提运单放行), 12 refused loading, 13 forbidden discharge."""
    bills = "".join(
        f"<Consignment><TransportContractDocument><ID>{bill}</ID></TransportContractDocument>"
        f"<ResponseType><Code>{code}</Code><Text>{said}</Text></ResponseType></Consignment>"
        for bill, code, said in (("LGHB2611002", "11", "提运单放行"), ("LGHB2611003", "13", "禁卸"))
    )
    body = _receipt("MT1101", "2", "02", "传输待人工审核", ("047E", "UN9321483")).replace(
        b"<Consignment>", bills.encode() + b"<Consignment>", 1
    )
    found = {(e["customsEventTypeCode"], next(v for t, v in refs(e) if t == "TRD")) for e in translate(body)["events"]}
    assert found == {("RLSD", "LGHB2611002"), ("HOLD", "LGHB2611003"), ("DOCR", "LGHB2611001")}


def test_an_answer_from_the_office_of_destination_names_that_office():
    body = b"""<?xml version="1.0" encoding="UTF-8"?>
<ncts:CC025C xmlns:ncts="http://ncts.dgtaxud.ec" PhaseID="NCTS5.1">
  <messageSender>NTA.DE</messageSender>
  <messageRecipient>DE123456789012345</messageRecipient>
  <preparationDateAndTime>2026-11-30T13:05:00</preparationDateAndTime>
  <messageIdentification>DECC025C0001</messageIdentification>
  <messageType>CC025C</messageType>
  <TransitOperation>
    <MRN>26NL000510TR0042K1</MRN>
    <releaseDate>2026-11-30</releaseDate>
    <releaseIndicator>1</releaseIndicator>
  </TransitOperation>
  <CustomsOfficeOfDestinationActual>
    <referenceNumber>DE004058</referenceNumber>
  </CustomsOfficeOfDestinationActual>
  <TraderAtDestination>
    <identificationNumber>DE123456789012345</identificationNumber>
  </TraderAtDestination>
</ncts:CC025C>"""
    event = translate(body)["events"][0]
    assert event["customsEventTypeCode"] == "RLSD" and event["customsAuthority"] == "DE004058"
    assert refs(event) == {("DEC", "26NL000510TR0042K1")}
    assert event["eventDateTime"] == "2026-11-30T13:05:00+00:00"


def test_a_receipts_manifest_reference_is_the_one_the_manifests_own_events_carry():
    manifest = translate((FIXTURES / "MT2101_preallocated.xml").read_bytes())["events"][0]
    [man] = [r for r in refs(manifest) if r[0] == "MAN"]
    _type, vessel, voyage = man[1].split("-", 2)
    receipt = translate(_receipt("MT2101", "2", "01", "21301", (voyage, vessel)))["events"][0]
    assert man in refs(receipt)
