"""The forwarders' portal in a real browser: live push without reload, CSV upload, the container page.

The live test posts a CODECO gate-out to ``POST /api/v1/edi/inbound`` with the demo terminal's
key, as a partner would, and sees the row turn to "Gated out" without a reload; then the
demo's gate-in reader reads the truck and the container's tag (``/api/v1/rfid/reads``) and
the row turns to "Gated in". A customs hold and release (declarations answered by the
embedded customs simulator) are announced in the page as they happen.
"""

import re
import time

import pytest

from tests.browser.conftest import log_in, shot
from tests.browser.helpers import BILLS, DEMO, DEMO_HELD, DEMO_HIDDEN, codeco_gate_out, declaration, gate_in_reads, post

pytestmark = pytest.mark.browser


NOTIFICATIONS = """
window.__notes = [];
window.Notification = function (title, options) { window.__notes.push({title: title, body: options.body}); };
window.Notification.permission = "granted";
window.Notification.requestPermission = function () { return Promise.resolve("granted"); };
"""


def watch(page, number: str) -> None:
    page.get_by_label("Add a container, bill of lading or booking").fill(number)
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_url(re.compile(r".*/portal/$"))


def status_text(page, number: str) -> str:
    return page.locator(f"#row-container-{number} td.status").inner_text()


def wait_for_change(page, number: str, before: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if status_text(page, number) != before:
            return True
        page.wait_for_timeout(100)
    return False


def test_the_dashboard_row_changes_when_an_event_is_pushed(page, live_server_url):
    server = live_server_url
    log_in(page, server, "forwarder")
    watch(page, DEMO)
    page.locator("body[data-live='on']").wait_for(timeout=10000)
    page.evaluate("window.__notReloaded = true")
    before = status_text(page, DEMO)
    assert "Discharged" in before

    answer = post(
        server["url"] + "/api/v1/edi/inbound",
        codeco_gate_out(DEMO, f"LIVE{int(time.time()) % 100000}"),
        server["keys"]["YSPIVTERM"],
        "application/edifact",
    )
    assert answer["status"] == 202
    assert wait_for_change(page, DEMO, before, 10), "the CODECO's event did not reach the open dashboard"
    after_codeco = status_text(page, DEMO)
    assert "Gated out" in after_codeco and "NLRTM" in after_codeco

    reads = gate_in_reads("GATE1-IN-L2", DEMO)  # the gate's own events take the same road
    answer = post(server["url"] + "/api/v1/rfid/reads", reads, server["keys"]["reader GATE1-IN-L2"], "application/json")
    assert answer["decision"] == "OPEN", answer
    assert wait_for_change(page, DEMO, after_codeco, 10), "the gate-in did not reach the open dashboard"
    assert "Gated in" in status_text(page, DEMO)
    assert page.evaluate("window.__notReloaded") is True
    shot(page, "dashboard-after-push")


def test_a_cancelled_gate_out_leaves_the_open_dashboard(page, live_server_url):
    """The terminal cancels the gate-out it reported (BGM 1225 1, same document number): the row goes back."""
    server = live_server_url
    log_in(page, server, "forwarder")
    watch(page, DEMO_HELD)
    page.locator("body[data-live='on']").wait_for(timeout=10000)
    page.evaluate("window.__notReloaded = true")
    before = status_text(page, DEMO_HELD)
    document = f"CX{int(time.time()) % 100000}"
    key = server["keys"]["YSPIVTERM"]
    url = server["url"] + "/api/v1/edi/inbound"
    assert post(url, codeco_gate_out(DEMO_HELD, document), key, "application/edifact")["status"] == 202
    assert wait_for_change(page, DEMO_HELD, before, 10), "the gate-out did not reach the open dashboard"
    assert "Gated out" in status_text(page, DEMO_HELD)
    cancellation = codeco_gate_out(DEMO_HELD, document, function="1", control=document + "C")
    assert post(url, cancellation, key, "application/edifact")["status"] == 202
    assert wait_for_change(page, DEMO_HELD, status_text(page, DEMO_HELD), 10), "the cancellation did not arrive"
    assert status_text(page, DEMO_HELD) == before
    assert page.evaluate("window.__notReloaded") is True


def test_a_csv_upload_reports_what_was_not_recognized(page, live_server_url, tmp_path):
    log_in(page, live_server_url, "forwarder")
    wrong = DEMO_HELD[:-1] + str((int(DEMO_HELD[-1]) + 1) % 10)
    upload = tmp_path / "containers.csv"
    rows = f"{DEMO_HELD},watched since the demo\n{BILLS[DEMO]},our bill\n{wrong},typo\n{DEMO_HIDDEN},not ours\n"
    upload.write_text(f"number,remark\n{rows}", encoding="utf-8")
    page.get_by_label("Or upload a CSV or Excel file of container numbers").set_input_files(str(upload))
    page.get_by_role("button", name="Upload", exact=True).click()
    report = page.locator("section.report")
    report.wait_for()
    text = report.inner_text()
    assert "1 number added." in text and "Already on the watchlist" in text
    assert "Wrong check digit" in text and "Unknown, or not one of your shipments" in text
    assert page.locator(f"#row-container-{DEMO_HELD}").is_visible()
    assert "Inspection ordered" in page.locator(f"#row-container-{DEMO_HELD}").inner_text()


def test_the_container_page_shows_timeline_documents_and_customs(page, live_server_url):
    log_in(page, live_server_url, "forwarder")
    page.goto(live_server_url["url"] + f"/portal/containers/{DEMO_HELD}/")
    assert "BOLUSHA000002" in page.inner_text("main")
    assert "Physical inspection ordered" in page.inner_text("main")
    assert page.locator("svg.chart").count() == 1


def test_an_operator_takes_a_message_apart(page, live_server_url):
    server = live_server_url
    post(
        server["url"] + "/api/v1/edi/inbound",
        codeco_gate_out(DEMO_HELD, "OPS0001"),
        server["keys"]["YSPIVTERM"],
        "application/edifact",
    )
    log_in(page, server, "operator")
    page.goto(server["url"] + "/portal/ops/messages/?type=CODECO")
    shot(page, "ops-messages")
    page.locator("#messages tbody a").first.click()
    page.get_by_role("heading", name="Parsed structure").wait_for()
    assert page.locator("table.segments tbody tr").count() >= 12
    page.get_by_role("button", name="Reprocess").click()
    page.locator(".flash").wait_for()
    assert "Reprocessed" in page.inner_text(".flash")


def test_a_hold_and_a_release_are_announced_live(browser, live_server_url):
    server = live_server_url
    # a reader in New York: the announced alerts are timed on the reader's clock
    context = browser.new_context(
        locale="en-GB", timezone_id="America/New_York", viewport={"width": 1024, "height": 768}
    )
    page = context.new_page()
    page.add_init_script(NOTIFICATIONS)  # the forwarder allowed desktop notifications
    try:
        _hold_and_release(page, server)
    finally:
        context.close()


def _hold_and_release(page, server: dict) -> None:
    log_in(page, server, "forwarder")
    if not page.locator(f"#row-container-{DEMO}").count():
        watch(page, DEMO)
    page.locator("body[data-live='on']").wait_for(timeout=10000)
    page.evaluate("window.__notReloaded = true")
    alerts = page.locator("#alerts")
    stamp = int(time.time()) % 100000
    key = server["keys"]["DEMOFWD"]
    url = server["url"] + "/api/v1/customs/declarations"
    assert post(url, declaration(DEMO, f"LRNHOLD{stamp}"), key, "application/xml")["status"] == 202
    held = alerts.locator("li.held", has_text=f"{DEMO}: Held (CNCUSTOMS-SIM)").first
    held.wait_for(timeout=15000)
    offset = page.evaluate("new Date().getTimezoneOffset() === 300 ? 'UTC-05:00' : 'UTC-04:00'")
    assert held.locator("time").inner_text().endswith(offset), held.inner_text()
    page.locator(f"#row-container-{DEMO} .badge.hold").first.wait_for(timeout=5000)
    assert post(url, declaration(DEMO, f"LRNFREE{stamp}"), key, "application/xml")["status"] == 202
    alerts.locator("li.released", has_text=f"{DEMO}: Released (CNCUSTOMS-SIM)").first.wait_for(timeout=15000)
    page.locator(f"#row-container-{DEMO} .badge.hold").first.wait_for(state="detached", timeout=5000)
    # the release lifted the simulator's hold in the re-rendered row
    assert page.evaluate("window.__notReloaded") is True
    shown = page.evaluate("window.__notes")
    assert any(n["body"].startswith(f"{DEMO}: Held") for n in shown), shown
    assert any(n["body"].startswith(f"{DEMO}: Released") for n in shown), shown
    shot(page, "dashboard-hold-and-release")


def test_the_list_narrows_as_the_forwarder_types(page, live_server_url):
    log_in(page, live_server_url, "forwarder")
    for number in (DEMO, DEMO_HELD):
        if not page.locator(f"#row-container-{number}").count():
            watch(page, number)
    page.get_by_label("Filter the list").fill(DEMO_HELD[-5:])
    assert page.locator(f"#row-container-{DEMO_HELD}").is_visible()
    assert page.locator(f"#row-container-{DEMO}").is_hidden()
    assert re.match(r"Showing 1 of \d+", page.inner_text("#list-count"))
    page.get_by_label("Filter the list").fill("")
    page.get_by_label("Held only").check()
    assert page.locator(f"#row-container-{DEMO_HELD}").is_visible()  # an inspection hold
    assert page.locator(f"#row-container-{DEMO}").is_hidden()
    shot(page, "dashboard-filtered")
