"""The portal's pages: public tracking, the login-protected dashboard, admin, languages."""

from io import StringIO

import pytest
from django.core.management import call_command
from stdnum import iso6346

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())


def test_track_page_offers_a_search_form(client):
    response = client.get("/track/")
    assert response.status_code == 200
    assert b'name="q"' in response.content


def test_track_page_shows_the_milestones_of_a_demo_container(client, demo):
    number = "BOLU123456" + iso6346.calc_check_digit("BOLU123456")
    response = client.get("/track/", {"q": number.lower()})
    html = response.content.decode()
    assert "Gate in" in html and "Loaded" in html and "Discharged" in html
    assert "CNSHA" in html and "NLRTM" in html


def test_track_page_shows_no_party_names(client, demo):
    number = "BOLU123456" + iso6346.calc_check_digit("BOLU123456")
    html = client.get("/track/", {"q": number}).content.decode()
    assert "Blue Ocean" not in html and "BLUEOCEAN" not in html and "Harbour Forwarding" not in html


def test_track_page_finds_a_container_by_its_bill_of_lading(client, demo):
    html = client.get("/track/", {"q": "BOLUSHA000001"}).content.decode()
    assert "Gate in" in html


def test_track_page_hints_at_a_wrong_check_digit(client, demo):
    good = "BOLU123456" + iso6346.calc_check_digit("BOLU123456")
    wrong = good[:-1] + str((int(good[-1]) + 1) % 10)
    html = client.get("/track/", {"q": wrong}).content.decode()
    assert "Nothing is known" in html
    assert f"should be {good[-1]}" in html


def test_track_page_speaks_chinese_to_a_chinese_browser(client):
    html = client.get("/track/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert 'lang="zh-hans"' in html
    assert "追踪" in html


def test_portal_asks_for_a_login(client):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")
    assert client.get(response["Location"]).status_code == 200


def test_portal_dashboard_greets_a_logged_in_forwarder(client, django_user_model):
    user = django_user_model.objects.create_user("fwd", password="pw-for-tests-1")
    client.force_login(user)
    response = client.get("/portal/")
    assert response.status_code == 200
    assert b"fwd" in response.content


def test_admin_login_page_is_served(client):
    assert client.get("/admin/login/").status_code == 200


def test_seed_demo_twice_adds_no_second_copy_of_anything(demo):
    from tracking.models import Event, Party

    events, parties = Event.objects.count(), Party.objects.count()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert (Event.objects.count(), Party.objects.count()) == (events, parties)
    assert "0 new" in out.getvalue()
