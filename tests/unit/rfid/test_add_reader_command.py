"""``rfid add-reader ID --gate GATE --direction in|out [--bonded]`` prints the reader's key last."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rfid.models import Reader
from tracking.apikeys import find_key

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_reader_registers_a_bonded_out_gate_reader_with_its_own_key():
    output = run("rfid", "add-reader", "GATE7-OUT", "--gate", "GATE7", "--direction", "out", "--bonded")
    reader = Reader.objects.get(reader_id="GATE7-OUT")
    assert (reader.gate, reader.direction, reader.bonded) == ("GATE7", "out", True)
    key = find_key(output.strip().splitlines()[-1])
    assert key.reader == reader and key.party is None


def test_add_reader_defaults_to_not_bonded():
    run("rfid", "add-reader", "R2", "--gate", "G", "--direction", "in")
    assert Reader.objects.get(reader_id="R2").bonded is False


def test_add_reader_refuses_a_duplicate_id():
    run("rfid", "add-reader", "R3", "--gate", "G", "--direction", "in")
    with pytest.raises(CommandError, match="already registered"):
        run("rfid", "add-reader", "R3", "--gate", "G", "--direction", "out")


def test_add_reader_refuses_an_unknown_direction():
    with pytest.raises(CommandError):
        run("rfid", "add-reader", "R4", "--gate", "G", "--direction", "sideways")


def test_readers_lists_silent_readers():
    run("rfid", "add-reader", "R5", "--gate", "G", "--direction", "in")
    assert "R5" in run("rfid", "readers", "--silent") and "SILENT" in run("rfid", "readers")


def test_bind_and_override_from_the_command_line():
    from django.utils import timezone

    from rfid.models import GateTransaction, Reader, TagBinding

    out = run("rfid", "bind", "3314257BF40C0E4000000190", "--kind", "truck", "--reference", "沪B777")
    assert "urn:epc:id:grai:0614141.12345.400" in out and TagBinding.objects.get().reference == "沪B777"
    with pytest.raises(CommandError):
        run("rfid", "bind", "nothex", "--kind", "truck", "--reference", "X")
    run("rfid", "add-reader", "R6", "--gate", "G", "--direction", "out", "--bonded")
    now = timezone.now()
    tx = GateTransaction.objects.create(
        reader=Reader.objects.get(reader_id="R6"),
        gate="G",
        direction="out",
        bonded=True,
        started_at=now,
        last_read_at=now,
        tags=["E2801160"],
    )
    assert "OPEN" in run("rfid", "override", str(tx.pk), "--decision", "OPEN", "--reason", "checked by hand")
    with pytest.raises(CommandError):
        run("rfid", "override", "00000000-0000-0000-0000-000000000000", "--decision", "OPEN", "--reason", "x")


def test_record_pending_with_nothing_pending():
    assert "0 gate events recorded" in run("rfid", "record-pending")
