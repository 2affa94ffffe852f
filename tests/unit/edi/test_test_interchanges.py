"""A partner's test interchange (UNB 0035 = 1) is translated and answered, never stored as facts."""

import pytest

from edi.models import RawMessage
from edi.processing import process
from edi.services import receive
from edi.translate import translate_bytes
from tracking.models import Event

pytestmark = pytest.mark.django_db


def codeco(test: bool) -> bytes:
    flags = "++++1++1" if test else ""  # 0031 acknowledgement requested, 0035 test indicator
    return (
        f"UNB+UNOA:2+TESTCARRIER+LOGIHUB+261125:0800+CTRL{int(test)}{flags}'UNH+1+CODECO:D:95B:UN'BGM+34+X+9'"
        "NAD+CF+TESTCARRIER:160:ZZZ'EQD+CN+MSKU1234565'DTM+7:202611250700:203'CNT+16:1'UNT+7+1'"
        f"UNZ+1+CTRL{int(test)}'"
    ).encode()


def test_the_translation_of_a_test_interchange_says_so_and_still_shows_its_events():
    document = translate_bytes(codeco(True))
    assert document["test"] is True
    assert [e["equipmentReference"] for e in document["events"]] == ["MSKU1234565"]
    assert "test" not in translate_bytes(codeco(False))


def test_a_test_interchange_stores_no_event(party):
    message = receive(codeco(True), channel="http", party=party).message
    process(str(message.id))
    outcome = RawMessage.objects.get(pk=message.id).outcome
    assert Event.objects.count() == 0
    assert outcome["test"] is True and outcome["storedEvents"] == 0 and outcome["messages"][0]["status"] == "accepted"


def test_a_live_interchange_from_the_same_partner_is_stored(party):
    message = receive(codeco(False), channel="http", party=party).message
    process(str(message.id))
    assert Event.objects.count() == 1
    assert RawMessage.objects.get(pk=message.id).outcome["test"] is False


def test_a_syntax_only_test_interchange_is_a_test_too(party):
    # syntax 4's 0035 = 2, "test only syntax of structure": its facts are no more real than a test's
    body = codeco(True).replace(b"UNOA:2", b"UNOC:4").replace(b"261125:0800", b"20261125:0800")
    body = body.replace(b"++++1++1'", b"++++1++2'")
    assert translate_bytes(body)["test"] is True
    message = receive(body, channel="http", party=party).message
    process(str(message.id))
    assert Event.objects.count() == 0
