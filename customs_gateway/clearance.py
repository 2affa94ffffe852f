"""What the gates ask the customs gateway: may this container leave the bonded zone?

    >>> gate_clearance(["MSKU1234565"])["MSKU1234565"]
    Clearance(number="MSKU1234565", known=True, state="RLSD", released=True, holds=[])

The answer comes from the container's status in the tracking store, which every CUSTOMS
event feeds (the gateway's own clearance transitions, CUSRES, MT9999 receipts, an inspection
agency's decisions): released means the latest customs state is RLSD and no authority or
agency still holds the container. The gateway emits RLSD only when customs and every
required agency check have released, so one projection answers for all of them.

A gate asks on every post of reads, so the question is one fixed SQL statement, built once per
process (:func:`clearance_sql`), never cached: a hold placed a moment ago is in the next answer.
The gates' hot path runs the statement itself, beside its own queries in one round trip
(``rfid.decision``), and turns the rows into answers with :func:`clearance_from_rows`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.db import connection

from tracking.choices import CustomsEventType
from tracking.models import ContainerStatus, Equipment


@dataclass(frozen=True)
class Clearance:
    number: str
    known: bool
    state: str = ""
    released: bool = False
    holds: list = field(default_factory=list)


@cache
def _select(vendor: str) -> tuple[str, str]:
    """(``SELECT ... WHERE `` up to the condition, the number's column) for the connection's backend."""
    quote = connection.ops.quote_name
    status, equipment = ContainerStatus._meta, Equipment._meta
    number = "e." + quote(equipment.get_field("reference").column)
    return (
        f"SELECT {number}, "
        f"s.{quote(status.get_field('customs_state').column)}, s.{quote(status.get_field('holds').column)} "
        f"FROM {quote(status.db_table)} s JOIN {quote(equipment.db_table)} e "
        f"ON e.{quote(equipment.pk.column)} = s.{quote(status.pk.column)} WHERE "
    ), number


def clearance_sql(count: int, *, also: str = "", array: bool = False) -> str:
    """The statement selecting (number, customs state, holds) of ``count`` numbers given as parameters.

    ``also``: an SQL subquery yielding more numbers (its parameters follow the numbers'), so that a
    caller can ask for the containers of a lookup it sends in the same round trip. ``array``
    (PostgreSQL): the numbers are one array parameter, so that the statement's text is the same for
    any count (a prepared statement).
    """
    select, number = _select(connection.vendor)
    if array:
        wanted = f"{number} = ANY(%s)"
    else:
        wanted = f"{number} IN ({', '.join(['%s'] * count)})" if count else "1 = 0"
    if also:
        wanted = f"({wanted} OR {number} IN ({also}))"
    return select + wanted


def clearance_from_rows(numbers: Iterable[str], rows: Iterable[tuple]) -> dict[str, Clearance]:
    """The clearance of each of ``numbers`` (upper case) from the rows :func:`clearance_sql` selected."""
    answer = {n: Clearance(number=n, known=False) for n in numbers}
    for number, state, holds in rows:
        if number not in answer:
            continue
        if isinstance(holds, str | bytes):
            holds = json.loads(holds)
        holds = list(holds or [])
        released = state == CustomsEventType.RLSD and not holds
        answer[number] = Clearance(number=number, known=True, state=state, released=released, holds=holds)
    return answer


def gate_clearance(numbers: list[str]) -> dict[str, Clearance]:
    """The clearance of each container number, in one query."""
    wanted = sorted({n.upper() for n in numbers})
    if not wanted:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(clearance_sql(len(wanted)), wanted)
        rows = cursor.fetchall()
    return clearance_from_rows(wanted, rows)
