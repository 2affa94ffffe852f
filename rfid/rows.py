"""Plain SQL for the reads hot path: select and update rows without the ORM's per-call query compiling.

Profiling ``process_reads`` showed the ORM compiling queries (``bulk_update``'s ``CASE WHEN`` above
all) as most of a post's time. These helpers run fixed SQL, with parameters prepared by the model
fields (so SQLite and PostgreSQL both get what they expect) and results converted back per field.

    >>> rows = select(Observation, "gate = %s AND tag IN (...)", params)
    >>> update(Observation, rows, ["count", "last_seen"])
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.db import connection, models
from django.utils.dateparse import parse_datetime


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


def select(model: type[models.Model], where: str, params: list, tail: str = "") -> list:
    """Model instances for ``SELECT * FROM model WHERE <where> <tail>``."""
    fields, names, converters = _columns(model)
    attnames = [f.attname for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {table(model)} WHERE {where} {tail}", params)
        rows = cursor.fetchall()
    out = []
    for row in rows:
        values = [conv(v) if conv is not None else v for conv, v in zip(converters, row, strict=True)]
        out.append(model.from_db(connection.alias, attnames, values))
    return out


def _preparer(field: models.Field):
    """A fast parameter maker for a field; SQLite's datetimes and JSON without the field's layers."""
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
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)
