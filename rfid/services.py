"""Reader registration, shared by the command line, the admin and the demo seed."""

from __future__ import annotations

from django.db import transaction

from rfid.models import Reader
from tracking.apikeys import issue_key


class ReaderExists(Exception):
    """A reader with this id is already registered."""


@transaction.atomic
def add_reader(
    reader_id: str, *, gate: str, direction: str, bonded: bool = False, lane: str = ""
) -> tuple[Reader, str]:
    """Register a reader and issue its own API key; return the reader and the clear key."""
    if Reader.objects.filter(reader_id=reader_id).exists():
        raise ReaderExists(f"reader {reader_id!r} is already registered")
    reader = Reader.objects.create(reader_id=reader_id, gate=gate, direction=direction, bonded=bonded, lane=lane)
    _key, clear = issue_key(reader=reader, name=f"reader {reader_id}")
    return reader, clear
