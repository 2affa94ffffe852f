"""``edi.services.receive``: the raw message and its receipt keys in few statements; duplicates by either key."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from edi.models import MessageState, ReceiptKey
from edi.services import receive
from tests.unit.edi.test_inbound_api import CODECO
from tracking.models import Party

pytestmark = pytest.mark.django_db


@pytest.fixture
def party():
    return Party.objects.create(name="Test carrier", edi_id="TESTCARRIER", role="carrier")


def test_a_message_and_both_its_receipt_keys_take_two_inserts(party):
    with CaptureQueriesContext(connection) as queries:
        receipt = receive(CODECO, channel="http", party=party)
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 2, inserts
    assert sorted(k.split(":")[0] for k in receipt.message.receipt_keys.values_list("key", flat=True)) == ["icr", "sha"]


def test_the_same_bytes_again_are_a_duplicate_and_claim_no_key(party):
    first = receive(CODECO, channel="http", party=party).message
    again = receive(CODECO, channel="file", party=party)
    assert again.duplicate and again.duplicate_of == first
    assert again.message.state == MessageState.DUPLICATE
    assert ReceiptKey.objects.filter(message=again.message).count() == 0


def test_other_bytes_under_a_taken_control_reference_are_a_duplicate_of_its_owner(party):
    first = receive(CODECO, channel="http", party=party).message
    other = receive(CODECO.replace(b"GATEIN0001", b"GATEIN0002"), channel="http", party=party)
    assert other.duplicate_of == first and ReceiptKey.objects.filter(message=other.message).count() == 0


def test_an_interchange_first_received_without_a_party_is_a_duplicate_for_a_party_too(party):
    first = receive(CODECO, channel="file", party=None).message  # no party: the content key is its own
    assert receive(CODECO, channel="http", party=party).duplicate_of == first  # the interchange key is shared
