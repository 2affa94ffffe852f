"""Accessibility of the main pages, checked with axe-core (bundled by axe-playwright-python).

Every page is loaded, checked, and kept as a screenshot; a page that fetches anything from
outside the platform (a CDN, a web font) fails too. A serious or critical violation fails
the test with the rule, its help text and the offending elements.
"""

import re

import pytest

from tests.browser.conftest import log_in, shot
from tests.browser.helpers import DEMO, DEMO_HIDDEN, codeco_gate_out, gate_in_reads, post

pytestmark = pytest.mark.browser

PUBLIC = {
    "track": "/track/",
    "track-result": f"/track/?q={DEMO}",
    "track-unknown": "/track/?q=ABCU1234567",
    "login": "/portal/login/",
}
FORWARDER = {
    "dashboard": "/portal/",
    "container": f"/portal/containers/{DEMO}/",
    "shipment": "/portal/shipments/BOLUSHA000001/",
    "webhooks": "/portal/webhooks/",
}
OPERATOR = {
    "ops": "/portal/ops/",
    "ops-messages": "/portal/ops/messages/",
    "ops-messages-out": "/portal/ops/messages/?direction=out",
    "ops-gates": "/portal/ops/gates/",
    "ops-customs": "/portal/ops/customs/",
}


def serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check(page, server: dict, pages: dict[str, str]) -> list[str]:
    """Serious axe violations of each page, and any request that left the platform (no CDN, no web font)."""
    problems = []
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server["url"], "data:")) else None)
    for name, path in pages.items():
        page.goto(server["url"] + path)
        page.wait_for_load_state("networkidle")
        problems += [f"{path}: {p}" for p in serious(page)]
        problems += [f"{path}: fetched from outside the platform: {url}" for url in outside]
        outside.clear()
        shot(page, f"a11y-{name}")
    return problems


def test_the_public_pages_have_no_serious_accessibility_violations(page, live_server_url):
    assert check(page, live_server_url, PUBLIC) == []


def test_the_forwarders_pages_have_no_serious_accessibility_violations(page, live_server_url):
    log_in(page, live_server_url, "forwarder")
    page.get_by_label("Add a container, bill of lading or booking").fill(DEMO)
    page.get_by_role("button", name="Add", exact=True).click()
    assert check(page, live_server_url, FORWARDER) == []


def test_the_operators_pages_have_no_serious_accessibility_violations(page, live_server_url):
    server = live_server_url
    post(
        server["url"] + "/api/v1/edi/inbound",
        codeco_gate_out(DEMO_HIDDEN, "A11Y0001"),
        server["keys"]["YSPIVTERM"],
        "application/edifact",
    )
    post(
        server["url"] + "/api/v1/rfid/reads",
        gate_in_reads("GATE1-IN-L2", DEMO_HIDDEN),
        server["keys"]["reader GATE1-IN-L2"],
        "application/json",
    )
    log_in(page, server, "operator")
    assert check(page, live_server_url, OPERATOR) == []


def test_the_chinese_pages_on_a_tablet_have_no_serious_accessibility_violations(browser, live_server_url):
    context = browser.new_context(locale="zh-CN", viewport={"width": 820, "height": 1180})  # a tablet, upright
    page = context.new_page()
    try:
        assert check(page, live_server_url, {"track-zh-tablet": f"/track/?q={DEMO}"}) == []
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        page.goto(live_server_url["url"] + "/portal/login/")
        page.get_by_label("用户名").fill("forwarder")
        page.get_by_label("密码").fill(live_server_url["logins"]["forwarder"])
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r".*/portal/$"))
        assert check(page, live_server_url, {"dashboard-zh-tablet": "/portal/"}) == []
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 820, "the dashboard scrolls sideways on a tablet"
    finally:
        context.close()


@pytest.mark.parametrize(("username", "pages"), [("forwarder", FORWARDER), ("operator", OPERATOR)])
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server_url, username, pages):
    """A wide table scrolls inside its own box; the page itself (and its header) stays the phone's width."""
    context = browser.new_context(locale="en-GB", viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        log_in(page, live_server_url, username)
        wide = []
        for name, path in pages.items():
            page.goto(live_server_url["url"] + path)
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                wide.append(f"{path}: {width}px")
                shot(page, f"phone-{name}")
        assert wide == []
    finally:
        context.close()
