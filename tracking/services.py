"""Party registration, shared by the command line, the admin and the demo seed."""

from __future__ import annotations

from django.db import transaction

from tracking.apikeys import issue_key
from tracking.choices import PartyRole
from tracking.models import Party


class PartyExists(Exception):
    """A party with this EDI identity is already registered."""


@transaction.atomic
def add_partner(name: str, *, edi_id: str, role: str) -> tuple[Party, str]:
    """Create a party with its EDI identity and issue its first API key; return both."""
    if role not in PartyRole.values:
        raise ValueError(f"unknown role {role!r}; roles: {', '.join(PartyRole.values)}")
    if not edi_id or len(edi_id) > 35:
        raise ValueError("the EDI identity must be 1 to 35 characters (UNB 0004)")
    if Party.objects.filter(edi_id=edi_id).exists():
        raise PartyExists(f"a party with EDI identity {edi_id!r} already exists")
    party = Party.objects.create(name=name, edi_id=edi_id, role=role)
    _key, clear = issue_key(party=party, name="issued by partner add")
    return party, clear
