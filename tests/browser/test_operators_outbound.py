"""The operators' monitor in a browser: what the platform sent, and times in the reader's own zone.

A CODECO with a wrong segment count earns its sender a CONTRL; a declaration posted by the demo
forwarder goes to the (embedded, simulated) authority. Both show on the outbound side, each
opening on its bytes and parsed structure, linked to the message it answers.
"""

import re
import time

import pytest

from tests.browser.conftest import log_in, shot
from tests.browser.helpers import DEMO, declaration, post
from tests.browser.test_accessibility import serious

pytestmark = pytest.mark.browser

BROKEN = (
    "UNB+UNOA:2+YSPIVTERM:ZZZ+LOGIHUB:ZZZ+261125:1010+{ref}'UNH+1+CODECO:D:95B:UN'"
    "BGM+34+X+9'EQD+CN+MSKU1234565'CNT+16:1'UNT+9+1'UNZ+1+{ref}'"
)


def test_an_operator_follows_a_contrl_we_sent_back_to_the_message_it_answers(page, live_server_url):
    server = live_server_url
    reference = f"OUT{int(time.time()) % 100000}"
    answer = post(
        server["url"] + "/api/v1/edi/inbound",
        BROKEN.format(ref=reference).encode(),
        server["keys"]["YSPIVTERM"],
        "application/edifact",
    )
    assert answer["status"] == 202
    log_in(page, server, "operator")
    page.goto(server["url"] + "/portal/ops/messages/")
    page.get_by_role("link", name="Outbound").click()
    page.wait_for_url(re.compile(r".*direction=out"))
    row = page.locator("#messages tbody tr", has_text=reference).filter(has_text="CONTRL")
    row.first.wait_for()
    assert "Rejected" in row.first.inner_text()
    assert serious(page) == []
    shot(page, "ops-messages-outbound")
    row.first.locator("td").first.get_by_role("link").click()
    page.get_by_role("heading", name="CONTRL sent").wait_for()
    assert page.locator("table.segments th[scope='row']", has_text="UCI").count() == 1
    assert serious(page) == []
    shot(page, "ops-acknowledgement")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("heading", name="Parsed structure").wait_for()
    assert reference in page.inner_text("main")


def test_the_gateways_message_to_the_authority_opens_on_its_envelope_and_thread(page, live_server_url):
    server = live_server_url
    reference = f"LRNOPS{int(time.time()) % 100000}"
    url = server["url"] + "/api/v1/customs/declarations"
    assert post(url, declaration(DEMO, reference), server["keys"]["DEMOFWD"], "application/xml")["status"] == 202
    log_in(page, server, "operator")
    page.goto(server["url"] + "/portal/ops/messages/?direction=out&state=sent")
    row = page.locator("#messages tbody tr", has_text=reference)
    row.first.wait_for()
    row.first.locator("td").first.get_by_role("link").click()
    page.get_by_role("heading", name="DXP envelope").wait_for()
    page.get_by_role("heading", name="Business message carried").wait_for()
    thread = page.locator("#thread + .scroll table")
    assert thread.locator("tbody tr").count() >= 2  # the broker's submission and what we sent, at least
    assert serious(page) == []
    shot(page, "ops-customs-message")


def test_alert_and_monitor_times_are_in_the_readers_own_time_zone(browser, live_server_url):
    server = live_server_url
    context = browser.new_context(locale="en-GB", timezone_id="Asia/Shanghai", viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        log_in(page, server, "forwarder")
        if not page.locator(f"#row-container-{DEMO}").count():
            page.get_by_label("Add a container, bill of lading or booking").fill(DEMO)
            page.get_by_role("button", name="Add", exact=True).click()
            page.wait_for_url(re.compile(r".*/portal/$"))
        alert = page.locator("#alerts li", has_text=DEMO).locator("time").first  # the seeded release
        alert.wait_for()
        assert alert.inner_text().endswith("UTC+08:00"), alert.inner_text()
        assert alert.get_attribute("title").endswith("UTC")  # the UTC original, on hover
        shot(page, "dashboard-shanghai-reader")
        context.clear_cookies()
        log_in(page, server, "operator")
        page.goto(server["url"] + "/portal/ops/messages/")
        first = page.locator("#messages tbody time").first
        first.wait_for()
        assert first.inner_text().endswith("UTC+08:00")
        shot(page, "ops-messages-shanghai-reader")
    finally:
        context.close()
