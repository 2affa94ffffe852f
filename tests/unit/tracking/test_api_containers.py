"""GET /api/v1/containers/{number} and /api/v1/shipments/{reference}: status, customs, timeline."""

import json

import pytest
from rest_framework.utils.encoders import JSONEncoder

from tests.unit.tracking.builders import BOX, OTHER_BOX, build_event
from tracking.store import record_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    events = [
        build_event("GTIN", at="2026-11-01T08:00:00+08:00", facility="YSPIV", booking="BK1", bill="BL1"),
        build_event(
            "LOAD", at="2026-11-02T08:00:00+08:00", vessel=("9839131", "DEMO HARMONY"), voyage="001E", bill="BL1"
        ),
        build_event("GTIN", box=OTHER_BOX, at="2026-11-01T09:00:00+08:00", bill="BL1"),
        build_event(
            "ARRI", kind="TRANSPORT", classifier="EST", at="2026-12-01T08:00:00Z", location="NLRTM", bill="BL1"
        ),
        build_event("HOLD", kind="CUSTOMS", authority="CNCUSTOMS", declaration="DEC9", at="2026-11-02T09:00:00Z"),
    ]
    record_events(events)
    return events


def test_a_container_answers_its_status_customs_holds_shipments_and_timeline(api_client, operator, journey):
    api_client.force_authenticate(operator)
    body = api_client.get(f"/api/v1/containers/{BOX.lower()}").json()
    assert body["equipmentReference"] == BOX and body["valid"] is True
    assert body["status"]["milestone"]["code"] == "LOAD"
    assert body["status"]["vessel"] == {"vesselIMONumber": "9839131", "vesselName": "DEMO HARMONY"}
    assert body["status"]["carrierVoyageNumber"] == "001E"
    assert body["customs"]["state"] == "HOLD"
    assert body["customs"]["holds"][0]["authority"] == "CNCUSTOMS"
    assert {s["documentReferenceValue"] for s in body["shipments"]} == {"BK1", "BL1"}
    assert [e["eventID"] for e in body["timeline"]] == [
        journey[0]["eventID"],
        journey[1]["eventID"],
        journey[4]["eventID"],
        journey[3]["eventID"],
    ]


def test_a_shipment_answers_its_containers_with_their_status_and_its_timeline(api_client, operator, journey):
    api_client.force_authenticate(operator)
    body = api_client.get("/api/v1/shipments/BL1").json()
    assert (body["documentReferenceType"], body["documentReferenceValue"]) == ("TRD", "BL1")
    assert [(c["equipmentReference"], c["status"]["milestone"]["code"]) for c in body["containers"]] == sorted(
        [(BOX, "LOAD"), (OTHER_BOX, "GTIN")]
    )
    assert body["status"]["ETA"]["UNLocationCode"] == "NLRTM"
    assert len(body["timeline"]) == 4


def test_a_booking_is_found_by_its_reference_too(api_client, operator, journey):
    api_client.force_authenticate(operator)
    body = api_client.get("/api/v1/shipments/BK1").json()
    assert body["documentReferenceType"] == "BKG"
    assert [c["equipmentReference"] for c in body["containers"]] == [BOX]


def test_an_unknown_container_or_shipment_answers_404_in_the_error_shape(api_client, operator):
    api_client.force_authenticate(operator)
    for url in ("/api/v1/containers/ZZZU0000000", "/api/v1/shipments/NOPE"):
        response = api_client.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_a_shipment_takes_a_fixed_number_of_queries_however_many_containers(
    api_client, operator, django_assert_num_queries
):
    from tests.unit.tracking.builders import container

    record_events([build_event("GTIN", box=container("ABCU", f"{n:06d}"), bill="BLX") for n in range(20)])
    api_client.force_authenticate(operator)
    with django_assert_num_queries(3):  # shipment+status, containers+status, timeline
        assert len(api_client.get("/api/v1/shipments/BLX").json()["containers"]) == 20


def test_a_container_takes_a_fixed_number_of_queries(api_client, operator, journey, django_assert_num_queries):
    api_client.force_authenticate(operator)
    with django_assert_num_queries(1):  # container, status, shipments and timeline together
        api_client.get(f"/api/v1/containers/{BOX}")


def test_a_flagged_container_says_what_is_wrong_with_its_number(api_client, operator):
    wrong = BOX[:-1] + str((int(BOX[-1]) + 1) % 10)
    record_events([build_event(box=wrong)])
    api_client.force_authenticate(operator)
    body = api_client.get(f"/api/v1/containers/{wrong}").json()
    assert body["valid"] is False and "check digit" in body["problem"]


def test_a_partners_container_view_takes_a_fixed_number_of_queries(
    api_client, make_party, key_for, django_assert_num_queries
):
    forwarder = make_party("FWDQ")
    headers = key_for(forwarder)
    api_client.get("/api/v1/events", **headers)  # first use records last_used_at, and the key is kept
    record_events([build_event(code, parties=("FWDQ",), bill="BLQ") for code in ("GTIN", "LOAD", "DISC")])
    with django_assert_num_queries(1):  # container, grant, status, shipments and timeline
        assert api_client.get(f"/api/v1/containers/{BOX}", **headers).status_code == 200


def test_the_api_answers_what_the_portal_reads_with_the_events_exactly_as_stored(api_client, operator, journey):
    from tracking.models import Event
    from tracking.queries import container_detail
    from tracking.visibility import Viewer

    api_client.force_authenticate(operator)
    body = api_client.get(f"/api/v1/containers/{BOX}").json()
    detail = json.loads(json.dumps(container_detail(Viewer(everything=True), BOX), cls=JSONEncoder))
    assert body == detail
    stored = {str(e.event_id): e.payload for e in Event.objects.filter(equipment_reference=BOX)}
    assert all(event == stored[event["eventID"]] for event in body["timeline"])


def test_the_browsable_api_still_renders_a_container(api_client, operator, journey):
    api_client.force_authenticate(operator)
    response = api_client.get(f"/api/v1/containers/{BOX}", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert BOX in response.content.decode()


def test_a_container_known_without_events_or_status_answers_an_empty_timeline(api_client, operator):
    from tracking.models import Equipment

    Equipment.objects.create(reference=BOX, iso_equipment_code="22G1")
    api_client.force_authenticate(operator)
    body = api_client.get(f"/api/v1/containers/{BOX}").json()
    assert body["timeline"] == [] and body["shipments"] == []
    assert body["status"]["milestone"] is None and body["customs"] == {"state": "", "since": None, "holds": []}


def test_a_long_history_answers_its_latest_events_oldest_first(api_client, operator, monkeypatch):
    from tracking import queries

    monkeypatch.setattr(queries, "TIMELINE_LIMIT", 3)
    codes = ["GTIN", "LOAD", "DISC", "GTOT", "PICK", "DROP"]
    events = [build_event(code, at=f"2026-11-{day:02d}T08:00:00Z") for day, code in enumerate(codes, start=1)]
    record_events(events[::-1])
    api_client.force_authenticate(operator)
    body = api_client.get(f"/api/v1/containers/{BOX}").json()
    assert [e["eventID"] for e in body["timeline"]] == [e["eventID"] for e in events[3:]]
