"""``partner add NAME --edi-id ID --role ROLE`` prints the new key alone on its last line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tracking.apikeys import find_key
from tracking.models import Party

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_partner_add_creates_the_party_and_prints_a_working_key_last():
    output = run("partner", "add", "Blue Ocean Lines", "--edi-id", "BLUEOCEAN", "--role", "carrier")
    key = output.strip().splitlines()[-1]
    party = Party.objects.get(edi_id="BLUEOCEAN")
    assert party.name == "Blue Ocean Lines" and party.role == "carrier"
    assert find_key(key).party == party


def test_partner_add_refuses_a_second_party_with_the_same_edi_identity():
    run("partner", "add", "A", "--edi-id", "SAMEID", "--role", "carrier")
    with pytest.raises(CommandError, match="already exists"):
        run("partner", "add", "B", "--edi-id", "SAMEID", "--role", "terminal")
    assert Party.objects.filter(edi_id="SAMEID").count() == 1


def test_partner_add_refuses_an_unknown_role():
    with pytest.raises(CommandError):
        run("partner", "add", "A", "--edi-id", "X1", "--role", "pirate")


def test_partner_add_refuses_an_edi_identity_longer_than_unb_allows():
    with pytest.raises(CommandError, match="1 to 35 characters"):
        run("partner", "add", "A", "--edi-id", "X" * 36, "--role", "carrier")


@pytest.mark.parametrize(
    "role", ["forwarder", "carrier", "terminal", "port", "customs", "inspection", "reader-operator"]
)
def test_partner_add_knows_every_role_of_the_spec(role):
    output = run("partner", "add", "P", "--edi-id", f"ID-{role}", "--role", role)
    assert find_key(output.strip().splitlines()[-1]).party.role == role
