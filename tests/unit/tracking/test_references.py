"""Reference rows: locations, vessels, transport calls, containers and shipments; bad numbers flagged."""

import pytest

from tests.unit.tracking.builders import BOX, OTHER_BOX, build_event
from tracking.models import Equipment, Event, Location, Shipment, TransportCall, Vessel
from tracking.store import record_events

pytestmark = pytest.mark.django_db


def test_an_event_creates_its_location_vessel_call_container_and_shipments():
    event = build_event(
        "LOAD", facility="YSPIV", vessel=("9839131", "DEMO HARMONY"), voyage="001E", booking="BK1", bill="BL1"
    )
    result = record_events([event])
    assert result.flags == []
    call = TransportCall.objects.select_related("location", "vessel").get()
    assert (call.location.un_location_code, call.location.facility_code) == ("CNSHA", "YSPIV")
    assert (call.vessel.imo_number, call.vessel.name, call.vessel.valid) == ("9839131", "DEMO HARMONY", True)
    assert call.carrier_voyage_number == "001E"
    assert Event.objects.get().transport_call == call
    box = Equipment.objects.get()
    assert (box.reference, box.valid, box.iso_equipment_code) == (BOX, True, "45G1")
    assert sorted(Shipment.objects.values_list("kind", "reference")) == [("BKG", "BK1"), ("TRD", "BL1")]
    assert {s.reference for s in box.shipments.all()} == {"BK1", "BL1"}


def test_the_same_references_on_many_events_make_one_row_each():
    record_events(
        [build_event("GTIN", facility="YSPIV", bill="BL1"), build_event("LOAD", facility="YSPIV", bill="BL1")]
    )
    record_events([build_event("DISC", facility="YSPIV", bill="BL1")])
    assert (Location.objects.count(), Equipment.objects.count(), Shipment.objects.count()) == (1, 1, 1)


def test_a_container_number_with_a_wrong_check_digit_is_stored_flagged_and_reported():
    wrong = BOX[:-1] + str((int(BOX[-1]) + 1) % 10)
    result = record_events([build_event(box=wrong)])
    assert len(result.stored) == 1
    assert [(f.field, f.value) for f in result.flags] == [("equipmentReference", wrong)]
    assert f"should be {BOX[-1]}" in result.flags[0].problem
    box = Equipment.objects.get(reference=wrong)
    assert not box.valid and "check digit" in box.problem


def test_a_number_that_is_no_container_number_at_all_is_flagged_too():
    result = record_events([build_event(box="PALLET-7")])
    assert result.flags[0].value == "PALLET-7"
    assert not Equipment.objects.get(reference="PALLET-7").valid


def test_a_vessel_with_a_wrong_imo_check_digit_is_stored_flagged():
    result = record_events([build_event("LOAD", vessel=("9321484", "BAD DIGIT"))])
    assert [(f.field, f.value) for f in result.flags] == [("vesselIMONumber", "9321484")]
    assert not Vessel.objects.get().valid


def test_every_container_of_a_bill_of_lading_is_linked_to_it():
    record_events([build_event("GTIN", bill="BL9"), build_event("GTIN", box=OTHER_BOX, bill="BL9")])
    assert set(Shipment.objects.get(reference="BL9").equipment.values_list("reference", flat=True)) == {
        BOX,
        OTHER_BOX,
    }
