"""The hot statements are prepared on a real PostgreSQL, once per connection, and nothing else is.

``prepare=True`` alone does nothing under Django's default (``prepare_threshold`` None makes psycopg
ignore it): the container answer was planned anew on every request until the database options set
a threshold (``DB_PREPARED_STATEMENTS``, hub/settings.py).
"""

import pytest
from django.db import connection

from tracking import readsql
from tracking.models import Party
from tracking.visibility import Viewer

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def prepared() -> dict[str, int]:
    """The session's prepared statements: their text's start, and how many times each was planned and run."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return {statement[:30]: runs for statement, runs in cursor.fetchall()}


def test_a_container_answer_is_a_prepared_statement_run_again_on_the_same_connection():
    before = prepared()
    for number in ("MSKU1234565", "TGHU9876543"):
        readsql.fetch(*readsql.container(Viewer(everything=True), number, 1000))
    after = prepared()
    assert set(after) - set(before) == {"WITH c AS MATERIALIZED (SELECT"}
    assert after["WITH c AS MATERIALIZED (SELECT"] == 2


def test_the_orm_statements_are_not_prepared():
    before = prepared()
    for _ in range(3):
        list(Party.objects.filter(edi_id="NOBODY"))
    assert prepared() == before
