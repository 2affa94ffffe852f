"""The first pages in a real browser: public tracking, the portal login, the API docs, languages."""

import re

import pytest
from stdnum import iso6346

pytestmark = pytest.mark.browser

DEMO_CONTAINER = "BOLU123456" + iso6346.calc_check_digit("BOLU123456")


def test_public_lookup_shows_the_journey_milestones(page, live_server_url):
    page.goto(live_server_url["url"] + "/track/")
    page.get_by_label("Container number, bill of lading or booking").fill(DEMO_CONTAINER)
    page.get_by_role("button", name="Track").click()
    timeline = page.locator("ol.timeline")
    timeline.wait_for()
    assert "Gate in" in timeline.inner_text()
    assert "NLRTM" in timeline.inner_text()


def test_a_forwarder_logs_in_to_the_portal(page, live_server_url):
    page.goto(live_server_url["url"] + "/portal/")
    assert "/portal/login/" in page.url
    page.get_by_label("User name").fill("forwarder")
    page.get_by_label("Password").fill(live_server_url["logins"]["forwarder"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/portal/$"))
    assert "Signed in as forwarder" in page.content()


def test_the_language_switch_turns_the_page_chinese(page, live_server_url):
    page.goto(live_server_url["url"] + "/track/")
    page.select_option("#language", "zh-hans")
    page.wait_for_load_state("load")
    page.locator("html[lang='zh-hans']").wait_for()
    assert "货物追踪" in page.content()


def test_the_api_docs_render_from_our_own_assets(page, live_server_url):
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server_url["url"]) else None)
    page.goto(live_server_url["url"] + "/api/v1/docs/")
    page.locator(".swagger-ui .info").wait_for(timeout=15000)
    assert "logihub API" in page.inner_text(".swagger-ui .info")
    assert external == []


def test_the_dashboard_follows_the_language_switch_and_stays_live(page, live_server_url):
    from tests.browser.conftest import log_in, shot

    log_in(page, live_server_url, "forwarder")
    page.select_option("#language", "zh-hans")
    page.locator("html[lang='zh-hans']").wait_for()
    assert page.get_by_role("heading", name="工作台").is_visible()
    assert "关注的集装箱和货物" in page.inner_text("main")
    shot(page, "dashboard-zh-hans")
    page.select_option("#language", "en")
    page.locator("html[lang='en']").wait_for()
    assert page.get_by_role("heading", name="Dashboard").is_visible()


def test_an_injected_inline_script_does_not_run_and_is_reported(page, live_server_url):
    from tests.browser.conftest import CSP_VIOLATIONS

    page.goto(live_server_url["url"] + "/track/")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.injected = 1";
                   document.body.appendChild(s); }"""
    )
    assert page.evaluate("() => window.injected") is None
    page.wait_for_timeout(200)  # the console message arrives after the refusal
    assert any("script-src" in text for text in CSP_VIOLATIONS), CSP_VIOLATIONS
    CSP_VIOLATIONS.clear()  # the one this test caused on purpose


def test_the_admin_and_the_browsable_api_run_under_the_policy(page, live_server_url):
    page.goto(live_server_url["url"] + "/admin/login/")
    page.get_by_label("Username").wait_for()
    page.goto(live_server_url["url"] + "/api/v1/events", wait_until="load")
    assert page.locator("#content, .content-main, body").first.is_visible()


def test_the_keyboard_reaches_the_lookup_by_the_skip_link(page, live_server_url):
    page.goto(live_server_url["url"] + "/track/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.bounding_box()["x"] >= 0  # shown on the page once focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type(DEMO_CONTAINER)
    page.keyboard.press("Enter")
    page.locator("ol.timeline").wait_for()
    assert "Gate in" in page.inner_text("ol.timeline")
