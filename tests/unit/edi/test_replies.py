"""An AMQP sender's acknowledgements go to its reply queue as the bytes their UNB declares."""

from types import SimpleNamespace

import pytest

from edi import processing
from edi.models import Channel

pytestmark = pytest.mark.django_db


def test_a_contrl_is_published_in_the_repertoire_its_unb_declares(monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(processing, "publish_reply", lambda edi_id, body, *args: sent.append((edi_id, body, args)))
    contrl = "UNA:+.? 'UNB+UNOC:3+HUB+M\u00dcLLER+261125:1200+C1'UNH+1+CONTRL:D:3:UN'UNZ+1+C1'"
    message = SimpleNamespace(
        id="m1",
        channel=Channel.AMQP,
        party_id=1,
        party=SimpleNamespace(edi_id="M\u00dcLLER"),
        outcome={"acknowledgements": [{"type": "CONTRL", "format": "edifact", "body": contrl}]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        processing.reply_on_commit(message)
    [(edi_id, body, (message_id, content_type))] = sent
    assert body == contrl.encode("latin-1") and content_type == "application/edifact"
