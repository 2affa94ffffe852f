"""Hostile and broken customs XML: a clear error with its line, never an expansion, a fetch or a crash."""

import base64
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi.customs_xml import translate_xml
from edi.exceptions import NotAMessage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "customs"
TALLY = (FIXTURES / "MT5101_tally.xml").read_bytes()


def error_of(body: bytes) -> dict:
    document = translate_xml(body).document
    assert document["events"] == []
    assert document["messages"][0]["status"] == "rejected"
    return document["errors"][0]


def test_an_external_entity_is_refused_not_fetched():
    body = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><Manifest>&x;</Manifest>'
    error = error_of(body)
    assert error["code"] in ("XML_DTD", "XML_SYNTAX") and "root:" not in error["message"]


def test_an_external_dtd_is_refused():
    body = b'<?xml version="1.0"?><!DOCTYPE Manifest SYSTEM "http://127.0.0.1:9/x.dtd"><Manifest/>'
    assert error_of(body)["code"] in ("XML_DTD", "XML_SYNTAX")


def test_a_billion_laughs_is_refused_without_expanding():
    lol = b"".join(b'<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;">' % (i, i - 1, i - 1, i - 1, i - 1) for i in range(1, 10))
    body = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY l0 "lol">' + lol + b"]><Manifest>&l9;</Manifest>"
    assert error_of(body)["code"] in ("XML_DTD", "XML_SYNTAX")


def test_a_document_nested_too_deep_is_refused_with_its_line():
    body = b"<Manifest>" + b"<a>" * 200 + b"</a>" * 200 + b"</Manifest>"
    error = error_of(body)
    assert error["code"] == "XML_TOO_DEEP" and error["position"]["line"] == 1


def test_a_truncated_manifest_names_the_line_where_it_broke():
    error = error_of(TALLY[: len(TALLY) // 2])
    assert error["code"] == "XML_SYNTAX" and error["position"]["line"] > 1


def test_a_manifest_in_the_wrong_encoding_is_refused():
    body = TALLY.replace(b"TALLYCO</ID>", "理货公司</ID>".encode("gbk"))
    assert error_of(body)["code"] == "XML_SYNTAX"


def test_a_schema_error_names_the_element_and_gets_a_receipt():
    body = TALLY.replace(b"<JourneyID>047E</JourneyID>", b"")
    translation = translate_xml(body)
    error = translation.document["errors"][0]
    assert error["code"] == "XML_SCHEMA"
    assert error["position"]["path"].startswith("/Manifest/Declaration/BorderTransportMeans")
    receipt = translation.acknowledgements[0]
    assert receipt["type"] == "RECEIPT" and receipt["format"] == "xml"
    assert "<Path>/Manifest/Declaration/BorderTransportMeans" in receipt["body"]
    assert "TALLYCO_MT5101_20261126120000001" in receipt["body"]


@pytest.mark.parametrize("body", [b"", b"   ", b"\x00\x01binary", b"PK\x03\x04zip", b"hello", b'{"json": 1}'])
def test_what_is_not_xml_at_all_is_not_a_message(body):
    with pytest.raises(NotAMessage):
        translate_xml(body)


def test_an_unknown_xml_document_is_rejected_as_an_unknown_type():
    error = error_of(b"<Invoice><Total>1</Total></Invoice>")
    assert error["code"] == "UNKNOWN_TYPE"


def _dxp(data: bytes) -> bytes:
    return (
        b'<dxp:DxpMsg xmlns:dxp="http://www.chinaport.gov.cn/dxp" ver="1.0"><dxp:TransInfo>'
        b"<dxp:CopMsgId>ENV1</dxp:CopMsgId><dxp:SenderId>TALLYCO</dxp:SenderId><dxp:ReceiverIds>"
        b"<dxp:ReceiverId>EPORT</dxp:ReceiverId></dxp:ReceiverIds><dxp:CreatTime>2026-11-26T12:00:00</dxp:CreatTime>"
        b"<dxp:MsgType>MT5101</dxp:MsgType></dxp:TransInfo><dxp:Data>"
        + base64.b64encode(data)
        + b"</dxp:Data></dxp:DxpMsg>"
    )


def test_a_manifest_inside_a_dxp_envelope_is_read_plain_or_zipped():
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("MT5101.xml", TALLY)
    for data in (TALLY, zipped.getvalue()):
        document = translate_xml(_dxp(data)).document
        assert [e["equipmentEventTypeCode"] for e in document["events"]] == ["DISC"], document["errors"]


def test_a_zip_bomb_in_a_dxp_envelope_is_refused():
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.xml", b"<" + b"a" * (65 * 1024 * 1024))
    error = error_of(_dxp(zipped.getvalue()))
    assert error["code"] == "XML_ENVELOPE"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.integers(min_value=0, max_value=len(TALLY)))
def test_any_bytes_spliced_into_a_manifest_give_a_document_or_not_a_message(noise, at):
    body = TALLY[:at] + noise + TALLY[at:]
    try:
        document = translate_xml(body).document
    except NotAMessage:
        return
    assert set(document) >= {"messages", "events", "errors"}
    for message in document["messages"]:
        assert message["status"] in ("accepted", "rejected")
    for error in document["errors"]:
        assert error["code"] and error["message"]


containers = st.lists(
    st.tuples(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3), st.integers(0, 999999)),
    min_size=1,
    max_size=12,
    unique=True,
)


@settings(max_examples=60, deadline=None)
@given(containers)
def test_every_container_of_a_loading_manifest_is_one_load_event(boxes):
    from stdnum import iso6346

    numbers = [f"{owner}U{serial:06d}" for owner, serial in boxes]
    numbers = [n + iso6346.calc_check_digit(n) for n in numbers]
    equipment = b"".join(
        b"<TransportEquipment><EquipmentIdentification><ID>%s</ID></EquipmentIdentification>"
        b"<CharacteristicCode>45G1</CharacteristicCode><FullnessCode>5</FullnessCode></TransportEquipment>" % n.encode()
        for n in numbers
    )
    loading = (FIXTURES / "MT4101_loading.xml").read_bytes()
    start = loading.index(b"<TransportEquipment>")
    end = loading.rindex(b"</TransportEquipment>") + len(b"</TransportEquipment>")
    document = translate_xml(loading[:start] + equipment + loading[end:]).document
    assert document["messages"][0]["status"] == "accepted", document["errors"]
    assert sorted(e["equipmentReference"] for e in document["events"]) == sorted(set(numbers))
    assert {e["equipmentEventTypeCode"] for e in document["events"]} == {"LOAD"}
    assert len({e["eventID"] for e in document["events"]}) == len(set(numbers))


def test_an_oversized_text_node_is_refused_at_its_line():
    body = TALLY.replace(b"<ID>TALLYCO</ID>", b"<ID>" + b"A" * (11 * 1024 * 1024) + b"</ID>")
    error = error_of(body)
    assert error["code"] == "XML_SYNTAX" and "too long" in error["message"] and error["position"]["line"] > 1


def test_a_file_over_the_translation_limit_is_not_a_message(tmp_path, monkeypatch):
    from edi import translate

    path = tmp_path / "big.xml"
    path.write_bytes(TALLY)
    monkeypatch.setattr(translate, "MAX_BYTES", len(TALLY) - 1)
    with pytest.raises(NotAMessage, match="too large"):
        translate.translate_file(path)


FAMILY = sorted((FIXTURES / "china-manifest").glob("*.xml"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FAMILY), st.binary(max_size=200), st.floats(min_value=0, max_value=1))
def test_any_bytes_spliced_into_any_message_of_the_family_give_a_document_or_not_a_message(path, noise, where):
    body = path.read_bytes()
    at = int(len(body) * where)
    try:
        document = translate_xml(body[:at] + noise + body[at:]).document
    except NotAMessage:
        return
    assert document["messages"][0]["status"] in ("accepted", "rejected")
    for error in document["errors"]:
        assert error["code"] and error["message"]
    if document["messages"][0]["status"] == "rejected":
        assert document["events"] == []


@settings(max_examples=60, deadline=None)
@given(containers)
def test_every_container_of_a_distribution_arrival_report_is_one_gate_in(boxes):
    from stdnum import iso6346

    numbers = [f"{owner}U{serial:06d}" for owner, serial in boxes]
    numbers = [n + iso6346.calc_check_digit(n) for n in numbers]
    equipment = b"".join(
        b"<TransportEquipment><EquipmentIdentification><ID>%s</ID></EquipmentIdentification>"
        b"<CharacteristicCode>22G1</CharacteristicCode><FullnessCode>5</FullnessCode></TransportEquipment>" % n.encode()
        for n in numbers
    )
    report = (FIXTURES / "china-manifest" / "MT3102_distribute_arrival.xml").read_bytes()
    start = report.index(b"<TransportEquipment>")
    end = report.rindex(b"</TransportEquipment>") + len(b"</TransportEquipment>")
    document = translate_xml(report[:start] + equipment + report[end:]).document
    assert document["messages"][0]["status"] == "accepted", document["errors"]
    gate_ins = [e for e in document["events"] if e["eventType"] == "EQUIPMENT"]
    assert sorted(e["equipmentReference"] for e in gate_ins) == sorted(set(numbers))
    assert {e["equipmentEventTypeCode"] for e in gate_ins} == {"GTIN"}


waybills = st.lists(st.from_regex(r"\A[0-9]{3}-[0-9]{8}\Z"), min_size=1, max_size=15, unique=True)


@settings(max_examples=60, deadline=None)
@given(waybills)
def test_every_waybill_of_an_air_tally_is_one_lodgement_naming_it_and_the_flight(numbers):
    tally = (FIXTURES / "china-manifest" / "MT5201_air_tally.xml").read_bytes()
    start, end = tally.index(b"<Consignment>"), tally.rindex(b"</Consignment>") + len(b"</Consignment>")
    bills = b"".join(
        b"<Consignment><TransportContractDocument><ID>%s</ID></TransportContractDocument>"
        b"<ConsignmentPackaging><QuantityQuantity>1</QuantityQuantity></ConsignmentPackaging>"
        b"<TotalGrossMassMeasure>1</TotalGrossMassMeasure></Consignment>" % n.encode()
        for n in numbers
    )
    document = translate_xml(tally[:start] + bills + tally[end:]).document
    assert document["messages"][0]["status"] == "accepted", document["errors"]
    named = [next(r["documentReferenceValue"] for r in e["documentReferences"] if r["documentReferenceType"] == "TRD")
             for e in document["events"]]  # fmt: skip
    assert named == numbers
    assert {e["transportCall"]["carrierVoyageNumber"] for e in document["events"]} == {"CA1234"}
    assert len({e["eventID"] for e in document["events"]}) == len(numbers)


def test_an_oversized_attribute_is_refused_as_too_long_not_as_a_buffer_to_enlarge():
    body = TALLY.replace(b"<ID>TALLYCO</ID>", b'<ID x="' + b"A" * (11 * 1024 * 1024) + b'">TALLYCO</ID>')
    error = error_of(body)
    assert error["code"] == "XML_SYNTAX" and "too long" in error["message"] and error["position"]["line"] > 1
    assert "XML_PARSE_HUGE" not in error["message"]


def test_a_root_start_tag_longer_than_the_detected_head_says_so():
    body = (FIXTURES / "ncts" / "CC056C_published.xml").read_bytes()
    body = body.replace(b'PhaseID="NCTS5.1"', b'PhaseID="NCTS5.1" junk="' + b"A" * 70_000 + b'"')
    with pytest.raises(NotAMessage, match="start tag is longer than 65536 bytes"):
        translate_xml(body)
