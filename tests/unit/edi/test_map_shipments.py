"""IFTMIN and IFTMBF/IFTMBC map to SHIPMENT events with their booking and document references."""

from datetime import UTC, datetime
from pathlib import Path

from edi.map import map_interchange
from tracking.events import complete
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"


def test_firm_booking_is_a_received_booking_request():
    result = map_interchange(FIXTURES / "iftmbf_d00b_logihub_booking.edi")
    assert problems_of(result.events) == []
    (event,) = result.events
    assert (event["eventType"], event["shipmentEventTypeCode"]) == ("SHIPMENT", "RECE")
    assert event["documentReferences"] == [{"documentReferenceType": "CTR", "documentReferenceValue": "SC-991122"}]
    assert event["eventDateTime"] == "2026-11-20T09:00:00+00:00"
    assert event["parties"] == [{"partyEDIIdentity": "SHIPPER1", "partyFunction": "OS"}]


def test_booking_confirmation_confirms_the_carriers_booking_number():
    result = map_interchange(FIXTURES / "malformed" / "iftmbc_d00b_phpedifact_example_multiline.edi")
    (event,) = result.events
    assert event["shipmentEventTypeCode"] == "CONF"
    assert event["documentReferences"] == [{"documentReferenceType": "BKG", "documentReferenceValue": "AAA99970929"}]
    assert event["source"]["timeZone"] == "processing time"  # no DTM and an unreadable UNB date
    assert any(i.code == "13" for i in result.issues)


def test_rejected_and_cancelled_bookings():
    base = (
        "UNB+UNOC:3+C+S+261125:0900+1'UNH+1+IFTMBC:D:00B:UN'BGM+770+BKG1+{}'DTM+137:202611250900:203'UNT+4+1'UNZ+1+1'"
    )
    rejected = map_interchange(base.format("9+RE").encode()).events[0]
    not_accepted = map_interchange(base.format("27").encode()).events[0]  # UNCL 1225 27: not accepted
    cancelled = map_interchange(base.format("1").encode()).events[0]
    assert rejected["shipmentEventTypeCode"] == "REJE"
    assert not_accepted["shipmentEventTypeCode"] == "REJE"
    assert cancelled["shipmentEventTypeCode"] == "VOID"


def test_a_confirmation_naming_its_booking_by_rff_bn_does_not_also_book_its_own_message_number():
    # INTTRA's IFTMBC (D99B): the carrier's booking number in RFF+BN, the transaction's own number in BGM 1004
    message = (
        "UNB+UNOC:3+C+S+261125:0900+1'UNH+1+IFTMBC:D:99B:UN'BGM+770+INTTRA123+9+AP'"
        "DTM+137:202611250900:203'RFF+BN:MAEU555'RFF+FF:FWD1'UNT+6+1'UNZ+1+1'"
    )
    (event,) = map_interchange(message.encode()).events
    assert event["documentReferences"] == [{"documentReferenceType": "BKG", "documentReferenceValue": "MAEU555"}]
    assert complete(event)["documentID"] == "MAEU555"


def test_a_pending_booking_confirmation_is_a_booking_received_not_confirmed():
    # UNCL 4343 AJ pending (EANCOM IFTMBC: received, not yet processed); CA conditionally accepted confirms
    base = (
        "UNB+UNOC:3+C+S+261125:0900+1'UNH+1+IFTMBC:D:00B:UN'BGM+770+BKG1+9+{}'DTM+137:202611250900:203'UNT+4+1'UNZ+1+1'"
    )
    pending = map_interchange(base.format("AJ").encode()).events[0]
    conditionally = map_interchange(base.format("CA").encode()).events[0]
    assert pending["shipmentEventTypeCode"] == "RECE"
    assert conditionally["shipmentEventTypeCode"] == "CONF"


def test_shipping_instructions_are_received_with_their_references():
    data = (
        "UNB+UNOC:3+SHIPPER1+MAEU+261121:0900+4'UNH+1+IFTMIN:D:99B:UN'BGM+340+SI-77+9'DTM+137:202611210900:203'"
        "RFF+BN:BKG778899'RFF+BM:MAEU123456789'UNT+6+1'UNZ+1+4'"
    )
    (event,) = map_interchange(data.encode()).events
    assert event["shipmentEventTypeCode"] == "RECE"
    assert {(r["documentReferenceType"], r["documentReferenceValue"]) for r in event["documentReferences"]} == {
        ("CTR", "SI-77"),
        ("BKG", "BKG778899"),
        ("TRD", "MAEU123456789"),
    }


def test_s93a_instructions_take_the_time_of_processing_when_nothing_else_is_readable():
    result = map_interchange(FIXTURES / "malformed" / "iftmin_s93a_chemaclass_edifact-sample.edi")
    assert [e["documentReferences"][0]["documentReferenceValue"] for e in result.events] == [
        "56677786689",
        "05055700896",
    ]
    assert problems_of(result.events) == []


def test_instruction_for_several_containers_is_one_fact_listing_them():
    data = (
        "UNB+UNOC:3+SHIPPER1+MAEU+261121:0900+4'UNH+1+IFTMIN:D:99B:UN'BGM+340+SI-78+9'DTM+137:202611210900:203'"
        "RFF+BN:BKG778899'EQD+CN+MSKU1234565+45G1:102:5'EQD+CN+OOLU8293047+42G1:102:5'UNT+7+1'UNZ+1+4'"
    )
    result = map_interchange(data.encode())
    assert problems_of(result.events) == []
    (event,) = result.events
    assert event["equipmentReferences"] == ["MSKU1234565", "OOLU8293047"]


def test_a_booking_asking_for_equipment_by_size_type_is_not_an_error():
    # INTTRA-style firm booking: EQD+CN++45G1 with EQN+1:2 asks for two 45G1, no numbers yet
    data = (
        "UNA:+.? 'UNB+UNOC:3+FWDX:ZZZ+INTTRANG2:ZZZ+120920:1309+88'UNH+88+IFTMBF:D:99B:UN:2.0'BGM+335+REQ88+9'"
        "DTM+137:201209201309:203'TSR+30'LOC+88+CNHUA:181:6:HUANGPU'RFF+CT:QG006720'"
        "TDT+20+FX267W+1+++++:::VILLE D?' ORION'LOC+9+CNHUA:139:6'LOC+11+GHTEM:139:6'"
        "GID+1'FTX+AAA+++FURNITURE'EQD+CN++45G1:102:5+2'EQN+1:2'UNT+15+88'UNZ+1+88'"
    )
    result = map_interchange(data.encode())
    (event,) = result.events
    assert event["shipmentEventTypeCode"] == "RECE" and "equipmentReference" not in event
    assert event["transportCall"]["vessel"] == {"vesselName": "VILLE D' ORION"}
    assert result.errors == []


def test_a_booking_confirmation_states_its_vessels_planned_departure_and_arrival():
    data = (
        "UNB+UNOC:3+MSCU:ZZZ+LOGIHUB:ZZZ+261204:0700+B1'UNH+1+IFTMBC:D:04B:UN'BGM+770+MSCUBK0001+9+AP'"
        "DTM+137:202612040700:203'RFF+BN:MSCUBK0001'TDT+20+FE649R+1++MSC:172:20+++9839179:146:11:MSC IRINA'"
        "LOC+9+CNNGB:139:6'DTM+133:202612071200:203'LOC+11+NLRTM:139:6'DTM+132:202701151800:203'"
        "NAD+CZ+SHIPPER1:160:87'GID+1'EQD+CN++45G1:102:5'EQN+2'UNT+14+1'UNZ+1+B1'"
    )
    confirmed, departs, arrives = map_interchange(data.encode()).events
    assert confirmed["shipmentEventTypeCode"] == "CONF"
    assert (departs["transportEventTypeCode"], departs["eventClassifierCode"]) == ("DEPA", "EST")
    assert departs["transportCall"]["UNLocationCode"] == "CNNGB"
    assert (arrives["transportEventTypeCode"], arrives["transportCall"]["UNLocationCode"]) == ("ARRI", "NLRTM")
    assert arrives["eventDateTime"] == "2027-01-15T18:00:00+01:00"


def test_a_place_of_receipt_on_the_pre_carriage_truck_is_no_call_of_the_main_vessel():
    # INTTRA's IFTMBF/IFTMBC (D99B): TDT+10 pre-carriage by road with LOC+88 place of receipt, TDT+20 the vessel
    message = (
        "UNB+UNOC:3+C+S+261125:0900+1'UNH+1+IFTMBC:D:99B:UN'BGM+770+B1+9+AP'DTM+137:202611250900:203'"
        "RFF+BN:MAEU222'TDT+10++3'LOC+88+CNWUX:181:6'TDT+20+123W+1++MAEU:172:20+++9321483:146:11:MAERSK ELBA'"
        "LOC+9+CNSHA:181:6'DTM+133:202612011800:203'UNT+10+1'UNZ+1+1'"
    )
    confirmed = next(e for e in map_interchange(message.encode()).events if e["eventType"] == "SHIPMENT")
    assert confirmed["transportCall"] == {"modeOfTransport": "TRUCK", "UNLocationCode": "CNWUX"}
    # the same place in the header (no pre-carriage named) keeps the booking's vessel
    header = message.replace("TDT+10++3'LOC+88+CNWUX:181:6'", "LOC+88+CNSHA:181:6'")
    booked = next(e for e in map_interchange(header.encode()).events if e["eventType"] == "SHIPMENT")
    assert booked["transportCall"]["vessel"]["vesselIMONumber"] == "9321483"
    assert booked["transportCall"]["UNLocationCode"] == "CNSHA"


def test_an_instruction_is_not_received_at_its_cargos_pick_up_date():
    # IFTMIN without a document date (DTM 137 is conditional) but with the cargo's collection date (DTM 200)
    message = (
        "UNB+UNOC:3+SHIPPERX:ZZZ+MAEU:ZZZ+261201:1030+16'UNH+1+IFTMIN:D:99B:UN'BGM+340+SI9+9'"
        "DTM+200:202612201000:203'TSR+30+2'NAD+CZ+SHIPPERX:160:86'UNT+6+1'UNZ+1+16'"
    )
    result = map_interchange(message.encode(), received=datetime(2026, 12, 5, 9, 0, tzinfo=UTC))
    (received,) = result.events
    assert received["shipmentEventTypeCode"] == "RECE"
    assert received["eventDateTime"] == "2026-12-01T10:30:00+00:00"  # the interchange's date, reported
    assert [i.code for i in result.issues] == ["13"]


def test_an_instruction_for_containers_under_several_bookings_keeps_each_containers_booking():
    # IFTMIN D99B SG37: each EQD group may carry its own RFF (INTTRA: the booking the container was released under)
    message = (
        "UNB+UNOC:3+SHIPPERX:ZZZ+MAEU:ZZZ+260120:0900+3'UNH+1+IFTMIN:D:99B:UN'BGM+340+SI3+9'"
        "DTM+137:202601200900:203'NAD+CZ+SHIPPERX:160:86'GID+1+10:CT'"
        "EQD+CN+MSKU1234565+45G1:102:5++2+5'RFF+BN:MAEU111'EQD+CN+OOLU8293047+42G1:102:5++2+5'RFF+BN:MAEU222'"
        "UNT+10+1'UNZ+1+3'"
    )
    (received,) = map_interchange(message.encode()).events
    assert received["equipmentReferences"] == ["MSKU1234565", "OOLU8293047"]
    assert [(r["documentReferenceType"], r["documentReferenceValue"]) for r in received["documentReferences"]] == [
        ("CTR", "SI3"),
        ("BKG", "MAEU111"),
        ("BKG", "MAEU222"),
    ]
