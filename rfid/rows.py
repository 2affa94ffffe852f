"""Plain SQL for the reads hot path: select, insert and update rows without the ORM's query compiling,
and send several statements in one round trip.

Profiling ``process_reads`` showed the ORM compiling queries (``bulk_update``'s ``CASE WHEN`` above
all) as most of a post's time on SQLite; on PostgreSQL it was the wait for each of a post's ten
round trips. These helpers run fixed SQL, with parameters prepared by the model fields (so SQLite
and PostgreSQL both get what they expect) and results converted back per field. Inside
:func:`pipelined`, PostgreSQL gets the statements queued (psycopg's pipeline mode) and answers them
together when a result is first asked for; elsewhere they run one by one, with the same results.

On PostgreSQL the statements go out as server-side prepared statements on a plain psycopg cursor
(Django's cursors bind parameters client-side, so the server parsed and planned every statement of
every post again); a list of values is one array parameter (:func:`any_of`), so that a statement's
text does not change with the number of tags. Errors still arrive as Django's database errors.
A post's writes go out as one statement (:func:`write_together`): each psycopg statement in a
pipeline is its own send, made holding the GIL, which profiling under Daphne showed as half of a
post's time in the server.

    >>> with pipelined():
    ...     later = select_later(Observation, "gate = %s AND tag IN (...)", params)
    ...     other = query_later("SELECT ...", params)
    ...     rows = later.fetch()        # one round trip for both
    >>> update(Observation, rows, ["count", "last_seen"])
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.db import DatabaseError, connection, models, transaction
from django.utils.dateparse import parse_datetime

from tracking import bulk

try:
    import psycopg
    from psycopg.types.json import Jsonb
except ImportError:  # SQLite only: no PostgreSQL driver installed
    psycopg = None


def _to_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _to_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _to_uuid(value: Any) -> uuid.UUID | None:
    return value if value is None or isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _converter(field: models.Field):
    if isinstance(field, models.DateTimeField):
        return _to_datetime
    if isinstance(field, models.JSONField):
        return _to_json
    if isinstance(field, models.UUIDField):
        return _to_uuid
    if isinstance(field, models.BooleanField):
        return lambda v: v if v is None else bool(v)
    return None


@cache
def _columns(model: type[models.Model]) -> tuple[list[models.Field], str, list]:
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    return fields, names, [_converter(f) for f in fields]


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def prep(model: type[models.Model], name: str, value: Any) -> Any:
    """A parameter for column ``name`` of ``model``, as the backend wants it."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


_state = threading.local()


@contextmanager
def pipelined() -> Iterator[None]:
    """On PostgreSQL, statements inside go out together and are answered when a result is first needed.

    Inside another ``pipelined`` block it adds nothing (leaving a psycopg pipeline costs a round
    trip). A statement that fails raises at the next result asked for, or at the end.
    """
    if connection.vendor != "postgresql" or getattr(_state, "depth", 0):
        yield
        return
    connection.ensure_connection()
    _state.depth = 1
    try:
        with connection.connection.pipeline():
            yield
    finally:
        _state.depth = 0


@contextmanager
def atomic_pipelined() -> Iterator[None]:
    """One database transaction whose statements are pipelined: ``BEGIN`` goes out with the first
    queries and ``COMMIT`` with the writes, so that it costs no round trip of its own.

    On PostgreSQL outside any ``transaction.atomic`` block, ``BEGIN``/``COMMIT`` are sent as
    statements in the pipeline (psycopg stays in autocommit mode, and ``transaction.on_commit``
    would run at once: call after-commit work after this block). Anywhere else it is
    ``transaction.atomic`` with :func:`pipelined` inside. Any exception rolls everything back.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block or getattr(_state, "depth", 0):
        with transaction.atomic(), pipelined():
            yield
        return
    connection.ensure_connection()
    try:
        with pipelined():
            with connection.cursor() as cursor:
                cursor.execute("BEGIN")
            yield
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    except BaseException:
        try:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        except DatabaseError:  # the connection is gone: nothing stays open on it
            connection.close()
        raise


def server_side() -> bool:
    """PostgreSQL: plain psycopg cursors, prepared statements, array parameters."""
    return connection.vendor == "postgresql"


def _cursor():
    """A plain psycopg cursor (server-side binding) on PostgreSQL, else Django's."""
    if server_side():
        connection.ensure_connection()
        return psycopg.Cursor(connection.connection)  # prepares what asks, unless DB_PREPARED_STATEMENTS is off
    return connection.cursor()


def execute(sql: str, params: list):
    """Run ``sql`` (prepared on PostgreSQL); the cursor, its rows not fetched."""
    cursor = _cursor()
    if server_side():
        with connection.wrap_database_errors:
            cursor.execute(sql, params, prepare=True)
    else:
        cursor.execute(sql, params)
    return cursor


def execute_many(sql: str, params: list[list]) -> None:
    """Run ``sql`` once per parameter list (one prepared statement on PostgreSQL)."""
    if not params:
        return
    cursor = _cursor()
    try:
        if server_side():
            with connection.wrap_database_errors:
                cursor.execute(sql, params[0], prepare=True)  # prepared once, then bound per row
                if len(params) > 1:
                    cursor.executemany(sql, params[1:])
        else:
            cursor.executemany(sql, params)
    finally:
        cursor.close()


def any_of(column: str, values: list) -> tuple[str, list]:
    """``column`` is one of ``values``: one array parameter on PostgreSQL (the statement's text stays the
    same whatever the count), a list of placeholders elsewhere. ``values`` must not be empty."""
    if server_side():
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({placeholders(len(values))})", list(values)


class Later:
    """The rows of a statement sent (or queued): :meth:`fetch` them once."""

    def __init__(self, sql: str, params: list, convert=None):
        self._convert = convert
        self._cursor = execute(sql, params)

    def fetch(self) -> list:
        try:
            if server_side():
                with connection.wrap_database_errors:
                    rows = self._cursor.fetchall()
            else:
                rows = self._cursor.fetchall()
        finally:
            self._cursor.close()
        return self._convert(rows) if self._convert is not None else rows


def query_later(sql: str, params: list) -> Later:
    """Raw rows of ``sql``, fetched later."""
    return Later(sql, params)


def select_later(model: type[models.Model], where: str, params: list, tail: str = "") -> Later:
    """Model instances for ``SELECT * FROM model WHERE <where> <tail>``, fetched later."""
    fields, names, converters = _columns(model)
    attnames = [f.attname for f in fields]

    def convert(rows: list) -> list:
        out = []
        for row in rows:
            values = [conv(v) if conv is not None else v for conv, v in zip(converters, row, strict=True)]
            out.append(model.from_db(connection.alias, attnames, values))
        return out

    return Later(f"SELECT {names} FROM {table(model)} WHERE {where} {tail}", params, convert)


def select(model: type[models.Model], where: str, params: list, tail: str = "") -> list:
    """Model instances for ``SELECT * FROM model WHERE <where> <tail>``."""
    return select_later(model, where, params, tail).fetch()


def _preparer(field: models.Field):
    """A fast parameter maker for a field; datetimes, JSON and plain values without the field's layers."""
    plain = models.CharField | models.IntegerField | models.FloatField | models.BooleanField
    if server_side():
        if isinstance(field, models.JSONField):
            return Jsonb
        if isinstance(field, plain | models.DateTimeField | models.UUIDField):
            return lambda v: v
    if connection.vendor == "sqlite":
        if isinstance(field, models.DateTimeField):
            return lambda v: connection.ops.adapt_datetimefield_value(v)
        if isinstance(field, models.JSONField):
            return lambda v: json.dumps(v, ensure_ascii=False)
        if isinstance(field, models.CharField | models.IntegerField | models.FloatField):
            return lambda v: v
    return lambda v: field.get_db_prep_save(v, connection)


@cache
def _update_plan(model: type[models.Model], names: tuple[str, ...]) -> tuple[str, list, models.Field]:
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(n) for n in names]
    pk = model._meta.pk
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {table(model)} SET {sets} WHERE {quote(pk.column)} = %s"
    return sql, [(f.attname, _preparer(f)) for f in fields], pk


def update(model: type[models.Model], instances: list, names: list[str]) -> None:
    """``UPDATE ... SET <names> WHERE pk = ...`` for each instance, one statement executed many times."""
    if not instances:
        return
    sql, preparers, pk = _update_plan(model, tuple(names))
    params = [
        [prepare(getattr(obj, attname)) for attname, prepare in preparers] + [pk.get_db_prep_value(obj.pk, connection)]
        for obj in instances
    ]
    execute_many(sql, params)


def _insert_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]


@cache
def _insert_plan(model: type[models.Model]) -> tuple[str, list]:
    quote = connection.ops.quote_name
    fields = _insert_fields(model)
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"INSERT INTO {table(model)} ({columns}) VALUES ({placeholders(len(fields))})"
    return sql, [(f.attname, _preparer(f)) for f in fields]


def insert(model: type[models.Model], instances: list) -> None:
    """``INSERT`` each instance (every concrete field but an auto primary key), one statement executed many times.

    Nothing is read back: the instances do not learn an auto primary key.
    """
    if not instances:
        return
    sql, preparers = _insert_plan(model)
    params = [[prepare(getattr(obj, attname)) for attname, prepare in preparers] for obj in instances]
    execute_many(sql, params)


def placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


# ------------------------------------------------------------ PostgreSQL: several writes in one statement


def insert_statement(model: type[models.Model], instances: list) -> tuple[str, list]:
    """(SQL, parameters) inserting every instance (every concrete field but an auto primary key) in one
    statement (PostgreSQL; none inserted when empty)."""
    fields = _insert_fields(model)
    rows = [[getattr(obj, field.attname) for field in fields] for obj in instances]
    return bulk.insert_statement(model, [field.name for field in fields], rows)


def row_statement(model: type[models.Model], instance, *, new: bool, names: list[str]) -> tuple[str, list]:
    """(SQL, parameters) inserting ``instance`` when ``new``, else setting its ``names`` by primary key."""
    if new:
        sql, preparers = _insert_plan(model)
        return sql, [prepare(getattr(instance, attname)) for attname, prepare in preparers]
    sql, preparers, pk = _update_plan(model, tuple(names))
    params = [prepare(getattr(instance, attname)) for attname, prepare in preparers]
    return sql, [*params, pk.get_db_prep_value(instance.pk, connection)]


def write_together(statements: list[tuple[str, list]]) -> None:
    """Data-modifying statements run as one (all but the last as ``WITH`` parts): one statement to send,
    parse and answer (PostgreSQL). They see the same snapshot, so none may depend on another's rows,
    but foreign keys are checked at the end of the statement."""
    *parts, (last, params) = statements
    head = ", ".join(f"w{n} AS ({sql})" for n, (sql, _p) in enumerate(parts))
    every = [value for _sql, values in parts for value in values]
    execute(f"WITH {head} {last}" if parts else last, [*every, *params]).close()
