"""GET /api/v1/events: DCSA-style filters, cursor pagination, visibility, pinned query counts."""

import pytest

from tests.unit.tracking.builders import BOX, OTHER_BOX, build_event
from tracking.store import record_events

pytestmark = pytest.mark.django_db
URL = "/api/v1/events"


@pytest.fixture
def history(make_party):
    make_party("TESTCARRIER", "carrier")
    record_events(
        [
            build_event(
                "GTIN", at="2026-11-01T08:00:00+08:00", booking="BK1", bill="BL1", created="2026-11-01T00:00:00Z"
            ),
            build_event("LOAD", at="2026-11-02T08:00:00+08:00", bill="BL1", created="2026-11-02T00:00:00Z"),
            build_event(
                "DEPA", kind="TRANSPORT", at="2026-11-02T12:00:00+08:00", box=None, created="2026-11-02T05:00:00Z"
            ),
            build_event(
                "HOLD", kind="CUSTOMS", authority="CUSTOMS", declaration="DEC1", created="2026-11-03T00:00:00Z"
            ),
            build_event("GTIN", box=OTHER_BOX, bill="BL2", created="2026-11-04T00:00:00Z"),
        ]
    )


def codes(response) -> list[str]:
    field = {
        "EQUIPMENT": "equipmentEventTypeCode",
        "TRANSPORT": "transportEventTypeCode",
        "CUSTOMS": "customsEventTypeCode",
    }
    return sorted(e[field[e["eventType"]]] for e in response.json())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["DEPA", "GTIN", "GTIN", "HOLD", "LOAD"]),
        ({"equipmentReference": BOX}, ["GTIN", "HOLD", "LOAD"]),
        ({"carrierBookingReference": "BK1"}, ["GTIN"]),
        ({"transportDocumentReference": "BL1"}, ["GTIN", "LOAD"]),
        ({"eventType": "TRANSPORT,CUSTOMS"}, ["DEPA", "HOLD"]),
        ({"equipmentEventTypeCode": "LOAD"}, ["LOAD"]),
        ({"equipmentEventTypeCode": "LOAD", "transportEventTypeCode": "DEPA"}, ["DEPA", "LOAD"]),
        ({"customsEventTypeCode": "HOLD"}, ["HOLD"]),
        ({"eventClassifierCode": "ACT"}, ["DEPA", "GTIN", "GTIN", "HOLD", "LOAD"]),
        (
            {"eventCreatedDateTime:gte": "2026-11-02T00:00:00Z", "eventCreatedDateTime:lt": "2026-11-04T00:00:00Z"},
            ["DEPA", "HOLD", "LOAD"],
        ),
        (
            {"eventCreatedDateTime:gt": "2026-11-02T00:00:00Z", "eventCreatedDateTime:lte": "2026-11-03T00:00:00Z"},
            ["DEPA", "HOLD"],
        ),
        ({"eventCreatedDateTime:eq": "2026-11-04T08:00:00+08:00"}, ["GTIN"]),
    ],
)
def test_operators_filter_events_as_dcsa_does(api_client, operator, history, query, expected):
    api_client.force_authenticate(operator)
    response = api_client.get(URL, query)
    assert response.status_code == 200, response.content
    assert codes(response) == expected


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ({"eventType": "TELEPORT"}, "eventType"),
        ({"equipmentEventTypeCode": "ARRI"}, "equipmentEventTypeCode"),
        ({"eventCreatedDateTime:gte": "yesterday"}, "eventCreatedDateTime:gte"),
        ({"eventCreatedDateTime:gte": "2026-11-02T00:00:00"}, "eventCreatedDateTime:gte"),
        ({"equipmentReferense": BOX}, "equipmentReferense"),
    ],
)
def test_a_bad_filter_answers_400_in_the_error_shape(api_client, operator, query, position):
    api_client.force_authenticate(operator)
    response = api_client.get(URL, query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["position"]) == ("invalid_filter", position)
    assert error["message"]


def test_the_body_is_the_event_array_and_the_next_page_is_a_header(api_client, operator, history):
    api_client.force_authenticate(operator)
    seen, url, pages = [], URL + "?limit=2", 0
    while url:
        response = api_client.get(url)
        assert isinstance(response.json(), list) and len(response.json()) <= 2
        seen += [e["eventID"] for e in response.json()]
        url = response.headers.get("Next-Page")
        pages += 1
    assert pages == 3 and len(seen) == len(set(seen)) == 5
    assert response.headers["Current-Page"].endswith("limit=2") or "cursor=" in response.headers["Current-Page"]


def test_events_are_served_as_recorded_with_the_transport_call_id_dcsa_requires(api_client, operator):
    event = build_event("GTIN", parties=("FWD1",), bill="BL7")
    record_events([event])
    api_client.force_authenticate(operator)
    served = api_client.get(URL).json()[0]
    call_id = served["transportCall"].pop("transportCallID")
    assert served == event
    again = build_event("LOAD", parties=("FWD1",), bill="BL7")
    record_events([again])
    assert api_client.get(URL).json()[1]["transportCall"]["transportCallID"] == call_id  # same call, same id


def test_an_operators_event_list_takes_one_query_however_long(api_client, operator, django_assert_num_queries):
    record_events([build_event("GTIN", at=f"2026-11-01T08:{m:02d}:00Z") for m in range(30)])
    api_client.force_authenticate(operator)
    with django_assert_num_queries(1):
        assert len(api_client.get(URL).json()) == 30


def test_a_partners_event_list_takes_a_fixed_number_of_queries(
    api_client, make_party, key_for, django_assert_num_queries
):
    make_party("TESTCARRIER", "carrier")
    forwarder = make_party("FWD1")
    headers = key_for(forwarder)
    api_client.get(URL, **headers)  # first use records last_used_at, and the key is kept
    record_events(
        [build_event("GTIN", at=f"2026-11-01T08:{m:02d}:00Z", parties=("FWD1",), bill="BLP") for m in range(30)]
    )
    with django_assert_num_queries(3):  # the party's grants, containers of its shipments, the events (key kept)
        assert len(api_client.get(URL, **headers).json()) == 30


def test_a_partner_lists_only_the_events_of_what_it_is_named_on(api_client, history, make_party, key_for):
    forwarder = make_party("FWD9")
    record_events([build_event("DISC", box=OTHER_BOX, bill="BL2", parties=("FWD9",), location="NLRTM")])
    response = api_client.get(URL, **key_for(forwarder))
    assert {e["equipmentReference"] for e in response.json()} == {OTHER_BOX}
    assert codes(response) == ["DISC", "GTIN"]


def test_a_gate_readers_key_may_not_list_events(api_client):
    from rfid.services import add_reader

    _reader, clear = add_reader("GATE9-IN", gate="GATE9", direction="in", bonded=False, lane="L1")
    response = api_client.get(URL, HTTP_AUTHORIZATION=f"Api-Key {clear}")
    assert response.status_code == 403


def test_a_partners_events_of_one_of_its_containers_take_two_queries_once_its_key_is_known(
    api_client, make_party, key_for, django_assert_num_queries
):
    make_party("TESTCARRIER", "carrier")
    headers = key_for(make_party("FWD1"))
    api_client.get(URL, **headers)  # first use records last_used_at, and the key is kept
    record_events([build_event(code, parties=("FWD1",), bill="BLP") for code in ("GTIN", "LOAD", "DISC")])
    record_events([build_event("GTIN", box=OTHER_BOX, bill="BLQ")])
    with django_assert_num_queries(2):  # its grant for the container, the events (the key is kept)
        assert len(api_client.get(URL, {"equipmentReference": BOX}, **headers).json()) == 3


def test_a_container_seen_through_its_bill_of_lading_lists_its_events_and_no_other(
    api_client, history, make_party, key_for
):
    from tracking.models import Access

    forwarder = make_party("FWD8")
    Access.objects.create(party=forwarder, kind="TRD", reference="BL1", reason="named")
    headers = key_for(forwarder)
    assert codes(api_client.get(URL, {"equipmentReference": BOX}, **headers)) == ["GTIN", "HOLD", "LOAD"]
    assert api_client.get(URL, {"equipmentReference": OTHER_BOX}, **headers).json() == []


def test_the_events_are_the_stored_documents_and_the_browsable_api_still_renders_them(api_client, operator, history):
    from tracking.models import Event

    api_client.force_authenticate(operator)
    served = api_client.get(URL).json()
    assert served == [e.payload for e in Event.objects.order_by("recorded_at", "event_id")]
    page = api_client.get(URL, {"limit": 2}, HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html") and page.has_header("Next-Page")


@pytest.fixture
def voyages():
    record_events(
        [
            build_event("LOAD", vessel=("9839131", "DEMO HARMONY"), voyage="001E", bill="BL1"),
            build_event("LOAD", box=OTHER_BOX, vessel=("9321483", "DEMO GLORY"), voyage="207W", bill="BL2"),
            build_event("CONF", kind="SHIPMENT", box=None, location=None, booking="BK1"),
            build_event("ISSU", kind="SHIPMENT", box=None, location=None, bill="BL1"),
        ]
    )


def test_dcsas_transport_call_and_document_type_filters_are_understood(api_client, operator, voyages):
    api_client.force_authenticate(operator)
    by_vessel = api_client.get(URL, {"vesselIMONumber": "9839131"}).json()
    assert [e["equipmentReference"] for e in by_vessel] == [BOX]
    call_id = by_vessel[0]["transportCall"]["transportCallID"]
    assert [e["eventID"] for e in api_client.get(URL, {"transportCallID": call_id}).json()] == [by_vessel[0]["eventID"]]
    for voyage in ("exportVoyageNumber", "carrierVoyageNumber"):
        assert [e["equipmentReference"] for e in api_client.get(URL, {voyage: "207W"}).json()] == [OTHER_BOX]
    assert api_client.get(URL, {"carrierServiceCode": "FE1"}).json() == []
    shipments = api_client.get(URL, {"documentTypeCode": "TRD,SHI"}).json()
    assert [(e["shipmentEventTypeCode"], e["documentID"]) for e in shipments] == [("ISSU", "BL1")]


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ({"vesselIMONumber": "98391"}, "vesselIMONumber"),
        ({"documentTypeCode": "DEC"}, "documentTypeCode"),
        ({"carrierServiceCode": "TOOLONG"}, "carrierServiceCode"),
    ],
)
def test_a_bad_dcsa_filter_value_answers_400(api_client, operator, query, position):
    api_client.force_authenticate(operator)
    response = api_client.get(URL, query)
    assert response.status_code == 400
    assert response.json()["error"]["position"] == position


def test_a_webhook_matches_the_dcsa_filters_as_the_list_does(voyages):
    from tracking import filters
    from tracking.models import Event

    for query in ({"vesselIMONumber": "9321483"}, {"exportVoyageNumber": "001E"}, {"documentTypeCode": "BKG"}):
        criteria = filters.parse(query)
        listed = set(filters.apply(Event.objects.all(), criteria).values_list("event_id", flat=True))
        assert len(listed) == 1
        assert {row.event_id for row in Event.objects.all() if filters.matches(criteria, row)} == listed


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "-5"}, "limit"),
        ({"cursor": "not-ours"}, "cursor"),
    ],
)
def test_a_bad_limit_or_cursor_answers_400_naming_it(api_client, operator, history, query, position):
    api_client.force_authenticate(operator)
    response = api_client.get(URL, query)
    assert response.status_code == 400
    assert response.json()["error"]["position"] == position
    assert response["API-Version"] == "2.2.0"


def test_a_limit_above_the_largest_page_is_capped(api_client, operator, history):
    api_client.force_authenticate(operator)
    assert len(api_client.get(URL, {"limit": "100000"}).json()) == 5


def test_the_events_list_names_the_dcsa_contract_version_it_answers_by(api_client, operator, history):
    api_client.force_authenticate(operator)
    response = api_client.get(URL, {"limit": 2})
    assert response["API-Version"] == "2.2.0"
    assert response.has_header("Current-Page") and response.has_header("Next-Page")


def test_dcsas_deprecated_booking_reference_filter_is_the_carrier_booking_reference(api_client, operator, history):
    api_client.force_authenticate(operator)
    assert codes(api_client.get(URL, {"bookingReference": "BK1"})) == ["GTIN"]
    assert codes(api_client.get(URL, {"bookingReference": "BK1", "carrierBookingReference": "BK1"})) == ["GTIN"]
    clash = api_client.get(URL, {"bookingReference": "BK1", "carrierBookingReference": "BK2"})
    assert clash.status_code == 400 and clash.json()["error"]["position"] == "bookingReference"
