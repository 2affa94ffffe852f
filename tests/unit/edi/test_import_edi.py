"""``import_edi PATH...``: every file received over the file channel, with a summary."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from edi.models import RawMessage

pytestmark = pytest.mark.django_db


def interchange(ref: str) -> bytes:
    return (
        f"UNB+UNOA:2+TESTCARRIER+LOGIHUB+261125:0800+{ref}'UNH+1+CODECO:D:95B:UN'BGM+34+X+9'"
        f"EQD+CN+MSKU1234565'CNT+16:1'UNT+5+1'UNZ+1+{ref}'"
    ).encode()


def test_a_folder_is_imported_with_a_summary(tmp_path, party):
    for n in range(3):
        (tmp_path / f"m{n}.edi").write_bytes(interchange(f"R{n}"))
    (tmp_path / "copy.edi").write_bytes(interchange("R0"))
    out = StringIO()
    call_command("import_edi", str(tmp_path), stdout=out)
    assert RawMessage.objects.filter(channel="file").count() == 4
    assert RawMessage.objects.filter(state="duplicate").count() == 1
    summary = out.getvalue()
    assert "stored" in summary and "duplicate" in summary


def test_files_from_unknown_senders_are_refused_and_reported(tmp_path, db):
    (tmp_path / "a.edi").write_bytes(interchange("R1"))
    (tmp_path / "b.edi").write_bytes(b"not a message at all")
    out = StringIO()
    with pytest.raises(CommandError, match="2 of 2 files were refused"):
        call_command("import_edi", str(tmp_path), stdout=out)
    assert "not a registered party" in out.getvalue()


def test_a_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_edi", str(tmp_path / "nope"))
