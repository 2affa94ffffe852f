"""The registry of message mappings: (standard, message type, version family) -> mapping table.

A table is a module of plain data (``edi/mappings/edifact/codeco.py`` ...) read by the engine in
:mod:`edi.map`. Its names:

``MESSAGE_TYPES``  the message types (UNH 0065) it maps;
``SCOPES``         trigger segment (``"EQD"``, ``"LOC+147"``) -> nesting depth (see :mod:`.scopes`);
``LEADING_SCOPES`` (triggers, members) of a layout that opens the message before ``SCOPES`` take over
                   at their first trigger (see :func:`.scopes.build_scopes`);
``EVENT_SCOPE``    the trigger of the scope that makes one event (``None``: the whole message);
``EVENT_FROM``     where the event type comes from: ``BGM`` (1001), ``STS`` (4405), ``GIS`` (7365),
                   ``TYPE`` (the message type), ``FIXED`` (``EVENTS[""]``) or ``NONE`` (no event of
                   its own: only its ``VESSEL_CALLS``, or none at all for a message that states no fact);
``NO_FACT_FUNCTIONS`` BGM 1225 codes under which the message states no fact (a request): no events, no warning;
``QUIET_DOCUMENTS`` BGM 1001 codes of documents that state no move (an on-hire request): no events, no warning;
``EVENTS``         code -> (eventType, type code, eventClassifierCode);
``FUNCTION_EVENTS`` / ``RESPONSE_EVENTS`` / ``DOCUMENT_EVENTS``: BGM 1225 / 4343 / 1001 overrides;
``EVENT_TIMES``    DTM 2005 qualifiers of the event time, by preference (or a dict per type code);
``LOCATIONS``      [("item"|"message", LOC 3227 qualifiers)], by preference (or a dict per type code);
``DOCUMENT_LOCATIONS`` BGM 1001 -> the ``LOCATIONS`` of that document instead (an export declaration is
                   placed where the goods leave, not at the port of discharge abroad it names);
``DOCUMENT_NUMBER`` the documentReferenceType of BGM 1004 (or a dict per message type);
``NUMBER_REFERENCES`` RFF 1153 qualifiers that name that document outright (IFTMBC's BN): when one is
                   given, BGM 1004 is the message's own number and no documentReference;
``CNI_REFERENCE``  the documentReferenceType of CNI 1004; ``AUTHORITY``: sender or recipient;
``PLACEHOLDER_REFERENCES`` (RFF 1153, 1154) pairs a message type's guide writes where it has no number
                   (BAPLIE's ``RFF+BM:1``): no documentReference;
``TRANSPORT``      which TDT is the transport call: ``vessel``, ``inland`` (truck/rail/barge) or ``any``;
``STATUS_MODES``   STS 4405 -> the mode of transport (8067) the status implies (unloaded from a vessel,
                   loaded on rail): a TDT of another mode outside the status's own group is not its call;
``STATUS_EMPTY``   STS 4405 -> the ``emptyIndicatorCode`` the status itself states (empty equipment
                   dispatched), for a container whose EQD gives no full/empty indicator (8169);
``BY_EQUIPMENT_STATUS`` BGM 1001 codes whose move is read per container from EQD 8249
                   through ``EQUIPMENT_STATUS_EVENTS``, placed by ``EQUIPMENT_STATUS_LOCATIONS``
                   (as ``LOCATIONS``) when it has them; ``EQUIPMENT_STATUS_BY_PORT``: 8249 codes of
                   either direction (transhipment) -> {LOC 3227 of the container: spec}, the move whose
                   port (its own port of discharge or loading) is the report's port (``CALL_PORTS``);
``ONE_EVENT_PER_SCOPE`` one event per event scope even with several containers (a bill, a
                   declaration): they are listed in ``equipmentReferences``, and a single one is
                   also the ``equipmentReference``;
``LISTED_REFERENCES`` True: such a fact also carries the references (RFF) of each container group it
                   lists (an instruction for containers under several bookings), as it does with one;
``SPLIT_GOODS``    True: an event scope without EQD names its containers by split goods placement
                   (SGP C237), described once in the header's EQD groups (CUSCAR);
``EQUIPMENT_SEGMENTS`` True: EQD is a plain header segment (CUSDEC, CUSRES), not a group: the
                   segments after it are the message's, and each EQD names one container;
``CALL_PORTS``     BGM 1001 -> LOC 3227 qualifiers of the port whose call a report's vessel times are
                   (a terminal's loading report: its port of loading; see :mod:`edi.map.calls`);
``DECISION_SCOPE`` a trigger of ``SCOPES`` whose groups may carry their own decision (GIS): each such
                   group is an event of its own (CUSRES SG6 DOC, see :mod:`edi.mappings.decisions`);
``VESSEL_CALLS``   DTM 2005 qualifier -> (ARRI/DEPA, classifier, LOC 3227 qualifiers of the port):
                   the vessel's arrivals and departures its TDT groups state (see :mod:`edi.map.calls`);
                   ``CALL_SEGMENTS``: tags its TDT groups hold beyond the usual LOC/DTM/RFF...;
                   ``CALL_REFERENCES``: each call carries the header's documentReferences;
                   ``ITINERARY_CALLS``: the header's LOC-DTM groups before the first TDT (a conveyance
                   report's voyage itinerary) are calls of the message's vessel too;
``NUMBERED_EQUIPMENT_ONLY`` True: only EQDs that name a container make events; equipment ordered by
                   size-type and count (a release of two empty 22G1), or none at all, is no fact (a plan);
``TIME_REQUIRED``  True: an event whose time the message does not give is not made (a plan without a time);
``TIME_CLASSIFIERS`` DTM 2005 qualifier of the event time -> eventClassifierCode (EST/PLN by the date's own kind);
``PLACED_IN``      the trigger of groups that name their containers by split goods placement (SGP): each
                   container's event also reads the groups placed in it (see :mod:`edi.map.placements`);
``ACKNOWLEDGEMENT`` True for APERAK/CONTRL: no events, an acknowledgement result instead.

The version family of a UN message is ``UN`` (every D/S directory shares one table: the
qualifiers and codes a table uses are checked against the message's own directory); a message
outside the UN directories (CUSRES:1:921 of a national customs) falls back to the UN table.

    >>> mapping_for("EDIFACT", "CODECO", "UN").EVENTS["34"]
    ('EQUIPMENT', 'GTIN', 'ACT')
"""

from __future__ import annotations

from functools import cache
from types import ModuleType, SimpleNamespace

from edi.mappings.edifact import (
    aperak,
    baplie,
    berman,
    coarri,
    codeco,
    codeno,
    coparn,
    coprar,
    coreor,
    costco,
    cuscar,
    cusdec,
    cusrep,
    cusres,
    ifcsum,
    iftman,
    iftmbc,
    iftmcs,
    iftmin,
    iftsai,
    iftsta,
    vermas,
)

EDIFACT = "EDIFACT"
UN_FAMILY = "UN"
TABLES = (
    *(codeco, coarri, coprar, baplie, iftsta, ifcsum, iftmin, iftmbc, cuscar, cusdec, cusres, aperak),
    *(costco, cusrep, coparn, coreor, codeno, vermas, iftmcs, iftman, iftsai, berman),
)

REGISTRY: dict[tuple[str, str, str], ModuleType] = {
    (EDIFACT, message_type, UN_FAMILY): table for table in TABLES for message_type in table.MESSAGE_TYPES
}


def version_family(version: str, release: str, agency: str) -> str:
    """``UN`` for the UN/EDIFACT directories (D or S, agency UN), else ``version:release:agency``."""
    if agency == "UN" and version in ("D", "S", "4", "3", "2", "1") and release:
        return UN_FAMILY
    return f"{version}:{release}:{agency}"


def mapping_for(standard: str, message_type: str, family: str) -> ModuleType | None:
    """The table for a message, falling back to the UN table for a national or partner version."""
    return REGISTRY.get((standard, message_type, family)) or REGISTRY.get((standard, message_type, UN_FAMILY))


def supported_types(standard: str = EDIFACT) -> list[str]:
    return sorted({key[1] for key in REGISTRY if key[0] == standard})


#: The names a table may leave out, with what leaving them out means.
DEFAULTS = {
    "EVENT_SCOPE": None,
    "LEADING_SCOPES": None,
    "FUNCTION_EVENTS": {},
    "RESPONSE_EVENTS": {},
    "DOCUMENT_EVENTS": {},
    "CONTEXT_INDICATORS": frozenset(),
    "DOCUMENT_NUMBER": None,
    "NUMBER_REFERENCES": frozenset(),
    "CNI_REFERENCE": None,
    "PLACEHOLDER_REFERENCES": frozenset(),
    "AUTHORITY": None,
    "REASONS": False,
    "TRANSPORT": "any",
    "STATUS_MODES": {},
    "STATUS_EMPTY": {},
    "ACKNOWLEDGEMENT": False,
    "ADOPT_PRECEDING_EQUIPMENT": False,
    "EQUIPMENT_OPTIONAL": False,
    "BY_EQUIPMENT_STATUS": frozenset(),
    "ONE_EVENT_PER_SCOPE": False,
    "LISTED_REFERENCES": False,
    "EQUIPMENT_STATUS_EVENTS": {},
    "EQUIPMENT_STATUS_LOCATIONS": None,
    "EQUIPMENT_STATUS_BY_PORT": {},
    "VESSEL_CALLS": {},
    "SPLIT_GOODS": False,
    "EQUIPMENT_SEGMENTS": False,
    "DECISION_SCOPE": None,
    "CALL_PORTS": {},
    "CALL_SEGMENTS": frozenset(),
    "CALL_REFERENCES": False,
    "DOCUMENT_LOCATIONS": {},
    "ITINERARY_CALLS": False,
    "QUIET_DOCUMENTS": frozenset(),
    "TIME_REQUIRED": False,
    "TIME_CLASSIFIERS": {},
    "PLACED_IN": None,
    "NO_FACT_FUNCTIONS": frozenset(),
    "NUMBERED_EQUIPMENT_ONLY": False,
}


@cache
def options(table: ModuleType) -> SimpleNamespace:
    """A table's names with the defaults filled in, read once per process (the engine's hot path)."""
    names = {name: getattr(table, name) for name in dir(table) if name.isupper()}
    return SimpleNamespace(**{**DEFAULTS, **names})


def _add_xml_tables() -> None:
    """The customs XML tables join the registry as ("XML", message type, family) (see :mod:`.xml`)."""
    from edi.mappings.xml import XML_REGISTRY

    REGISTRY.update(XML_REGISTRY)


_add_xml_tables()
