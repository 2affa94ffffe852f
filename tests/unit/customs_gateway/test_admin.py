"""Operators' admin pages for the gateway render, the quarantine can be reprocessed, the audit cannot be edited."""

import pytest

from customs_gateway.inbound import receive
from customs_gateway.outbound import dispatch, submit
from tests.unit.customs_gateway.conftest import fixture


@pytest.fixture
def operator(client, django_user_model):
    user = django_user_model.objects.create_superuser("ops", "ops@example.org", "pw-for-tests-only")
    client.force_login(user)
    return client


def test_the_gateways_admin_pages_render(operator, broker, sim):
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    receive(b"<garbage/>")
    for url in (
        "/admin/customs_gateway/declaration/",
        f"/admin/customs_gateway/declaration/{declaration.pk}/change/",
        "/admin/customs_gateway/message/?outcome__exact=quarantined",
        "/admin/customs_gateway/auditentry/",
        "/admin/customs_gateway/trustedcertificate/",
    ):
        assert operator.get(url).status_code == 200, url


def test_an_audit_entry_cannot_be_changed_from_the_admin(operator, broker, sim):
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    entry = declaration.audit_entries.first()
    response = operator.post(f"/admin/customs_gateway/auditentry/{entry.pk}/change/", {"reason": "edited"})
    assert response.status_code == 403
