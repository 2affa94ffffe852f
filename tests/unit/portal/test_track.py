"""The public tracking page: milestones in local time, nothing private, clear answers, a rate limit."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from stdnum import iso6346

from tests.unit.portal.conftest import DEMO, DEMO_HELD, DEMO_HIDDEN

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def test_times_are_shown_in_the_local_time_of_each_place(client, demo):
    html = client.get("/track/", {"q": DEMO}).content.decode()
    assert "UTC+08:00" in html  # Shanghai
    assert "UTC+01:00" in html  # Rotterdam


def test_a_customs_release_is_a_public_milestone_without_the_authority(client, demo):
    html = client.get("/track/", {"q": DEMO}).content.decode()
    assert "Customs released" in html
    assert "NLCUSTOMS" not in html and "DECDEMO" not in html


def test_a_customs_hold_is_not_shown_to_the_public(client, demo):
    html = client.get("/track/", {"q": DEMO_HELD}).content.decode()
    assert "Arrived" in html
    assert "Inspection" not in html and "NLCUSTOMS" not in html and "Physical inspection" not in html


def test_a_booking_finds_its_containers_milestones(client, demo):
    html = client.get("/track/", {"q": "BKGDEMO003"}).content.decode()
    assert DEMO_HIDDEN in html and "Loaded" in html


def test_the_journey_is_drawn_as_a_strip_of_ports(client, demo):
    html = client.get("/track/", {"q": DEMO}).content.decode()
    svg = html[html.index('<svg class="chart"') : html.index("</svg>")]
    assert 'role="img"' in svg
    assert svg.index("CNSHA") < svg.index("NLRTM")


def test_an_unknown_number_gets_a_clear_answer(client, demo):
    response = client.get("/track/", {"q": "NOSUCHBL42"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing is known about NOSUCHBL42." in html
    assert "bill of lading" in html


def test_a_container_number_of_the_wrong_length_is_explained(client, demo):
    html = client.get("/track/", {"q": "BOLU12345"}).content.decode()
    assert "four letters and seven digits" in html


def test_a_wrong_check_digit_is_pointed_out_in_chinese_too(client, demo):
    wrong = DEMO[:-1] + str((int(DEMO[-1]) + 1) % 10)
    html = client.get("/track/", {"q": wrong}, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert f"应为 {iso6346.calc_check_digit(DEMO[:10])}" in html


@override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"public": "3/minute"}})
def test_lookups_are_rate_limited_per_client(client, demo):
    for _ in range(3):
        assert client.get("/track/", {"q": DEMO}).status_code == 200
    response = client.get("/track/", {"q": DEMO})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many lookups" in response.content.decode()
    assert client.get("/track/").status_code == 200  # the bare form is never limited


def test_the_lookup_costs_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/track/", {"q": DEMO})


def test_the_latest_milestone_is_summed_up_first(client, demo):
    html = client.get("/track/", {"q": DEMO}).content.decode()
    assert "Latest: Customs released at Rotterdam (NLRTM), 2026-" in html and "UTC+01:00</p>" in html
    html = client.get("/track/", {"q": DEMO}, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "最新：海关放行，鹿特丹 (NLRTM)，2026-" in html


def test_a_latest_milestone_without_a_place_is_summed_up_without_one(client, demo):
    from tests.unit.tracking.builders import build_event
    from tracking.store import record_events

    record_events([build_event("RLSD", kind="CUSTOMS", box=DEMO, at="2027-01-05T09:00:00Z", location=None)])
    html = client.get("/track/", {"q": DEMO}).content.decode()
    assert "Latest: Customs released, 2027-01-05 09:00 UTC</p>" in html and " at ," not in html
    html = client.get("/track/", {"q": DEMO}, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "最新：海关放行，2027-01-05 09:00 UTC</p>" in html


def test_a_wrong_check_digit_offers_the_number_it_likely_meant(client, demo):
    wrong = DEMO[:-1] + str((int(DEMO[-1]) + 1) % 10)
    html = client.get("/track/", {"q": wrong}).content.decode()
    assert f'href="?q={DEMO}"' in html and f"Track {DEMO}" in html


def test_a_number_without_its_check_digit_is_completed(client, demo):
    html = client.get("/track/", {"q": DEMO[:10].lower()}).content.decode()
    assert f"The check digit is missing: with it the number reads {DEMO}." in html
    assert f'href="?q={DEMO}"' in html


def test_ports_are_named_in_the_readers_language_beside_their_code(client, demo):
    html = client.get("/track/", {"q": DEMO}).content.decode()
    assert "Shanghai (CNSHA)" in html and "Rotterdam (NLRTM)" in html
    html = client.get("/track/", {"q": DEMO}, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "上海 (CNSHA)" in html and "鹿特丹 (NLRTM)" in html


@pytest.mark.parametrize("typed", ["bkgdemo003", "BKGDEMO 003", " bkgdemo-003 "])
def test_a_booking_is_found_however_it_was_typed(client, demo, typed):
    html = client.get("/track/", {"q": typed}).content.decode()
    assert "Shipment BKGDEMO003" in html and DEMO_HIDDEN in html


def test_a_container_number_with_spaces_and_dashes_is_named_in_its_stored_form(client, demo):
    typed = f"{DEMO[:4].lower()} {DEMO[4:10]}-{DEMO[10]}"
    html = client.get("/track/", {"q": typed}).content.decode()
    assert f"Container {DEMO}" in html and "Gate in" in html


def test_a_number_typed_in_full_width_characters_is_found(client, demo):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in DEMO)  # ＢＯＬＵ１２３４５６x, as a Chinese IME types it
    html = client.get("/track/", {"q": full_width}, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert f"集装箱 {DEMO}" in html
    html = client.get("/track/", {"q": "ｂｋｇｄｅｍｏ００３"}).content.decode()
    assert "Shipment BKGDEMO003" in html
