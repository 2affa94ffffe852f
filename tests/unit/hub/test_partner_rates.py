"""The partner rate is counted per API key on every partner endpoint: one partner's flood leaves the others theirs."""

import pytest

from tracking.api.throttling import PartnerRateThrottle

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v1/edi/inbound", "/api/v1/customs/declarations", "/api/v1/customs/responses", "/api/v1/events"]


@pytest.fixture
def two_keys(monkeypatch):
    from django.core.cache import cache

    from tracking.apikeys import issue_key
    from tracking.models import Party

    cache.clear()
    monkeypatch.setattr(PartnerRateThrottle, "THROTTLE_RATES", {"partner": "2/minute"})
    keys = []
    for edi_id, role in (("FWDRATEA", "customs"), ("FWDRATEB", "customs")):
        party = Party.objects.create(name=edi_id, edi_id=edi_id, role=role)
        keys.append({"HTTP_AUTHORIZATION": f"Api-Key {issue_key(party=party)[1]}"})
    yield keys
    cache.clear()


@pytest.mark.parametrize("path", ENDPOINTS)
def test_one_partners_flood_does_not_use_up_anothers_rate(api_client, two_keys, path):
    first, second = two_keys
    method = api_client.get if path == "/api/v1/events" else api_client.post
    kwargs = {} if path == "/api/v1/events" else {"data": b"", "content_type": "application/xml"}
    answers = [method(path, **kwargs, **first).status_code for _ in range(3)]
    assert answers[:2].count(429) == 0 and answers[2] == 429, answers
    assert method(path, **kwargs, **second).status_code != 429
