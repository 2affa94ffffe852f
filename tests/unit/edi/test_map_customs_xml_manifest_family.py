"""The rest of China's new-manifest family (air manifests, arrival reports, tallies, applications) -> events.

Each fixture was written by us from the type's published XSD (tests/fixtures/customs/SOURCES.md);
``test_customs_xml_manifest_schemas.py`` checks them against the published schemas. The events
each type gives, and why, are in the docstrings of ``edi/mappings/xml/china_manifest/``.
"""

from pathlib import Path

import pytest

from edi.customs_xml import translate_xml
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "customs"
FAMILY = FIXTURES / "china-manifest"
SHIP = {"vessel": {"vesselIMONumber": "9321483", "vesselName": "LOGIHUB PIONEER"}, "modeOfTransport": "VESSEL"}
SHIP_ID = {"vessel": {"vesselIMONumber": "9321483"}, "modeOfTransport": "VESSEL"}


def translate(body: bytes) -> dict:
    document = translate_xml(body).document
    assert problems_of(document["events"]) == [], "every event is valid under the canonical JSON Schema"
    assert [m["status"] for m in document["messages"]] == ["accepted"], document["errors"]
    return document


def fields(event: dict) -> dict:
    """What a reader of the event relies on, field by field."""
    code = next(
        event[k] for k in ("customsEventTypeCode", "equipmentEventTypeCode", "transportEventTypeCode") if k in event
    )
    return {
        "what": f"{event['eventType']} {code} {event['eventClassifierCode']}",
        "at": event["eventDateTime"],
        "container": event.get("equipmentReference"),
        "containers": event.get("equipmentReferences"),
        "call": {k: v for k, v in (event.get("transportCall") or {}).items() if k != "transportCallID"} or None,
        "refs": [
            (r["documentReferenceType"], r["documentReferenceValue"]) for r in event.get("documentReferences", ())
        ],
        "authority": event.get("customsAuthority"),
    }


def decl(at: str, call: dict | None, refs: list, authority: str, container=None, containers=None) -> dict:
    what = "CUSTOMS DECL ACT"
    return {"what": what, "at": at, "container": container, "containers": containers, "call": call, "refs": refs,
            "authority": authority}  # fmt: skip


def flight(number: str, place: str | None = "CNPVG") -> dict:
    call = {"modeOfTransport": "AIR", "carrierVoyageNumber": number}
    return {"UNLocationCode": place, **call} if place else call


AWB = ("TRD", "999-12345675")
EXPECTED = {
    "MT1201_air_original.xml": [
        decl(
            "2026-11-27T08:00:00+08:00",
            flight("CA1234"),
            [("MAN", "MT1201-CA1234"), AWB, ("TRD", "LGHAWB0001")],
            "2233",
        ),
        decl(
            "2026-11-27T08:00:00+08:00", flight("CA1234"), [("MAN", "MT1201-CA1234"), ("TRD", "999-12345686")], "2233"
        ),
    ],
    "MT2201_air_preallocated.xml": [
        decl(
            "2026-11-27T08:00:00+08:00",
            flight("CA1234"),
            [("MAN", "MT2201-CA1234"), AWB, ("TRD", "LGHAWB0001")],
            "2233",
        ),
        decl(
            "2026-11-27T08:00:00+08:00", flight("CA1234"), [("MAN", "MT2201-CA1234"), ("TRD", "999-12345686")], "2233"
        ),
    ],
    "MT3201_air_arrival.xml": [
        decl(
            "2026-11-27T10:00:00+08:00",
            flight("CA1234"),
            [("MAN", "MT3201-CA1234"), AWB, ("TRD", "LGHAWB0001")],
            "2233",
        )
    ],
    "MT3202_air_distribute_arrival.xml": [
        decl(
            "2026-11-27T10:00:00+08:00",
            flight("CA1234"),
            [("MAN", "MT3202-CA1234"), AWB, ("TRD", "LGHAWB0001")],
            "2233",
        )
    ],
    "MT4201_air_loading.xml": [
        decl("2026-11-27T12:00:00+08:00", flight("CA1235"), [("MAN", "MT4201-CA1235"), ("TRD", "999-87654321")], "2233")
    ],
    "MT5201_air_tally.xml": [
        decl("2026-11-27T17:00:00+08:00", flight("CA1234"), [("MAN", "MT5201-CA1234"), AWB], "2233")
    ],
    "MT5202_air_tally.xml": [
        decl("2026-11-27T17:00:00+08:00", flight("CA1234"), [("MAN", "MT5202-CA1234"), AWB], "2233")
    ],
    "MT6101_distribution.xml": [
        decl(
            "2026-11-27T09:00:00+08:00",
            {"UNLocationCode": "CNSHA", **SHIP, "carrierVoyageNumber": "047E"},
            [("MAN", "MT6101-UN9321483-047E"), ("TRD", "LGHB2611001")],
            "2248",
        )  # fmt: skip
    ],
    "MT6102_dispatch.xml": [
        decl(
            "2026-11-27T09:00:00+08:00",
            {"UNLocationCode": "CNSHA", **SHIP, "carrierVoyageNumber": "047E"},
            [("MAN", "MT6102-UN9321483-047E"), ("TRD", "LGHB2611001")],
            "2248",
        )  # fmt: skip
    ],
    "MT6201_air_distribution.xml": [
        decl("2026-11-27T09:00:00+08:00", flight("CA1234"), [("MAN", "MT6201-CA1234"), AWB], "2233")
    ],
    "MT6202_air_dispatch.xml": [
        decl("2026-11-27T09:00:00+08:00", flight("CA1234"), [("MAN", "MT6202-CA1234"), AWB], "2233")
    ],
    "MT7101_packing_list.xml": [
        decl(
            "2026-11-28T08:00:00+08:00",
            {"UNLocationCode": "CNSHA", **SHIP, "carrierVoyageNumber": "048W"},
            [("MAN", "MT7101-UN9321483-048W"), ("TRD", "LGHX2611001")],
            "2248",
            "OOLU1002005",
            ["OOLU1002005"],
        ),
        decl(
            "2026-11-28T08:00:00+08:00",
            {"UNLocationCode": "CNSHA", **SHIP, "carrierVoyageNumber": "048W"},
            [("MAN", "MT7101-UN9321483-048W"), ("TRD", "LGHX2611002")],
            "2248",
            "OOLU1002005",
            ["OOLU1002005"],
        ),
    ],  # fmt: skip
    "MT8101_change_port.xml": [
        decl(
            "2026-11-27T09:00:00+08:00",
            {**SHIP_ID, "carrierVoyageNumber": "047E"},
            [("MAN", "MT8101-UN9321483-047E"), ("TRD", "LGHB2611001")],
            "2248",
        )  # fmt: skip
    ],
    "MT8201_air_change_port.xml": [
        decl("2026-11-27T09:00:00+08:00", flight("CA1234", None), [("MAN", "MT8201-CA1234"), AWB], "2233")
    ],
    "MT8102_off_load.xml": [
        decl(
            "2026-11-28T09:00:00+08:00",
            {**SHIP_ID, "carrierVoyageNumber": "048W"},
            [("MAN", "MT8102-UN9321483-048W"), ("TRD", "LGHX2611001"), ("TRD", "LGHX2611001H")],
            "2248",
        )  # fmt: skip
    ],
    "MT8202_air_off_load.xml": [
        decl(
            "2026-11-28T09:00:00+08:00",
            flight("CA1235", None),
            [("MAN", "MT8202-CA1235"), ("TRD", "999-87654321"), ("TRD", "999-87654321H")],
            "2233",
        )  # fmt: skip
    ],
    "MT8103_change_after_off_load.xml": [
        decl(
            "2026-11-29T09:00:00+08:00",
            {**SHIP_ID, "carrierVoyageNumber": "048W"},
            [("MAN", "MT8103-UN9321483-048W"), ("TRD", "LGHX2611001"), ("TRD", "LGHX2611901")],
            "2248",
            "OOLU1002005",
            ["OOLU1002005"],
        )  # fmt: skip
    ],
    "MT8203_air_change_after_off_load.xml": [
        decl(
            "2026-11-29T09:00:00+08:00",
            flight("CA1235", None),
            [("MAN", "MT8203-CA1235"), ("TRD", "999-87654321"), ("TRD", "999-87654332")],
            "2233",
        )  # fmt: skip
    ],
    "MT8104_change_transport.xml": [
        decl(
            "2026-11-27T19:00:00+08:00",
            {**SHIP_ID, "carrierVoyageNumber": "048W"},
            [("MAN", "MT8104-UN9321483-048W"), ("TRD", "LGHX2611001"), ("TRD", "LGHX2611901")],
            "2248",
        )  # fmt: skip
    ],
    "MT8204_air_change_transport.xml": [
        decl(
            "2026-11-27T19:00:00+08:00",
            flight("CA1235", None),
            [("MAN", "MT8204-CA1235"), ("TRD", "999-87654321"), ("TRD", "999-87654332")],
            "2233",
        )  # fmt: skip
    ],
    "MT8105_transfer_check.xml": [
        decl(
            "2026-11-27T20:00:00+08:00",
            None,
            [("TRD", "LGHB2611001"), ("TRD", "LGHX2611777")],
            "2248",
            None,
            ["MSKU1234565", "CSQU3054383"],
        )  # fmt: skip
    ],
    "MT8205_air_transfer_check.xml": [decl("2026-11-27T20:00:00+08:00", None, [AWB, ("TRD", "999-55555555")], "2233")],
    "MTECIM_empty_import.xml": [
        decl(
            "2026-11-27T09:00:00+08:00",
            {**SHIP_ID, "carrierVoyageNumber": "047E"},
            [("MAN", "MTECIM-UN9321483-047E"), ("TRD", "LGHE2611001")],
            "2248",
        )  # fmt: skip
    ],
    "MTECEX_empty_export.xml": [
        decl(
            "2026-11-28T09:00:00+08:00",
            {**SHIP_ID, "carrierVoyageNumber": "048W"},
            [("MAN", "MTECEX-UN9321483-048W"), ("TRD", "LGHE2611002")],
            "2248",
        )  # fmt: skip
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_type_states_what_its_standard_says_field_by_field(name):
    body = (FAMILY / name).read_bytes()
    document = translate(body)
    message = document["messages"][0]
    assert (message["type"], message["role"], message["warnings"]) == (name.split("_")[0], "cargo", [])
    assert message["reference"] and message["sender"] and message["recipient"]
    assert [fields(e) for e in document["events"]] == EXPECTED[name]
    for event in document["events"]:
        assert event["source"]["messageReference"] == message["reference"][:35]  # the source keeps 35
        assert event["source"]["position"]["line"] > 1


def test_an_air_waybill_names_the_flight_and_no_vessel():
    document = translate((FAMILY / "MT1201_air_original.xml").read_bytes())
    for event in document["events"]:
        call = event["transportCall"]
        assert call["modeOfTransport"] == "AIR" and call["carrierVoyageNumber"] == "CA1234"
        assert "vessel" not in call and "equipmentReference" not in event  # B2447 is an aircraft, not an IMO number
    assert {p["partyFunction"] for p in document["events"][0]["parties"]} == {"CA", "CN"}


def test_an_export_arrival_report_is_each_containers_gate_in_and_each_bills_lodgement():
    document = translate((FIXTURES / "MT3101_arrival.xml").read_bytes())
    gate_in, lodged = document["events"]
    assert fields(gate_in) == {
        "what": "EQUIPMENT GTIN ACT",
        "at": "2026-11-26T00:00:00+08:00",
        "container": "MSKU1234565",
        "containers": None,
        "call": {"UNLocationCode": "CNSHA", **SHIP, "carrierVoyageNumber": "047E"},
        "refs": [("MAN", "MT3101-UN9321483-047E")],
        "authority": None,
    }
    assert (gate_in["ISOEquipmentCode"], gate_in["emptyIndicatorCode"]) == ("45G1", "LADEN")
    assert fields(lodged)["what"] == "CUSTOMS DECL ACT" and ("TRD", "LGHB2611001") in fields(lodged)["refs"]
    assert not [e for e in document["events"] if e["eventType"] == "TRANSPORT"], (
        "the report says nothing of the ship's arrival"
    )


def test_a_distribution_arrival_report_gates_in_every_container_at_the_depot():
    document = translate((FAMILY / "MT3102_distribute_arrival.xml").read_bytes())
    moves = [fields(e) for e in document["events"] if e["eventType"] == "EQUIPMENT"]
    assert [(m["what"], m["container"]) for m in moves] == [
        ("EQUIPMENT GTIN ACT", "MSKU1234565"),
        ("EQUIPMENT GTIN ACT", "TGHU7654320"),
    ]
    call = {"UNLocationCode": "CNSHA", "facilityCode": "510088", **SHIP, "carrierVoyageNumber": "047E"}
    assert {m["at"] for m in moves} == {"2026-11-27T00:00:00+08:00"} and moves[0]["call"] == call
    (lodged,) = [fields(e) for e in document["events"] if e["eventType"] == "CUSTOMS"]
    assert lodged == decl("2026-11-27T10:00:00+08:00", call, [("MAN", "MT3102-UN9321483-047E"), ("TRD", "LGHB2611001")],
                          "2248")  # fmt: skip


def test_the_answer_to_a_transfer_check_is_processed_with_its_message_and_no_event():
    document = translate((FAMILY / "MT8105_transfer_check_response.xml").read_bytes())
    message = document["messages"][0]
    assert (message["type"], message["function"], message["sender"], message["recipient"]) == (
        "MT8105-RESPONSE",
        "2",
        "2248",
        "TESTCARRIER",
    )
    assert message["reference"] == "TESTCARRIER_MT8105_20261127200000000" and message["warnings"] == []
    assert document["events"] == [] and document["errors"] == []


DELETIONS = sorted(set(EXPECTED) - {"MT1201_air_original.xml", "MT2201_air_preallocated.xml"}) + [
    "MT3102_distribute_arrival.xml"
]


@pytest.mark.parametrize("name", DELETIONS)
def test_a_deletion_of_a_report_or_application_states_nothing(name):
    body = (FAMILY / name).read_bytes().replace(b"<FunctionCode>2<", b"<FunctionCode>3<")
    document = translate(body)
    assert document["messages"][0]["function"] == "3"
    assert document["events"] == []
    assert {w["code"] for w in document["messages"][0]["warnings"]} == {"14"}, "each withdrawn fact is said"


@pytest.mark.parametrize("name", ["MT1201_air_original.xml", "MT2201_air_preallocated.xml"])
def test_a_deletion_of_an_air_manifest_cancels_each_waybill(name):
    body = (FAMILY / name).read_bytes().replace(b"<FunctionCode>9<", b"<FunctionCode>3<")
    events = translate(body)["events"]
    assert [e["customsEventTypeCode"] for e in events] == ["CNCL", "CNCL"]


@pytest.mark.parametrize("name", ["MT1201_air_original.xml", "MT2201_air_preallocated.xml"])
def test_an_amendment_or_secondary_data_of_an_air_manifest_is_a_lodgement(name):
    for code in (b"5", b"0"):
        body = (FAMILY / name).read_bytes().replace(b"<FunctionCode>9<", b"<FunctionCode>" + code + b"<")
        assert {e["customsEventTypeCode"] for e in translate(body)["events"]} == {"DECL"}


@pytest.mark.parametrize("name", sorted(EXPECTED) + ["MT8105_transfer_check_response.xml"])
def test_a_message_cut_short_is_rejected_at_the_line_where_it_broke(name):
    body = (FAMILY / name).read_bytes()
    document = translate_xml(body[: len(body) * 2 // 3]).document
    assert document["events"] == [] and document["messages"][0]["status"] == "rejected"
    error = document["errors"][0]
    assert error["code"] == "XML_SYNTAX" and error["position"]["line"] > 1


@pytest.mark.parametrize("name", sorted(EXPECTED) + ["MT8105_transfer_check_response.xml"])
def test_a_message_without_a_mandatory_element_is_a_schema_error_naming_it(name):
    body = (FAMILY / name).read_bytes()
    start = body.index(b"<JourneyID>")
    body = body[:start] + body[body.index(b"</JourneyID>", start) + len(b"</JourneyID>") :]
    translation = translate_xml(body)
    document = translation.document
    assert document["events"] == [] and document["messages"][0]["status"] == "rejected"
    error = document["errors"][0]
    assert error["code"] == "XML_SCHEMA" and "JourneyID" in error["message"]
    assert "BorderTransportMeans" in error["position"]["path"] and error["position"]["line"] > 1
    assert translation.acknowledgements and translation.acknowledgements[0]["type"] == "RECEIPT"


def test_a_wrong_check_digit_is_mapped_and_flagged():
    body = (FAMILY / "MT3102_distribute_arrival.xml").read_bytes().replace(b"MSKU1234565", b"MSKU1234566")
    document = translate(body)
    assert "MSKU1234566" in [e.get("equipmentReference") for e in document["events"]]
    warnings = document["messages"][0]["warnings"]
    assert any(w["code"] == "12" and "MSKU1234566" in w["message"] for w in warnings)


def test_a_wrong_check_digit_of_a_packed_container_is_kept_on_the_bills_lodgement():
    body = (FAMILY / "MT7101_packing_list.xml").read_bytes().replace(b"OOLU1002005", b"OOLU1002006")
    document = translate(body)
    assert {e["equipmentReference"] for e in document["events"]} == {"OOLU1002006"}
    assert any(w["code"] == "12" for w in document["messages"][0]["warnings"])


def test_an_impossible_arrival_date_is_flagged_and_the_report_time_used():
    body = (
        (FAMILY / "MT3102_distribute_arrival.xml")
        .read_bytes()
        .replace(b"<ArrivalDate>20261127<", b"<ArrivalDate>20261331<")
    )
    document = translate(body)
    gate_in = [e for e in document["events"] if e["eventType"] == "EQUIPMENT"]
    assert {e["eventDateTime"] for e in gate_in} == {"2026-11-27T10:00:00+08:00"}
    assert any(w["code"] == "12" and "20261331" in w["message"] for w in document["messages"][0]["warnings"])


def test_a_tally_sent_in_another_types_namespace_is_read_as_its_head_says():
    body = (FAMILY / "MT5201_air_tally.xml").read_bytes().replace(b"CN:MT5201:1", b"CN:MT5202:1")
    document = translate_xml(body).document
    assert document["messages"][0]["type"] == "MT5201"
    assert document["messages"][0]["warnings"][0]["code"] == "XML_NAMESPACE"


#: an import tally as a terminal's system sends it, its namespace declaration renamed (``bxmlns=``)
RENAMED_NAMESPACE_TALLY = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Manifest bxmlns="urn:Declaration:datamodel:standard:CN:MT5101:1"><Head>
<MessageID>CN_MT5101_1p1_5119600000001_20261203081500123</MessageID><FunctionCode>2</FunctionCode>
<MessageType>MT5101</MessageType><SenderID>5119600000001_SWS0000000001</SenderID><ReceiverID>EPORT</ReceiverID>
<SendTime>20261203081500123</SendTime><Version>1.0</Version></Head><Declaration>
<DeclarationOfficeID>5119</DeclarationOfficeID><BorderTransportMeans><JourneyID>047E</JourneyID><TypeCode>1</TypeCode>
<ID>UN9321483</ID><Name>LOGIHUB PIONEER</Name><ActualDateTime>20261203070000</ActualDateTime>
<CompletedDateTime>20261203075500</CompletedDateTime><UnloadingLocation><ID>CNNSA510088/5119</ID></UnloadingLocation>
</BorderTransportMeans><TallyParty><ID>5119600000001</ID></TallyParty><TransportEquipment><EquipmentIdentification>
<ID>MSKU1234565</ID></EquipmentIdentification><CharacteristicCode>45G1</CharacteristicCode><FullnessCode>5</FullnessCode>
</TransportEquipment></Declaration></Manifest>"""


def test_a_tally_whose_namespace_declaration_was_renamed_is_read_in_its_namespace():
    document = translate(RENAMED_NAMESPACE_TALLY.encode("utf-8"))
    assert [w["code"] for w in document["messages"][0]["warnings"]] == ["XML_NAMESPACE"]
    [event] = document["events"]
    assert fields(event)["what"] == "EQUIPMENT DISC ACT" and event["equipmentReference"] == "MSKU1234565"
    assert event["eventDateTime"] == "2026-12-03T07:55:00+08:00"
    assert event["transportCall"]["UNLocationCode"] == "CNNSA" and event["transportCall"]["facilityCode"] == "510088"
