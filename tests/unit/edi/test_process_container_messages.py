"""The new container and conveyance messages go through processing: events stored, VERMAS processed with none."""

import pytest

from edi import processing
from edi.models import MessageState, RawMessage
from edi.services import receive
from tests.unit.edi.container_fixtures import FIXTURES
from tracking.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def cfs(db):
    from tracking.models import Party

    return Party.objects.create(name="Test CFS", edi_id="CNSHACFS", role="terminal")


def _processed(name: str, party) -> RawMessage:
    message = receive((FIXTURES / name).read_bytes(), channel="http", party=party).message
    assert processing.process(str(message.id)) == MessageState.PROCESSED
    return RawMessage.objects.get(pk=message.id)


def test_a_stuffing_confirmation_stores_its_stuffing_events(cfs):
    message = _processed("costco_d95b_logihub_stuffing.edi", cfs)
    assert len(message.outcome["eventIDs"]) == 3
    assert sorted(Event.objects.values_list("type_code", flat=True)) == ["DEPA", "STUF", "STUF"]


def test_a_verified_gross_mass_is_processed_with_no_events_and_no_error(cfs):
    cfs.edi_id = "SHIPPER1"
    cfs.save()
    message = _processed("vermas_d16a_logihub_vgm.edi", cfs)
    assert message.outcome["eventIDs"] == []
    assert not message.outcome.get("errors")
    assert Event.objects.count() == 0
