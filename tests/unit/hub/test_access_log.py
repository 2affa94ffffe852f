"""Under Daphne a request leaves one access log line (Daphne's), not a second one from Twisted."""

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def daphne(tmp_path):
    """A real Daphne at verbosity 2 (where Twisted's line would reach the log) on a port of its choosing."""
    access = tmp_path / "access.log"
    output = tmp_path / "daphne.out"
    with open(output, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-v", "2", "--access-log", str(access),
             "-e", "tcp:port=0:interface=127.0.0.1", "tests.unit.hub.daphne_answer:application"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        port = None
        while port is None and time.monotonic() < deadline and process.poll() is None:
            found = re.search(r"Listening on TCP address 127\.0\.0\.1:(\d+)", output.read_text(errors="replace"))
            port = found and int(found.group(1))
            time.sleep(0.05)
        if port is None:
            pytest.fail(f"daphne did not start:\n{output.read_text(errors='replace')}")
        yield port, access, output
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_request_is_logged_once_by_daphne_and_not_again_by_twisted(daphne):
    port, access, output = daphne
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"http://127.0.0.1:{port}/logged-once?x=1", timeout=10) as response:
        assert response.read() == b"ok"
    deadline = time.monotonic() + 10
    while "/logged-once" not in access.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = [line for line in access.read_text().splitlines() if "/logged-once" in line]
    assert len(lines) == 1 and '"GET /logged-once?x=1" 200 2' in lines[0]
    assert "/logged-once" not in output.read_text(errors="replace")  # Twisted's combined-format line
