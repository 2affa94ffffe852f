"""Decisions per document: the groups of a response that carry their own processing indicator.

A customs response may answer several documents at once, each in its own group with its own
decision (CUSRES SG6: ``DOC+714+BILL1'GIS+4'EQD…'DOC+714+BILL2'GIS+7'EQD…``: the first bill
released, the second held). A table names that group as ``DECISION_SCOPE``; each such group
whose GIS the table maps is an event scope of its own, with its own containers (EQD) and
references (DOC, RFF), and the message's decision covers the rest: the header's containers
and those of groups without a decision of their own. A cancellation (``FUNCTION_EVENTS``)
covers the whole message.
"""

from __future__ import annotations

from typing import Any

from edi.mappings.scopes import Scope

#: Where a segment carries its processing indicator (7365): GIS C529 (to D02B), GEI C012 (from D03A,
#: after the 9649 qualifier): tag -> element.
INDICATORS = {"GIS": 1, "GEI": 2}
#: 3055 of UN/ECE: a processing indicator of another agency's code list (a national customs list,
#: ``GIS+15:117:148``) is that agency's code, whose meaning UNCL 7365 does not give.
UN_AGENCY = "6"


def national_list(seg: Any, element: int) -> str:
    """The agency (3055) of a processing indicator's own code list when it is not UN/ECE's, else ''."""
    agency = seg.get(element, 3).strip()
    return agency if agency and agency != UN_AGENCY else ""


def processing_indicators(scope: Scope) -> list[tuple[Any, str, int]]:
    """(segment, 7365 code, element) of the GIS and GEI segments of ``scope``, in message order."""
    found = [
        (seg, seg.get(element), element) for tag, element in INDICATORS.items() for seg in scope.segments.get(tag, ())
    ]
    return sorted(found, key=lambda item: item[0].number)


def decision_of(scope: Scope, table: Any) -> tuple | None:
    """The event spec of the first processing indicator (GIS/GEI 7365) of ``scope`` that the table maps."""
    for seg, code, element in processing_indicators(scope):
        if national_list(seg, element):
            continue
        spec = table.EVENTS.get(code)
        if spec is not None:
            return spec
    return None


def decided_groups(root: Scope, table: Any, bgm: Any) -> list[Scope]:
    """The groups of ``table.DECISION_SCOPE`` with a decision of their own (none for a cancellation)."""
    key = table.DECISION_SCOPE
    if key is None or (bgm is not None and bgm.get(3) in table.FUNCTION_EVENTS):
        return []
    return [scope for scope in root.children if scope.key == key and decision_of(scope, table) is not None]


def undecided_equipment(root: Scope, decided: list[Scope], table: Any) -> list[Scope]:
    """The EQDs of the decision groups that have no decision of their own: the message's decision covers them."""
    key = table.DECISION_SCOPE
    return [
        Scope("EQD", group.level + 1, eqd, group)
        for group in root.children
        if group.key == key and group not in decided
        for eqd in group.segments.get("EQD", ())
    ]


def reasons_body(chain: list[Scope], message_body: list, decided: list[Scope]) -> list:
    """The segments an event's reasons are read from: its own decision group's, or the message's
    without the decision groups (whose reasons are theirs)."""
    group = next((scope for scope in chain if scope in decided), None)
    if group is not None:
        return sorted((seg for segs in group.segments.values() for seg in segs), key=_number)
    if not decided:
        return message_body
    theirs = {id(seg) for scope in decided for segs in scope.segments.values() for seg in segs}
    return [seg for seg in message_body if id(seg) not in theirs]


def _number(seg: Any) -> int:
    return seg.number
