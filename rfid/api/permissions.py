"""Who may call which RFID endpoint: readers post reads, gate operators bind tags and override."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

OPERATOR_ROLES = frozenset({"reader-operator", "port", "terminal"})
EPCIS_READER_ROLES = OPERATOR_ROLES | {"customs", "inspection"}


def reader_of(request):
    """The reader of the key that authenticated the request, or None."""
    return getattr(request.user, "reader", None)


def party_of(request):
    return getattr(request.user, "party", None)


class IsReader(permissions.BasePermission):
    """Only a gate reader's own key."""

    message = _("Only a gate reader's API key may post here.")

    def has_permission(self, request, view) -> bool:
        return reader_of(request) is not None


class IsGateOperator(permissions.BasePermission):
    """Staff, or the key of a party that runs gates (reader operator, port, terminal)."""

    message = _("Only gate operators may do this.")

    def has_permission(self, request, view) -> bool:
        if getattr(request.user, "is_staff", False):
            return True
        party = party_of(request)
        return party is not None and party.role in OPERATOR_ROLES


class MayReadEpcis(permissions.BasePermission):
    """Staff, gate operators, customs and inspection agencies."""

    message = _("This key may not read gate events.")

    def has_permission(self, request, view) -> bool:
        if getattr(request.user, "is_staff", False):
            return True
        party = party_of(request)
        return party is not None and party.role in EPCIS_READER_ROLES


def gate_rows(request, rows: QuerySet, reader_field: str = "reader") -> QuerySet:
    """``rows`` (transactions, observations) narrowed to what the caller may see or act on.

    A reader operator runs some gates of the port (a contractor): it sees and overrides the passes of the
    readers it operates, not another operator's. Staff, the port and terminals see every gate.
    """
    party = party_of(request)
    if party is not None and party.role == "reader-operator":
        return rows.filter(**{f"{reader_field}__operator": party})
    return rows


def actor(request) -> str:
    """Who did it, for the audit trail."""
    party = party_of(request)
    if party is not None:
        return f"party:{party.edi_id}"
    return f"user:{getattr(request.user, 'username', '') or '?'}"
