"""A forwarder's container page: full timeline, documents, customs history, gate moves, journey."""

import pytest

from tests.unit.portal.conftest import DEMO, DEMO_HELD, DEMO_HIDDEN, OTHER

pytestmark = pytest.mark.django_db


def test_the_container_page_shows_the_full_timeline_in_local_times(client, forwarder):
    client.force_login(forwarder)
    html = client.get(f"/portal/containers/{DEMO}/").content.decode()
    for label in ("Gated in", "Loaded", "Departed", "Arrived", "Discharged", "Declaration lodged", "Released"):
        assert label in html
    assert "UTC+08:00" in html and "UTC+01:00" in html


def test_the_container_page_lists_documents_and_customs_history(client, forwarder):
    client.force_login(forwarder)
    html = client.get(f"/portal/containers/{DEMO_HELD}/").content.decode()
    assert "BOLUSHA000002" in html and "BKGDEMO002" in html and "DECDEMO0002" in html
    assert "Physical inspection ordered" in html
    assert "Held: NLCUSTOMS Inspection ordered" in html


def test_the_container_page_lists_gate_moves_and_draws_the_journey(client, forwarder):
    client.force_login(forwarder)
    html = client.get(f"/portal/containers/{DEMO}/").content.decode()
    gate = html[html.index('id="gate-title"') :]
    assert "Gated in" in gate and "CNSHA" in gate
    assert '<svg class="chart"' in html


def test_another_forwarders_container_is_not_found(client, forwarder, other_forwarder):
    client.force_login(forwarder)
    assert client.get(f"/portal/containers/{OTHER}/").status_code == 404
    assert client.get(f"/portal/containers/{DEMO_HIDDEN}/").status_code == 404
    client.force_login(other_forwarder)
    assert client.get(f"/portal/containers/{DEMO}/").status_code == 404
    assert client.get(f"/portal/containers/{OTHER}/").status_code == 200


def test_an_operator_sees_any_container(client, operator):
    client.force_login(operator)
    assert client.get(f"/portal/containers/{DEMO_HIDDEN}/").status_code == 200


def test_a_watched_bill_of_lading_opens_on_its_containers_and_timeline(client, forwarder):
    client.force_login(forwarder)
    client.post("/portal/watch/add/", {"numbers": "BOLUSHA000001"})
    assert 'href="/portal/shipments/BOLUSHA000001/"' in client.get("/portal/").content.decode()
    html = client.get("/portal/shipments/BOLUSHA000001/").content.decode()
    assert "Shipment BOLUSHA000001" in html and f'href="/portal/containers/{DEMO}/"' in html
    assert "Loaded" in html and "UTC+08:00" in html
    html = client.get("/portal/shipments/BOLUSHA000001/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "货物 BOLUSHA000001" in html and ">集装箱</h2>" in html


def test_another_forwarders_shipment_page_is_not_found(client, forwarder, other_forwarder):
    client.force_login(other_forwarder)
    assert client.get("/portal/shipments/BOLUSHA000001/").status_code == 404
    assert client.get("/portal/shipments/NOSUCHBILL/").status_code == 404
    client.force_login(forwarder)
    assert client.get("/portal/shipments/bolusha000001/").status_code == 200  # typed by hand
