"""manage.py customs check-overdue | export | trust."""

import json
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from customs_gateway.models import Declaration
from customs_gateway.outbound import dispatch, submit
from tests.unit.customs_gateway.conftest import fixture


def test_check_overdue_resubmits_what_got_no_receipt(broker, sim):
    sim.rules.drop_next = 5
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    dispatch(declaration.pk)
    Declaration.objects.filter(pk=declaration.pk).update(receipt_due_at=timezone.now() - timedelta(seconds=1))
    out = StringIO()
    call_command("customs", "check-overdue", stdout=out)
    assert "resubmitted 1 declaration(s)" in out.getvalue()
    assert declaration.messages.filter(role="outbound").count() == 2


def test_export_prints_the_audit_trail_as_json(broker, sim):
    declaration = submit(broker, fixture("WCO_DEC_import.xml"), actor="test")
    out = StringIO()
    call_command("customs", "export", declaration.business_reference, stdout=out)
    data = json.loads(out.getvalue())
    assert data["businessReference"] == "LRN26BROKER0001" and data["audit"][0]["action"] == "message"


def test_trust_registers_a_certificate(db, tmp_path):
    from customs_gateway.keys import self_signed
    from customs_gateway.models import TrustedCertificate

    _key, cert = self_signed("an authority")
    path = tmp_path / "authority.pem"
    path.write_bytes(cert)
    out = StringIO()
    call_command("customs", "trust", "CNCUSTOMS", str(path), stdout=out)
    assert TrustedCertificate.objects.get().fingerprint == out.getvalue().strip()
