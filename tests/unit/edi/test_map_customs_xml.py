"""Customs XML -> canonical events: every sample translates, and its events say what the message means.

Fixtures in ``tests/fixtures/customs/`` always run; the samples whose licence keeps them out of
the repository (CEB: GPL-3.0; NCTS, ICS, inspection: no licence found) are read from
``../shared/samples/customs/`` and skipped without it.
"""

from pathlib import Path

import pytest

from edi.translate import translate_file
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "customs"
SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples" / "customs"
needs_shared = pytest.mark.skipif(not SAMPLES.exists(), reason="../shared/samples/customs not present")


def translate(path: Path) -> dict:
    document = translate_file(path)
    assert problems_of(document["events"]) == [], "every event is valid under the canonical JSON Schema"
    assert [m["status"] for m in document["messages"]] == ["accepted"], document["errors"]
    return document


def only(document: dict) -> dict:
    assert len(document["events"]) == 1, document["events"]
    return document["events"][0]


def refs(event: dict) -> set[tuple[str, str]]:
    return {(r["documentReferenceType"], r["documentReferenceValue"]) for r in event.get("documentReferences", ())}


def test_an_mt1101_manifest_is_one_decl_per_bill_with_its_containers_vessel_and_voyage():
    document = translate(FIXTURES / "MT1101_original.xml")
    message = document["messages"][0]
    assert (message["type"], message["function"], message["role"]) == ("MT1101", "9", "cargo")
    assert message["reference"] == "TESTCARRIER_MT1101_20261125080000001"
    bills = {next(v for t, v in refs(e) if t == "TRD"): e for e in document["events"]}
    assert set(bills) == {"LGHB2611001", "LGHB2611002"}
    event = bills["LGHB2611002"]
    assert event["customsEventTypeCode"] == "DECL" and event["eventType"] == "CUSTOMS"
    assert event["equipmentReference"] == "TGHU7654320"
    assert event["transportCall"]["vessel"]["vesselIMONumber"] == "9321483"
    assert event["transportCall"]["carrierVoyageNumber"] == "047E"
    assert ("MAN", "MT1101-UN9321483-047E") in refs(event)
    assert event["customsAuthority"] == "2248"  # the customs office written after the port (CNSHA/2248)
    assert event["eventDateTime"] == "2026-11-25T08:00:00+08:00"
    assert event["source"]["position"]["path"].startswith("/Manifest/Declaration/Consignment")
    assert event["source"]["position"]["line"] > 1


def test_a_deletion_of_a_manifest_is_a_cancellation():
    body = (FIXTURES / "MT1101_original.xml").read_bytes().replace(b"<FunctionCode>9<", b"<FunctionCode>3<")
    from edi.customs_xml import translate_xml

    events = translate_xml(body).document["events"]
    assert {e["customsEventTypeCode"] for e in events} == {"CNCL"}


@pytest.mark.parametrize(
    ("name", "kind", "code", "container", "when"),
    [
        ("MT4101_loading.xml", "EQUIPMENT", "LOAD", "OOLU1002005", "2026-11-28T00:00:00+08:00"),
        ("MT5101_tally.xml", "EQUIPMENT", "DISC", "MSKU1234565", "2026-11-26T11:59:00+08:00"),
        ("MT5102_tally.xml", "EQUIPMENT", "LOAD", "OOLU1002005", "2026-11-26T11:59:00+08:00"),
    ],
)
def test_the_manifest_reports_of_moves_are_moves(name, kind, code, container, when):
    event = only(translate(FIXTURES / name))
    assert (event["eventType"], event.get("equipmentEventTypeCode") or event.get("transportEventTypeCode")) == (
        kind,
        code,
    )
    assert event.get("equipmentReference") == container
    assert event["eventDateTime"] == when
    assert event["transportCall"]["UNLocationCode"] == "CNSHA"
    assert event["transportCall"]["vessel"]["vesselName"] == "LOGIHUB PIONEER"


def test_a_tally_names_the_container_full_or_empty_and_its_size_type():
    event = only(translate(FIXTURES / "MT5101_tally.xml"))
    assert (event["ISOEquipmentCode"], event["emptyIndicatorCode"]) == ("45G1", "LADEN")


@pytest.mark.parametrize(("fullness", "empty"), [("8", "LADEN"), ("7", "LADEN"), ("4", "EMPTY"), ("5", "LADEN")])
def test_an_arrival_report_reads_every_loaded_status_the_terminals_write(tmp_path, fullness, empty):
    """Data element 154 is UN/EDIFACT 8169: terminals write 8 for a full container (FCL), 7 for LCL, 4 empty."""
    body = (
        '<Manifest xmlns="urn:Declaration:datamodel:standard:CN:MT3101:1"><Head><MessageID>CN_MT3101_1p0_T_1</MessageID>'
        "<FunctionCode>2</FunctionCode><MessageType>MT3101</MessageType><SenderID>2248TERMINAL01</SenderID>"
        "<ReceiverID>2248</ReceiverID><SendTime>20261126070000001</SendTime><Version>1.0</Version></Head>"
        "<Declaration><DeclarationOfficeID>2248</DeclarationOfficeID><BorderTransportMeans><JourneyID>047E</JourneyID>"
        "<TypeCode>1</TypeCode><ID>UN9321483</ID><Name>LOGIHUB PIONEER</Name></BorderTransportMeans>"
        "<UnloadingLocation><ID>CNSHA/2248</ID><ArrivalDate>20261126</ArrivalDate></UnloadingLocation>"
        "<TransportEquipment><EquipmentIdentification><ID>MSKU1234565</ID></EquipmentIdentification>"
        f"<CharacteristicCode>22G1</CharacteristicCode><FullnessCode>{fullness}</FullnessCode></TransportEquipment>"
        "</Declaration></Manifest>"
    )
    path = tmp_path / "MT3101.xml"
    path.write_text(body)
    event = only(translate(path))
    assert (event["equipmentReference"], event["emptyIndicatorCode"]) == ("MSKU1234565", empty)


@pytest.mark.parametrize(
    ("name", "code", "registration"),
    [
        ("01_DMSACC.xml", "ACPT", "19GBCKKCQSXV2FGVA8"),
        ("02_DMSRCV.xml", "RCVD", None),
        ("03_DMSREJ.xml", "RJCT", None),
        ("05_DMSCTL.xml", "INSP", None),
        ("07_DMSRES.xml", "AMND", "19GBCKKCQSXV2FGVA8"),
        ("09_DMSCLE.xml", "RLSD", None),
        ("15_DMSCPR.xml", "DOCR", None),
    ],
)
def test_dms_notifications_are_the_authoritys_decisions(name, code, registration):
    document = translate(FIXTURES / name)
    assert document["messages"][0]["role"] == "answer"
    event = only(document)
    assert event["customsEventTypeCode"] == code
    assert event["customsAuthority"] == "GB-CDS"
    assert event["eventDateTime"].endswith("+00:00")
    if registration:
        assert ("DEC", registration) in refs(event)


def test_a_dms_rejection_carries_the_validation_codes_as_reasons():
    event = only(translate(FIXTURES / "03_DMSREJ.xml"))
    assert event["reasons"] and all(r.get("code") for r in event["reasons"])


def test_a_wco_declaration_is_a_decl_naming_the_lrn_and_containers():
    event = only(translate(FIXTURES / "WCO_DEC_import.xml"))
    assert event["customsEventTypeCode"] == "DECL"
    assert ("DEC", "LRN26BROKER0001") in refs(event)
    assert event["equipmentReferences"]


def test_hmrcs_annotated_import_declaration_translates():
    event = only(translate(FIXTURES / "Step1_TT_IM001a.xml"))
    assert ("DEC", "7847767E1WB6") in refs(event) and event["equipmentReference"] == "AD12345"


@needs_shared
def test_the_public_mt1101_with_a_mangled_namespace_is_read_in_its_own():
    document = translate(SAMPLES / "china-manifest" / "MT1101_original_manifest.xml")
    assert any(w["code"] == "XML_NAMESPACE" for w in document["messages"][0]["warnings"])
    event = only(document)
    assert ("TRD", "RK1746ALOC") in refs(event)
    assert "MSCU3218780" in event["equipmentReferences"]
    assert event["transportCall"]["vessel"] == {"vesselIMONumber": "9204972", "vesselName": "SPIRIT OF MANILA"}
    assert event["eventDateTime"] == "2017-11-20T15:30:58+08:00"
    assert event["customsAuthority"] == "6014"


@needs_shared
def test_cross_border_orders_inventories_and_receipts():
    order = translate(SAMPLES / "china-ceb" / "CEB311Message.xml")
    assert {e["customsEventTypeCode"] for e in order["events"]} == {"DECL"}
    assert ("CTR", "order20160321116421002") in refs(order["events"][0])
    receipt = only(translate(SAMPLES / "china-ceb" / "CEB312Message.xml"))
    assert receipt["customsEventTypeCode"] == "RCVD" and ("CTR", "order20160321116420545") in refs(receipt)
    inventory = translate(SAMPLES / "china-ceb" / "CEB621Message.xml")
    assert ("TRD", "B00024204007") in refs(inventory["events"][0])
    assert inventory["events"][0]["customsAuthority"] == "3700"
    signed = only(translate(SAMPLES / "china-ceb" / "CEB621Message_signed.xml"))
    assert signed["customsEventTypeCode"] == "DECL"


@needs_shared
def test_ncts_and_ics_declarations_name_their_lrn_and_office():
    transit = only(translate(SAMPLES / "ncts" / "cc015c-valid.xml"))
    assert ("DEC", "DHbrfgDQJRm") in refs(transit) and transit["customsAuthority"] == "GB3KMA8M"
    assert transit["eventDateTime"] == "2022-07-02T03:11:04+00:00"
    entry = only(translate(SAMPLES / "ics" / "CC315A_full.xml"))
    assert ("DEC", "refnum") in refs(entry) and entry["eventDateTime"] == "2003-02-11T12:34:00+00:00"
    assert only(translate(SAMPLES / "ics" / "errorResponse.xml"))["reasons"][0]["code"] == "4065"
    assert only(translate(SAMPLES / "ics" / "validResponse.xml"))["customsEventTypeCode"] == "RCVD"


@needs_shared
def test_an_agencys_request_and_decision():
    request = only(translate(SAMPLES / "inspection" / "ClearanceRequestSoap.xml"))
    assert request["customsEventTypeCode"] == "DECL" and ("DEC", "24DSW01TST9009AR63") in refs(request)
    assert request["eventDateTime"] == "2013-10-18T16:55:00+01:00"
    decision = only(translate(SAMPLES / "inspection" / "ClearanceDecisionSoap.xml"))
    assert decision["customsEventTypeCode"] == "RLSD" and decision["customsAuthority"] == "ALVS"
    assert ("DEC", "MRN123") in refs(decision)
    assert {r["code"] for r in decision["reasons"]} == {"C02"}


def test_the_same_fact_gives_the_same_event_id_every_time():
    first = translate(FIXTURES / "MT4101_loading.xml")["events"]
    again = translate(FIXTURES / "MT4101_loading.xml")["events"]
    assert [e["eventID"] for e in first] == [e["eventID"] for e in again]


def test_a_tally_gives_the_containers_stowage_position():
    from edi.customs_xml import translate_xml

    body = (
        (FIXTURES / "MT5102_tally.xml")
        .read_bytes()
        .replace(
            b"</TransportEquipment>",
            b"<TransportMeans><StowageLocationID>0120382</StowageLocationID></TransportMeans></TransportEquipment>",
        )
    )
    document = translate_xml(body).document
    assert document["messages"][0]["status"] == "accepted", document["errors"]
    assert [e["stowagePosition"] for e in document["events"]] == ["0120382"]


def test_the_registry_lists_every_customs_family():
    from edi.mappings import supported_types

    xml = set(supported_types("XML"))
    assert {"MT1101", "MT2101", "MT3101", "MT4101", "MT5101", "MT5102", "MT9999"} <= xml
    assert {"MT1201", "MT2201", "MT3201", "MT6101", "MT7101", "MT8105", "MT8105-RESPONSE", "MTECIM"} <= xml
    assert {"CEB311", "CEB312", "CEB621", "CEB622", "DEC", "RES", "CC015C", "CC928C", "CC315A"} <= xml
    assert {"ALVSClearanceRequest", "DecisionNotification"} <= xml
    assert "CODECO" not in xml and "MT1101" not in supported_types()
