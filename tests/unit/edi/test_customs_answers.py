"""A customs authority's CUSRES goes through the customs gateway, never straight into the store.

The gateway releases goods only when customs and every required agency check have released,
so the translation layer hands it the decisions instead of recording them as facts.
"""

from pathlib import Path

import pytest

from customs_gateway.models import Message
from edi.processing import process, split_customs_answers
from edi.services import receive
from tracking.models import Event, Party

pytestmark = pytest.mark.django_db

CUSRES = (
    Path(__file__).resolve().parents[2] / "fixtures" / "edifact" / "cusres_d96b_logihub_decisions.edi"
).read_bytes()


def test_cusres_decisions_are_split_from_cargo_facts():
    document = {
        "messages": [{"reference": "1", "type": "CUSRES"}, {"reference": "7", "type": "CODECO"}],
        "events": [
            {"eventType": "CUSTOMS", "source": {"messageReference": "1"}},
            {"eventType": "EQUIPMENT", "source": {"messageReference": "7"}},
        ],
    }
    cargo, answers = split_customs_answers(document)
    assert [e["eventType"] for e in cargo] == ["EQUIPMENT"]
    assert list(answers) == ["1"]


def test_a_cusres_for_unknown_declarations_is_quarantined_not_applied():
    customs = Party.objects.create(name="Shanghai Customs", edi_id="CNSHACUSTOMS", role="customs")
    message = receive(CUSRES, channel="http", party=customs).message
    process(str(message.id))
    assert not Event.objects.filter(event_type="CUSTOMS").exists()
    recorded = Message.objects.filter(sender="CNSHACUSTOMS")
    assert recorded.exists()
    assert {m.outcome for m in recorded} == {"quarantined"}
