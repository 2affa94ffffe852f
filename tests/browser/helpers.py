"""What the browser tests send to the live server (a CODECO from the demo terminal, RFID reads), and a wait."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from stdnum import iso6346

DEMO = "BOLU123456" + iso6346.calc_check_digit("BOLU123456")
DEMO_HELD = "BOLU765432" + iso6346.calc_check_digit("BOLU765432")
DEMO_HIDDEN = "HFCU200015" + iso6346.calc_check_digit("HFCU200015")


BILLS = {DEMO: "BOLUSHA000001", DEMO_HELD: "BOLUSHA000002", DEMO_HIDDEN: "BOLUSHA000003"}


def codeco_gate_out(container: str, reference: str, function: str = "9", control: str = "") -> bytes:
    """A CODECO D.95B gate-out at Rotterdam from the demo terminal (YSPIVTERM), time now; its document
    number is ``reference``, its interchange ``control`` (default the same), BGM 1225 ``function``.

    It names the container's own bill of lading (a wrong one would link the container to
    another shipment, and so show it to that shipment's forwarder).
    """
    now = datetime.now(UTC)
    control = control or reference
    body = [
        f"UNB+UNOC:3+YSPIVTERM:ZZZ+LOGIHUB:ZZZ+{now:%y%m%d:%H%M}+{control}++CODECO'",
        "UNH+1+CODECO:D:95B:UN:ITG14'",
        f"BGM+36+{reference}+{function}'",
        "NAD+CF+BLU:160:20'",
        f"EQD+CN+{container}+45G1:102:5++3+5'",
        f"RFF+BM:{BILLS[container]}'",
        f"DTM+7:{now:%Y%m%d%H%M}:203'",
        "LOC+165+NLRTM:139:6+ECTDE:TER:ZZZ'",
        "TDT+1++3+31++++HU4521:146'",
        "CNT+16:1'",
        "UNT+10+1'",
        f"UNZ+1+{control}'",
    ]
    return "\n".join(body).encode("ascii")


def post(url: str, body: bytes, key: str, content_type: str) -> dict:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Authorization": f"Api-Key {key}", "Content-Type": content_type}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the test's own server)
        return {"status": response.status, **json.loads(response.read() or b"{}")}


def container_tag(number: str) -> str:
    """The 96-bit EPC of an ISO 17363-style container tag (the number in 6-bit characters)."""
    bits = "".join(format(ord(c) & 0x3F, "06b") for c in number).ljust(96, "0")
    return format(int(bits, 2), "024X")


TRUCK_TAG = "3314257BF40C0E40000011A9"  # the demo truck seed_demo binds


def gate_in_reads(reader: str, container: str) -> bytes:
    """The reads of the demo truck carrying ``container`` through a lane, now."""
    now = datetime.now(UTC).isoformat()
    reads = [
        {"epc": TRUCK_TAG, "antenna": 1, "rssi": -45.0, "time": now},
        {"epc": container_tag(container), "antenna": 1, "rssi": -48.5, "time": now},
    ]
    return json.dumps({"reader": reader, "reads": reads}).encode()


def declaration(container: str, reference: str) -> bytes:
    """A WCO DM import declaration by the demo forwarder for ``container``.

    The embedded customs simulator answers by a word in the LRN: ``HOLD`` holds the goods,
    no word accepts and releases them.
    """
    template = (Path(__file__).resolve().parents[1] / "fixtures" / "customs" / "WCO_DEC_import.xml").read_text()
    body = template.replace("LRN26BROKER0001", reference).replace("TESTBROKER", "DEMOFWD")
    body = body.replace("OOLU1002005", container).replace(
        "<TransportEquipment><SequenceNumeric>2</SequenceNumeric><ID>CAIU5550017</ID></TransportEquipment>", ""
    )
    return body.encode("utf-8")


def wait_for_js(page, expression: str, timeout_ms: float) -> None:
    """Wait until ``expression`` is true in the page.

    Playwright's ``wait_for_function`` polls a string predicate with ``eval`` inside the page, which
    the site's Content-Security-Policy refuses (no 'unsafe-eval'); ``page.evaluate`` is not bound by it.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout_ms:.0f} ms: {expression}")
        page.wait_for_timeout(50)
