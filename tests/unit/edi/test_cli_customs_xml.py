"""``manage.py edi translate|validate`` on customs XML: the SPEC's document, errors at element path and line."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "customs"


def run(*args):
    out = StringIO()
    call_command("edi", *[str(a) for a in args], stdout=out, stderr=StringIO())
    return out.getvalue()


def test_translate_prints_one_document_for_a_manifest():
    document = json.loads(run("translate", FIXTURES / "MT4101_loading.xml"))
    assert set(document) >= {"messages", "events", "errors"}
    message = document["messages"][0]
    assert {k: message[k] for k in ("type", "version", "reference", "sender", "recipient", "status")} == {
        "type": "MT4101",
        "version": "1.0",
        "reference": "TESTCARRIER_MT4101_20261128200000001",
        "sender": "TESTCARRIER_SWS0000000001",
        "recipient": "2248",
        "status": "accepted",
    }
    assert [e["equipmentEventTypeCode"] for e in document["events"]] == ["LOAD"]


def test_validate_names_the_element_path_and_line_and_exits_1(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes((FIXTURES / "MT4101_loading.xml").read_bytes().replace(b"<JourneyID>048W</JourneyID>", b""))
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("edi", "validate", str(broken), stdout=out, stderr=StringIO())
    assert caught.value.returncode == 1
    assert "/Manifest/Declaration/BorderTransportMeans" in out.getvalue() and "line 16" in out.getvalue()


@pytest.mark.parametrize("body", [b"\x89PNG\r\n\x1a\n", b"   ", b"<", b"\xff\xfe\x00<\x00"])
def test_translate_of_what_is_no_message_is_one_line_on_stderr_and_exit_1(tmp_path, body):
    path = tmp_path / "junk.xml"
    path.write_bytes(body)
    proc = subprocess.run(
        [sys.executable, "manage.py", "edi", "translate", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stdout
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
