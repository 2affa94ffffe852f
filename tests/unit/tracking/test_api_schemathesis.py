"""Schemathesis against our own OpenAPI document (/api/v1/schema/): no server error, answers as documented.

Every operation of the document is called through Django's WSGI application (no socket) with a
partner's API key, on a store holding a shipment the partner is named on; schemathesis draws the
path, query and body from the document. Every answer must not be a 5xx and must conform to the
schema documented for its status; the tracking API's answers must also have a documented status
code and content type. Bodies of the two media types schemathesis has no serializer for (an
EDIFACT interchange, a reader's JSON lines) are sent as drawn. Bounded per operation in examples
and derandomized (the same cases every run); the module is marked slow, and runs in ``make test``
like every other test.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.unit.tracking.builders import build_event
from tracking.apikeys import issue_key
from tracking.store import record_events

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
TRACKING = r"^/api/v1/(events|containers|shipments|claims|subscriptions|public)"
EVERY_ANSWER = [not_a_server_error, response_schema_conformance]
TRACKING_ANSWER = [*EVERY_ANSWER, status_code_conformance, content_type_conformance]
BOUNDED = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"public": "100000/minute", "partner": "100000/minute"},
    }


@pytest.fixture(autouse=True)
def _connection_kept_in_the_test_transaction():
    """As Django's test client does: the WSGI calls must not close the connection that holds the test's
    transaction (PostgreSQL would then answer every later query with "the connection is closed")."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def partner(make_party):
    forwarder = make_party("SCHEMA")
    record_events([build_event(code, parties=("SCHEMA",), bill="BL1") for code in ("GTIN", "LOAD")])
    _key, clear = issue_key(party=forwarder, name="schemathesis")
    return {"Authorization": f"Api-Key {clear}"}


@schemathesis.serializer("application/edifact")
def _as_edifact(ctx, value) -> bytes:
    """An EDIFACT body as drawn (the document says binary): its bytes (schemathesis wraps them), text as UTF-8."""
    value = getattr(value, "data", value)
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


@schemathesis.serializer("application/x-ndjson")
def _as_json_lines(ctx, value) -> bytes:
    """A reader's JSON lines as drawn (the document says text): the text itself, anything else one JSON line."""
    return value.encode("utf-8") if isinstance(value, str) else json.dumps(value).encode("utf-8")


# The document is read through the application itself, as a client would read it (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@schema.include(path_regex=TRACKING).parametrize()
@BOUNDED
def test_the_tracking_api_answers_as_its_openapi_document_says(case, partner):
    case.call_and_validate(headers=partner, checks=TRACKING_ANSWER)


@schema.exclude(path_regex=TRACKING).parametrize()
@BOUNDED
def test_no_other_operation_of_the_document_answers_a_server_error_or_an_undocumented_body(case, partner):
    case.call_and_validate(headers=partner, checks=EVERY_ANSWER)
