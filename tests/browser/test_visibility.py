"""A forwarder never sees another forwarder's container: not on its pages, not in its export, not on its socket.

DEMO_HIDDEN belongs to a shipment the demo forwarder has not proved. While the forwarder's
dashboard is open, the terminal reports a gate-out of DEMO_HIDDEN and then of DEMO: every frame
the page's websocket receives is recorded, and only DEMO's may arrive.
"""

import re
import time

import pytest

from tests.browser.conftest import log_in, shot
from tests.browser.helpers import DEMO, DEMO_HIDDEN, codeco_gate_out, post, wait_for_js

pytestmark = pytest.mark.browser

RECORD_FRAMES = """
(() => {
  const Native = window.WebSocket;
  window.__frames = [];
  window.WebSocket = function (url, protocols) {
    const socket = protocols ? new Native(url, protocols) : new Native(url);
    socket.addEventListener("message", (m) => window.__frames.push(m.data));
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
})();
"""


def test_another_forwarders_container_reaches_neither_page_nor_export_nor_socket(page, live_server_url):
    server = live_server_url
    page.add_init_script(RECORD_FRAMES)
    log_in(page, server, "forwarder")
    if not page.locator(f"#row-container-{DEMO}").count():
        page.get_by_label("Add a container, bill of lading or booking").fill(DEMO)
        page.get_by_role("button", name="Add", exact=True).click()
        page.wait_for_url(re.compile(r".*/portal/$"))
    page.get_by_label("Add a container, bill of lading or booking").fill(DEMO_HIDDEN)
    page.get_by_role("button", name="Add", exact=True).click()
    page.locator("section.report").wait_for()
    assert "Unknown, or not one of your shipments" in page.inner_text("section.report")
    page.locator("body[data-live='on']").wait_for(timeout=10000)

    stamp = int(time.time()) % 100000
    key = server["keys"]["YSPIVTERM"]
    url = server["url"] + "/api/v1/edi/inbound"
    assert post(url, codeco_gate_out(DEMO_HIDDEN, f"HID{stamp}"), key, "application/edifact")["status"] == 202
    assert post(url, codeco_gate_out(DEMO, f"VIS{stamp}"), key, "application/edifact")["status"] == 202
    wait_for_js(
        page,
        f"window.__frames.some(f => f.includes('VIS{stamp}') || f.includes('{DEMO}') && f.includes('GTOT'))",
        timeout_ms=10000,
    )
    page.wait_for_timeout(500)  # time for a frame about the hidden container, were one ever sent
    frames = page.evaluate("window.__frames")
    assert frames and not [f for f in frames if DEMO_HIDDEN in f]
    assert DEMO_HIDDEN not in page.inner_text("#watchlist")
    shot(page, "visibility-dashboard")

    export = page.request.get(server["url"] + "/portal/export.csv")
    assert export.ok and DEMO in export.text() and DEMO_HIDDEN not in export.text()
    hidden = page.request.get(server["url"] + f"/portal/containers/{DEMO_HIDDEN}/")
    assert hidden.status == 404
    row = page.request.get(server["url"] + f"/portal/row/?kind=container&ref={DEMO_HIDDEN}")
    assert row.status == 404
