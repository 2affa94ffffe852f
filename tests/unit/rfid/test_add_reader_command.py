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
