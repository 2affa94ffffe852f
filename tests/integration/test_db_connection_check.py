"""The kept connection's health check on a real PostgreSQL (hub/db/base.py): a quiet connection
costs no round trip; one the server ended is caught and replaced before a request's first query."""

import time

import psycopg
import pytest

from hub.db.base import quiet

pytestmark = [pytest.mark.integration]


@pytest.fixture
def pair(test_database_url):
    watched = psycopg.connect(test_database_url, autocommit=True)
    other = psycopg.connect(test_database_url, autocommit=True)
    yield watched, other
    watched.close()
    other.close()


def ended(conn, other) -> None:
    """The server ends ``conn``'s session; wait until its goodbye has reached the socket."""
    assert other.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,)).fetchone() == (True,)
    deadline = time.monotonic() + 5
    while quiet(conn.pgconn) and time.monotonic() < deadline:
        time.sleep(0.02)


def test_a_quiet_healthy_connection_is_trusted_without_a_statement(pair):
    watched, other = pair
    watched.execute("SELECT 41 + 1")
    assert quiet(watched.pgconn) and quiet(watched.pgconn)
    last = other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", (watched.info.backend_pid,)).fetchone()
    assert last == ("SELECT 41 + 1",)  # nothing else reached the server


def test_a_connection_inside_a_transaction_is_not_quiet(test_database_url):
    with psycopg.connect(test_database_url) as conn:
        conn.execute("SELECT 1")
        assert not quiet(conn.pgconn)


def test_a_connection_the_server_ended_is_not_quiet(pair):
    watched, other = pair
    ended(watched, other)
    assert not quiet(watched.pgconn)


@pytest.mark.django_db(transaction=True)
def test_django_replaces_a_kept_connection_the_server_ended_before_the_next_query(test_database_url):
    from django.db import connections

    connection = connections["default"]
    assert connection.vendor == "postgresql" and type(connection).__module__ == "hub.db.base"
    connection.ensure_connection()
    before = connection.connection.info.backend_pid
    with psycopg.connect(test_database_url, autocommit=True) as other:
        ended(connection.connection, other)
    assert not connection.is_usable()
    connection.health_check_enabled, connection.health_check_done = True, False  # a new request begins
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != before
