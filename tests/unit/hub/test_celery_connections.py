"""A Celery worker keeps its database connection between tasks, as a request thread does, and drops it
when it is too old or left unusable; a task run eagerly (inside its caller's transaction) is left alone."""

import time
from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from hub.celery import _close_old_database_connections, app

pytestmark = pytest.mark.django_db(transaction=True)


def task(eager: bool) -> SimpleNamespace:
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager))


@pytest.fixture
def closed(monkeypatch) -> list[str]:
    """The connection opened, and its closing recorded (the unit tests' in-memory SQLite ignores a close)."""
    connection.ensure_connection()
    calls: list[str] = []
    monkeypatch.setattr(connection, "close", lambda: calls.append(connection.alias))
    return calls


def test_celerys_django_fixup_no_longer_closes_the_connection_around_each_task(closed):
    fixup = DjangoWorkerFixup(app)
    for _task in range(3):
        fixup.on_task_prerun(sender=task(eager=False))
        fixup.on_task_postrun(sender=task(eager=False))
    assert closed == []


def test_a_connection_within_its_age_is_kept_between_tasks(closed):
    connection.close_at = time.monotonic() + 60
    _close_old_database_connections(task=task(eager=False))
    assert closed == []


def test_a_connection_past_its_age_is_closed_between_tasks(closed):
    connection.close_at = time.monotonic() - 1
    _close_old_database_connections(task=task(eager=False))
    assert closed == ["default"]


def test_a_connection_that_failed_and_no_longer_answers_is_closed_between_tasks(closed, monkeypatch):
    connection.close_at = time.monotonic() + 60
    monkeypatch.setattr(connection, "errors_occurred", True)
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    _close_old_database_connections(task=task(eager=False))
    assert closed == ["default"]


def test_an_eager_task_leaves_its_callers_connection_alone(closed):
    connection.close_at = time.monotonic() - 1
    _close_old_database_connections(task=task(eager=True))
    assert closed == []
