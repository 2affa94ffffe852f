"""The read side's hot statements in plain SQL: a container's whole answer in one round trip.

    >>> (row,) = fetch(*container(viewer, "MSKU1234565", 1000))

One row: the container's columns, its status, its shipments (a JSON array of ``[kind, reference]``),
whether the viewer may see it, and its last events, oldest first, as their stored JSON texts joined
by commas (the inside of a JSON array, never decoded; NULL without events); an unknown container
gives no row. Withdrawn events (``tracking.withdrawals``) are left out. The events are read only when the container is visible, so a refused caller costs
two index probes. One row, not one per event: the container's columns are decoded once (dates,
holds, shipments), not once per event. The same text runs on PostgreSQL and SQLite but for the
aggregates. Visibility is :mod:`tracking.visibility`'s rule for containers, as SQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from django.db import connection
from django.db.backends.utils import CursorDebugWrapper
from django.utils.dateparse import parse_datetime

from tracking.choices import AccessKind
from tracking.models import Access, ContainerStatus, Equipment, Event, Shipment, ShipmentEquipment
from tracking.visibility import Viewer

PAIRS = {"postgresql": "json_agg(json_build_array({0}, {1}))", "sqlite": "json_group_array(json_array({0}, {1}))"}


class StatusRow(NamedTuple):
    """A status as :func:`tracking.queries.status_of` reads it (the fields of a ContainerStatus)."""

    milestone: str
    milestone_event_type: str
    milestone_at: datetime | None
    milestone_event_id: str
    un_location_code: str
    facility_code: str
    vessel_imo_number: str
    vessel_name: str
    carrier_voyage_number: str
    eta: datetime | None
    eta_location: str
    customs_state: str
    customs_at: datetime | None
    holds: list


STATUS_COLUMNS = StatusRow._fields  # the status columns a container answer reads, in this order
# Positions in a row: equipment (0-2), the status key, the status columns, then these; the event is last.
STATUS_KEY = 3
VISIBLE = 4 + len(STATUS_COLUMNS)
SHIPMENTS = VISIBLE + 1
TIMELINE_TEXT = -1  # after the container reference the events are read by


def _tables() -> dict[str, str]:
    models = {
        "eq": Equipment,
        "st": ContainerStatus,
        "ev": Event,
        "sh": Shipment,
        "se": ShipmentEquipment,
        "ac": Access,
    }
    return {name: connection.ops.quote_name(model._meta.db_table) for name, model in models.items()}


def _visible(everything: bool, parties: int, t: dict[str, str]) -> str:
    """The viewer may see container ``e``: a direct grant, or a grant for a shipment it belongs to.

    ``parties``: how many party ids the viewer acts for (their parameters follow the access kind, twice).
    """
    if everything:
        return "1 = 1"
    if not parties:
        return "1 = 0"
    marks = ", ".join(["%s"] * parties)
    sql = (
        f"(EXISTS (SELECT 1 FROM {t['ac']} a WHERE a.kind = %s AND a.reference = e.reference"
        f" AND a.party_id IN ({marks}))"
        f" OR EXISTS (SELECT 1 FROM {t['se']} se2 JOIN {t['sh']} sh2 ON sh2.id = se2.shipment_id"
        f" JOIN {t['ac']} a2 ON a2.kind = sh2.kind AND a2.reference = sh2.reference"
        f" WHERE se2.equipment_id = e.id AND a2.party_id IN ({marks})))"
    )
    return sql


def container(viewer: Viewer, reference: str, limit: int) -> tuple[str, list]:
    """The statement and parameters of a container's answer (see the module's docstring).

    The container's part is a materialized CTE so that its subqueries (visibility, shipments) run
    once; the events are the last ``limit`` by event time, joined oldest first. The text depends on
    the database and the viewer's shape only, and is built once for each (a profile of the endpoint
    had it rebuilt, table names quoted anew, on every request).
    """
    parties = () if viewer.everything else viewer.party_ids
    return _container_sql(connection.vendor, viewer.everything, len(parties), limit), container_params(
        viewer, reference
    )


def container_params(viewer: Viewer, reference: str) -> list:
    """The parameters of :func:`container`'s statement, in their order."""
    parties = () if viewer.everything else viewer.party_ids
    visible_params = [AccessKind.EQUIPMENT, *parties, *parties] if parties else []
    return [*visible_params, reference]


@lru_cache(maxsize=64)
def _container_sql(vendor: str, everything: bool, parties: int, limit: int) -> str:
    t = _tables()
    visible = _visible(everything, parties, t)
    pairs = PAIRS[vendor].format("sh.kind", "sh.reference")
    status = ", ".join(f"s.{column}" for column in STATUS_COLUMNS)
    sql = (
        f"WITH c AS MATERIALIZED ("
        f"SELECT e.iso_equipment_code, e.valid, e.problem, s.equipment_id, {status},"
        f" CASE WHEN {visible} THEN 1 ELSE 0 END AS visible,"
        f" (SELECT {pairs} FROM {t['se']} se JOIN {t['sh']} sh ON sh.id = se.shipment_id"
        f" WHERE se.equipment_id = e.id) AS shipments,"
        f" e.reference AS reference"
        f" FROM {t['eq']} e LEFT JOIN {t['st']} s ON s.equipment_id = e.id WHERE e.reference = %s)"
        f" SELECT c.*, ({_timeline(t, limit)}) FROM c"
    )
    return sql


def _timeline(t: dict[str, str], limit: int) -> str:
    """The last ``limit`` events of container ``c`` (when visible), their texts joined oldest first.

    SQLite (3.40) has no ORDER BY inside an aggregate; it joins an ordered subquery's rows in their
    order, which the container tests hold it to."""
    last = (
        f"SELECT CAST(ev.payload AS TEXT) AS payload, ev.event_datetime AS at, ev.event_id AS id"
        f" FROM {t['ev']} ev WHERE ev.equipment_reference = c.reference AND c.visible = 1 AND ev.withdrawn_by_id IS NULL"
        f" ORDER BY ev.event_datetime DESC, ev.event_id DESC LIMIT {int(limit)}"
    )
    if connection.vendor == "postgresql":
        return f"SELECT string_agg(t.payload, ',' ORDER BY t.at, t.id) FROM ({last}) AS t"
    return f"SELECT group_concat(t.payload, ',') FROM (SELECT * FROM ({last}) ORDER BY at, id) AS t"


def fetch(sql: str, params: list) -> list[tuple]:
    """All rows of a hot read statement; on PostgreSQL run as a prepared statement.

    Planning this statement costs more than running it, so it asks to be prepared, once per
    connection, on a server-side binding cursor (the database options let psycopg honour the asking,
    ``DB_PREPARED_STATEMENTS``). Django's query log (DEBUG, the tests' query counts) sees it.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        if connection.queries_logged:
            with CursorDebugWrapper(cursor, connection).debug_sql(sql, params):
                cursor.execute(sql, params, prepare=True)
        else:
            cursor.execute(sql, params, prepare=True)
        return cursor.fetchall()


def _moment(value: Any) -> datetime | None:
    """A timestamp as an aware datetime, whether the driver gave text (SQLite) or a datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def status_row(row: tuple) -> StatusRow | None:
    """The status part of a row, or None when the container has no status row yet."""
    if row[STATUS_KEY] is None:
        return None
    values = dict(zip(STATUS_COLUMNS, row[STATUS_KEY + 1 : VISIBLE], strict=True))
    for column in ("milestone_at", "eta", "customs_at"):
        values[column] = _moment(values[column])
    values["holds"] = _json(values["holds"]) or []
    return StatusRow(**values)


def pairs(value: Any) -> list[tuple[str, str]]:
    """The aggregated ``[kind, reference]`` pairs of a row (NULL when there are none)."""
    return [(kind, reference) for kind, reference in _json(value) or []]
