"""Shared test setup: helpers every suite uses."""

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async


@pytest.fixture(autouse=True)
def forget_key_checks():
    """Each test starts with no API key checks kept from another test's keys."""
    from tracking.apikeys import forget

    forget()
    yield
    forget()


@pytest.fixture(autouse=True)
def webhooks_to_loopback(settings):
    """The tests' webhook receivers listen on 127.0.0.1, which production refuses (tracking/destinations.py);
    the tests of that refusal turn this off again."""
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True


@pytest_asyncio.fixture
async def sync_thread_connections_closed():
    """For async tests: the connection that sync_to_async's thread opened is closed afterwards; on
    PostgreSQL one left open stops the test database from being dropped at the end of the run."""
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def party(db):
    from tracking.models import Party

    return Party.objects.create(name="Test Carrier", edi_id="TESTCARRIER", role="carrier")


@pytest.fixture
def party_key(party):
    from tracking.apikeys import issue_key

    _key, clear = issue_key(party=party, name="test")
    return clear
