"""Access grants from events (sender and named parties) and forwarders' claims (container + B/L)."""

import pytest

from tests.unit.tracking.builders import BOX, OTHER_BOX, build_event
from tracking.access import claim
from tracking.models import Access, Claim, EventParty
from tracking.store import record_events

pytestmark = pytest.mark.django_db


def test_the_sender_and_the_named_parties_are_linked_to_the_event_and_granted_access(make_party):
    carrier, forwarder = make_party("CARRIER", "carrier"), make_party("FWD1")
    record_events([build_event(source="CARRIER", parties=("FWD1", "UNKNOWN"), bill="BL1", booking="BK1")])
    assert set(EventParty.objects.values_list("party__edi_id", "function")) == {("CARRIER", "source"), ("FWD1", "FW")}
    grants = set(Access.objects.filter(party=forwarder).values_list("kind", "reference", "reason"))
    assert grants == {("EQ", BOX, "named"), ("BKG", "BK1", "named"), ("TRD", "BL1", "named")}
    assert Access.objects.filter(party=carrier, reason="source").count() == 3


def test_a_claim_on_a_known_container_and_bill_of_lading_is_proven_at_once(make_party):
    forwarder = make_party("FWD2")
    record_events([build_event(bill="BL2")])
    row = claim(forwarder, BOX.lower(), "BL2")
    assert row.state == "proven"
    assert Access.objects.filter(party=forwarder, kind="TRD", reference="BL2", reason="proven").exists()


def test_a_claim_with_a_container_of_another_bill_is_not_proven(make_party):
    forwarder = make_party("FWD3")
    record_events([build_event(bill="BL3"), build_event(box=OTHER_BOX, bill="BL4")])
    assert claim(forwarder, OTHER_BOX, "BL3").state == "pending"
    assert not Access.objects.filter(party=forwarder).exists()


def test_a_pending_claim_is_proven_when_the_linking_event_arrives(make_party):
    forwarder = make_party("FWD4")
    assert claim(forwarder, BOX, "BL5").state == "pending"
    record_events([build_event(bill="BL5")])
    assert Claim.objects.get().state == "proven"
    assert Access.objects.filter(party=forwarder, kind="TRD", reference="BL5").exists()


def test_claiming_twice_keeps_one_claim(make_party):
    forwarder = make_party("FWD5")
    claim(forwarder, BOX, "BL6")
    claim(forwarder, BOX, "BL6")
    assert Claim.objects.count() == 1


def test_guessing_bills_of_lading_stops_after_a_few_unproven_claims(make_party):
    from tracking.access import MAX_PENDING_CLAIMS
    from tracking.exceptions import TooManyClaims

    guesser = make_party("GUESS")
    record_events([build_event(bill="BL-REAL")])
    for n in range(MAX_PENDING_CLAIMS):
        assert claim(guesser, BOX, f"BL-GUESS-{n}").state == "pending"
    with pytest.raises(TooManyClaims):
        claim(guesser, BOX, "BL-REAL")
    assert claim(guesser, BOX, "BL-GUESS-0").state == "pending"  # repeating an open claim is harmless
    assert not Access.objects.filter(party=guesser).exists()


def test_a_fact_told_again_grants_the_parties_and_bills_the_second_report_names(make_party):
    """A carrier reports a load under its bill; a consolidator's report of the same load names its house
    bill and its forwarder: one event, and that forwarder sees the container as the carrier's client does."""
    from tracking.visibility import Viewer, can_see_container

    forwarder = make_party("FWD9")
    first = build_event("LOAD", source="CARRIER", bill="BL8")
    again = {**build_event("LOAD", source="CONSOL", parties=("FWD9",), bill="HBL9"), "eventID": first["eventID"]}
    record_events([first])
    assert not can_see_container(Viewer(party_ids=(forwarder.pk,)), BOX)
    result = record_events([again])
    assert result.stored == [] and result.duplicates == [first["eventID"]]
    grants = set(Access.objects.filter(party=forwarder).values_list("kind", "reference", "reason"))
    assert grants == {("EQ", BOX, "named"), ("TRD", "HBL9", "named")}
    assert can_see_container(Viewer(party_ids=(forwarder.pk,)), BOX)
