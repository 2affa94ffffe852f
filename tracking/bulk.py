"""Many rows in one statement, without model instances: the set-based writes of the store's hot path.

    >>> ids = ensure(Equipment, ["reference"], {("MSKU1234565",): ("MSKU1234565", "45G1", True, "", now)},
    ...              ["reference", "iso_equipment_code", "valid", "problem", "created_at"])
    {("MSKU1234565",): 17}

A batch of events names a few hundred rows of each reference table; ``bulk_create`` builds a model
instance and prepares every value of every row through its field, and reading ids back by ``Q``
objects builds a filter per key. Here rows are tuples in the order of the column names, and only the
columns whose field needs it (date-times, UUIDs, JSON) go through ``get_db_prep_save``. The SQL
(``INSERT ... ON CONFLICT ... DO NOTHING | DO UPDATE ... RETURNING``) is the same on PostgreSQL and
SQLite (3.35 or later).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

import orjson
from django.db import connection
from django.db.models import Model

MAX_PARAMS = 30_000  # bind parameters a statement: below SQLite's 32,766 and PostgreSQL's 65,535
PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "IntegerField",
    "PositiveIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _prepare(field) -> Callable[[Any], Any] | None:
    """How a value of ``field`` goes to the database; None when it goes as it is."""
    target = field.target_field if field.is_relation else field
    if target.get_internal_type() in PLAIN:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _columns(model: type[Model], names: Iterable[str]) -> list[str]:
    quote = connection.ops.quote_name
    fields = [model._meta.pk if name == "pk" else model._meta.get_field(name) for name in names]
    return [quote(field.column) for field in fields]


def _tail(model: type[Model], unique: Sequence[str], update: Sequence[str], returning: Sequence[str]) -> str:
    tail = ""
    if unique:
        target = ", ".join(_columns(model, unique))
        if update:
            assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in _columns(model, update))
            tail = f" ON CONFLICT ({target}) DO UPDATE SET {assignments}"
        else:
            tail = f" ON CONFLICT ({target}) DO NOTHING"
    if returning:
        tail += f" RETURNING {', '.join(_columns(model, returning))}"
    return tail


def _json_value(value: Any) -> Any:
    """A value JSON has no type for: date-times as ISO 8601 with their offset, UUIDs and decimals as text."""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


@cache
def _aliases(width: int) -> tuple[str, ...]:
    return tuple(f"c{n}" for n in range(width))


def document(rows: Iterable[Sequence[Any]]) -> str:
    """Rows (values in the order of a :func:`recordset`'s columns) as the one JSON parameter it reads.

    Encoded by orjson, which writes date-times (ISO 8601 with their offset) and UUIDs itself: the standard
    encoder called back into Python for each of them, and this was the largest cost of storing a batch.
    """
    objects = [dict(zip(_aliases(len(row)), row, strict=True)) for row in rows]
    return orjson.dumps(objects, default=_json_value, option=orjson.OPT_NON_STR_KEYS).decode()


@cache
def recordset(model: type[Model], names: tuple[str, ...]) -> tuple[str, list[str]]:
    """``jsonb_to_recordset(%s::jsonb) AS r(c0 <type>, c1 <type>, ...)`` for the ``names`` fields of
    ``model``, and their quoted columns: PostgreSQL types the rows of one JSON :func:`document` into
    records, so that a statement's text is the same however many rows it carries."""
    fields = [model._meta.pk if name == "pk" else model._meta.get_field(name) for name in names]
    record = ", ".join(f"c{n} {field.db_type(connection)}" for n, field in enumerate(fields))
    return f"jsonb_to_recordset(%s::jsonb) AS r({record})", _columns(model, names)


def insert_statement(
    model: type[Model], names: Sequence[str], rows: Sequence[Sequence[Any]], tail: str = ""
) -> tuple[str, list]:
    """(SQL, parameters) inserting ``rows`` (values in the order of ``names``) in one statement, on
    PostgreSQL; ``tail`` is what follows (``ON CONFLICT``, ``RETURNING``).

    A ``VALUES`` list of a few thousand placeholders makes a statement psycopg parses anew each time (it
    caches only short ones); this one is the same text whatever the number of rows.
    """
    source, columns = recordset(model, tuple(names))
    aliases = ", ".join(f"r.c{n}" for n in range(len(columns)))
    table = connection.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {aliases} FROM {source}{tail}", [document(rows)]


def update_statement(model: type[Model], objects: Sequence[Model], names: Sequence[str]) -> tuple[str, list]:
    """(SQL, parameters) setting the ``names`` fields of ``objects`` (rows that exist) by primary key in one
    statement, on PostgreSQL.

    The keys go once more as an array: the planner then knows that few rows are wanted (an index scan),
    where it estimates a function's rows at 100 and would hash the whole table against them.
    """
    pk = model._meta.pk
    source, (key, *columns) = recordset(model, ("pk", *names))
    attnames = [pk.attname, *(model._meta.get_field(name).attname for name in names)]
    sets = ", ".join(f"{column} = r.c{n}" for n, column in enumerate(columns, start=1))
    table = connection.ops.quote_name(model._meta.db_table)
    rows = [[getattr(obj, attname) for attname in attnames] for obj in objects]
    keys = [pk.get_db_prep_value(obj.pk, connection) for obj in objects]
    return (
        f"UPDATE {table} AS o SET {sets} FROM {source} "
        f"WHERE o.{key} = ANY(%s::{pk.db_type(connection)}[]) AND o.{key} = r.c0",
        [document(rows), keys],
    )


def insert(
    model: type[Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    unique: Sequence[str] = (),
    update: Sequence[str] = (),
    returning: Sequence[str] = (),
) -> list[tuple]:
    """Insert ``rows`` (values in the order of ``names``), in their order; on a conflict over ``unique``, skip
    the row or, with ``update``, set those columns from it. Returns the ``returning`` columns of the rows
    written."""
    if not rows:
        return []
    tail = _tail(model, unique, update, returning)
    if connection.vendor == "postgresql" and len(rows) > 1:  # one row: a short VALUES statement psycopg keeps
        with connection.cursor() as cursor:
            cursor.execute(*insert_statement(model, names, rows, tail))
            return [tuple(row) for row in cursor.fetchall()] if returning else []
    fields = [model._meta.get_field(name) for name in names]
    prepare = [_prepare(field) for field in fields]
    head = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(_columns(model, names))}) VALUES "
    )
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per = max(1, MAX_PARAMS // len(fields))
    written: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            params = [v if p is None else p(v) for row in chunk for v, p in zip(row, prepare, strict=True)]
            cursor.execute(f"{head}{', '.join([one] * len(chunk))}{tail}", params)
            if returning:
                written.extend(tuple(row) for row in cursor.fetchall())
    return written


def update(model: type[Model], objects: Sequence[Model], names: Sequence[str]) -> None:
    """Write the ``names`` fields of ``objects`` (rows that exist) in one statement.

    On PostgreSQL: ``UPDATE ... FROM jsonb_to_recordset(...)`` (Django's ``bulk_update`` writes a ``CASE``
    per field with a placeholder per row: a statement psycopg parses anew for every batch size).
    """
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objects, names)
        return
    with connection.cursor() as cursor:
        cursor.execute(*update_statement(model, objects, names))


def select_in(model: type[Model], names: Sequence[str], column: str, values: Iterable[Any]) -> list[tuple]:
    """``SELECT names FROM model's table WHERE column IN values``, as plain tuples.

    On PostgreSQL the values are one array parameter (``= ANY(%s)``): the statement's text stays the
    same, however many values.
    """
    values = sorted(set(values))
    if not values:
        return []
    table = connection.ops.quote_name(model._meta.db_table)
    (where,) = _columns(model, [column])
    head = f"SELECT {', '.join(_columns(model, names))} FROM {table} WHERE {where}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{head} = ANY(%s)", [values])
            return [tuple(row) for row in cursor.fetchall()]
        found = []
        for start in range(0, len(values), 10_000):
            chunk = values[start : start + 10_000]
            cursor.execute(f"{head} IN ({', '.join(['%s'] * len(chunk))})", chunk)
            found.extend(tuple(row) for row in cursor.fetchall())
        return found


def _read(model: type[Model], key: Sequence[str], wanted: set[tuple], found: dict[tuple, int]) -> None:
    """Add to ``found`` the ids of the rows whose ``key`` is in ``wanted`` (read by the key's first column)."""
    for *values, pk in select_in(model, [*key, "pk"], key[0], {k[0] for k in wanted}):
        if tuple(values) in wanted:
            found[tuple(values)] = pk


def ensure(
    model: type[Model], key: Sequence[str], rows: dict[tuple, Sequence[Any]], names: Sequence[str]
) -> dict[tuple, int]:
    """The ids of the rows whose ``key`` values are the keys of ``rows``, inserting those absent.

    ``rows`` maps each key (a tuple of the ``key`` columns' values) to its whole row in the order of
    ``names``, used only if the row is absent. One statement when every row exists, two otherwise:
    the existing ids read, the absent rows inserted in key order (``ON CONFLICT DO NOTHING``) with their
    new ids returned; a row another transaction inserted meanwhile is read once more afterwards.
    """
    found: dict[tuple, int] = {}
    if not rows:
        return found
    _read(model, key, set(rows), found)
    missing = sorted(k for k in rows if k not in found)
    if missing:
        width = len(key)
        for values in insert(model, names, [rows[k] for k in missing], unique=key, returning=[*key, "pk"]):
            found[tuple(values[:width])] = values[width]
        late = {k for k in missing if k not in found}
        if late:
            _read(model, key, late, found)
    return found
