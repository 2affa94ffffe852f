"""Random input never makes the tracking API answer a server error; every 4xx has the error shape.

A stand-in for schemathesis (not a dependency here): hypothesis draws parameters, path segments
and bodies for each tracking endpoint of the OpenAPI document.
"""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.tracking.builders import BOX, build_event
from tracking.filters import KNOWN
from tracking.store import record_events

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
params = st.dictionaries(st.sampled_from(sorted(KNOWN | {"cursor", "limit", "x"})), text, max_size=4)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | text, lambda inner: st.lists(inner) | st.dictionaries(text, inner)
)


def check(response) -> None:
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        error = response.json()["error"]
        assert set(error) == {"code", "message", "position"}


@pytest.fixture
def staff_client(api_client, operator):
    record_events([build_event("GTIN", bill="BL1")])
    api_client.force_authenticate(operator)
    return api_client


@FUZZ
@given(query=params)
def test_the_events_list_survives_any_query(staff_client, query):
    check(staff_client.get("/api/v1/events", query))


@FUZZ
@given(segment=text.filter(lambda s: s.strip("./") and "/" not in s), kind=st.sampled_from(["", "BKG", "TRD", "X"]))
def test_detail_views_survive_any_reference(staff_client, segment, kind):
    path = quote(segment, safe="")
    check(staff_client.get(f"/api/v1/containers/{path}"))
    check(staff_client.get(f"/api/v1/shipments/{path}", {"documentReferenceType": kind} if kind else {}))
    check(staff_client.get(f"/api/v1/public/track/{path}"))


@pytest.fixture
def partner_headers(make_party, key_for):
    return key_for(make_party("FUZZ"))


@FUZZ
@given(body=json_values)
def test_claims_and_subscriptions_survive_any_body(api_client, partner_headers, body):
    h = partner_headers
    check(api_client.post("/api/v1/claims", body, format="json", **h))
    check(api_client.post("/api/v1/subscriptions", body, format="json", **h))
    claim = {"equipmentReference": BOX, "transportDocumentReference": body}
    check(api_client.post("/api/v1/claims", claim, format="json", **h))
    subscription = {"callbackUrl": "https://example.com/h", "filters": body}
    check(api_client.post("/api/v1/subscriptions", subscription, format="json", **h))
