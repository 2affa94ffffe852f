"""Smoke: a truck with a released container leaves the bonded zone; OPEN and one GTOT event."""

import pytest
from django.utils import timezone

from tests.unit.rfid.conftest import TRUCK_TAG, container, container_tag, reads

pytestmark = pytest.mark.django_db


def test_a_released_container_on_a_bound_truck_opens_the_gate_and_records_gtot(out_reader, post, set_customs, bind):
    reader, key = out_reader
    number = container("BOLU", "123456")
    set_customs(number, "RLSD")
    bind(TRUCK_TAG, "truck", "沪A12345")
    response = post("/api/v1/rfid/reads", reads(TRUCK_TAG, container_tag(number), at=timezone.now()), key)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decision"] == "OPEN", body
    assert body["equipment"] == [{"equipmentReference": number, "customsState": "RLSD"}]
    from tracking.models import Event

    assert Event.objects.filter(equipment_reference=number, type_code="GTOT").count() == 1
