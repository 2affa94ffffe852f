"""Goods placed in containers: the split goods placements (SGP C237) that tie a group to its containers.

Container messages describe their containers once (EQD groups) and their consignments or goods
items apart (CNI or GID groups), each goods item naming the containers it sits in by SGP. Two
readings follow from it:

- :func:`placed_equipment`: the containers of a consignment (CUSCAR, IFCSUM: one event per bill);
- :func:`with_placed_groups`: the groups placed in one container, put into that container's lookup
  chain (a table's ``PLACED_IN``), so that its event finds their references, documents and dates
  after its own and before the message's (COSTCO: the bookings of the consignments stuffed in it;
  CODENO: the customs documents of the goods in it).

    >>> [s.key for s in with_placed_groups((eqd, eqd.chain()), groups_by_container(root, "CNI"))[1]]
    ['EQD', 'CNI', None]
"""

from __future__ import annotations

from typing import Any

from edi.mappings.events import fact_id, read_equipment
from edi.mappings.scopes import Scope
from edi.mappings.values import equipment_number, with_check_digit


def placed_numbers(scope: Scope) -> list[str]:
    """The container numbers the split goods placements (SGP) inside ``scope`` name, in order, once each."""
    numbers: list[str] = []
    for inner in scope.walk():
        for sgp in inner.segments.get("SGP", ()):
            number = with_check_digit(equipment_number(sgp.get(1)))
            if number and len(number) <= 15 and number not in numbers:
                numbers.append(number)
    return numbers


def placed_equipment(event: dict, scope: Scope, root: Scope, ctx: Any) -> None:
    """A consignment's containers named by its split goods placements (SGP C237), described in the header's EQDs."""
    numbers = placed_numbers(scope)
    if len(numbers) > 1:
        event["equipmentReferences"] = numbers
    elif numbers:
        described = next((s for s in root.children if s.key == "EQD" and _number(s) == numbers[0]), None)
        if described is not None:
            read_equipment(event, described, ctx)
        else:
            event["equipmentReference"] = numbers[0]
        event["eventID"] = fact_id(event)


def groups_by_container(root: Scope, trigger: str) -> dict[str, list[Scope]]:
    """Container number -> the ``trigger`` groups whose goods are placed in it (read once per message)."""
    placed: dict[str, list[Scope]] = {}
    for scope in root.walk():
        if scope.key == trigger:
            for number in placed_numbers(scope):
                placed.setdefault(number, []).append(scope)
    return placed


def with_placed_groups(chain: tuple, placed: dict[str, list[Scope]]) -> tuple:
    """(equipment, lookup chain, ...) with the groups ``placed`` in that equipment (:func:`groups_by_container`)
    inserted after the equipment's own scopes, before the message's (the root)."""
    equipment, scopes, *rest = chain
    groups = placed.get(_number(equipment)) if equipment is not None else None
    if not groups:
        return chain
    return (equipment, [*scopes[:-1], *groups, scopes[-1]], *rest)


def _number(equipment: Scope) -> str:
    """The container an EQD group names, as split goods placements are matched with it."""
    return with_check_digit(equipment_number(equipment.segment.get(2)))
