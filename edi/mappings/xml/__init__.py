"""Customs XML message tables: (``"XML"``, message type, family) -> a module of plain data.

A table is read by :mod:`edi.customs_xml.engine`. Paths are local element names joined by ``/``
(namespaces ignored, since senders mangle them): a path starting with ``/`` is read from the
message's root, any other from the element the fact is about; ``..`` steps up, ``@name`` reads
an attribute; ``#submission.<field>`` and ``#bill.<field>`` read the customs gateway's own
record of a declaration or manifest (:func:`customs_gateway.records.extract`) instead of the
XML. A tuple of paths means "the first that has a value". Its names:

``FAMILY``       the family :mod:`edi.detect` recognises (``china-manifest``, ``wco-dm`` ...);
``TYPE_FROM``    where the message type is read (paths; ``#root`` is the root's local name,
                 ``#namespace`` the type a manifest namespace names; a ``(path, template)`` pair
                 makes a type of the value, ``"{}-RESPONSE"``); the first the family maps wins;
``TYPES``        message type -> our XSD under ``schemas/customs/`` (``None``: no schema of ours);
``HEADER``       ``reference``/``sender``/``recipient``/``function``/``version``/``created`` -> paths;
``NAMESPACES``   for a document whose namespace was dropped or mangled: root-relative path -> the
                 namespace its subtree is read in, before schema validation;
``TIME_ZONE``    the zone of times written without one (the family's authority's), else UTC;
``ZONE_FROM_PLACE`` False where the standard fixes that zone whatever the place (NCTS: UTC);
                 otherwise a time without a zone is in the zone of the event's place, if any;
``AUTHORITY``    who the authority is when the document does not say: paths (``office:<path>``: the
                 customs office written after a place code), ``recipient``/``sender``, or a fixed
                 name (``DEFAULT_AUTHORITY``);
``FACTS``        message type -> [:class:`Fact`]: cargo facts, one event per element the scope finds;
``ANSWER``       True for the authority's or an agency's answers: their events come from the
                 customs gateway's own reader (:func:`customs_gateway.responses.interpret`) and
                 ``ANSWER_CONTEXT`` (a :class:`Fact` whose paths add vessel, voyage, place).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType

Paths = tuple[str, ...]
EventSpec = tuple[str, str, str]  # (eventType, type code, eventClassifierCode)


@dataclass(frozen=True)
class Fact:
    """Where one kind of fact sits in a message and how to read its fields."""

    scope: str = ""  # the element(s) making one event each ("" = the root)
    requires: str = ""  # only the scope's elements that have a value at this path
    event: EventSpec | None = None
    by_function: dict[str, EventSpec | None] = field(default_factory=dict)  # None: no event for that function
    function: Paths = ()  # where this fact's function code is, when not the message's (CEB appType)
    draft: tuple[str, frozenset[str]] | None = None  # (path, codes): a record only saved, not lodged: no event
    time: Paths = ()
    place: Paths = ()
    references: tuple[tuple[str, Paths], ...] = ()  # (documentReferenceType, paths); every value of every path
    containers: Paths = ()  # container numbers of a one-event-per-document fact (every path, every value)
    equipment: str = ""  # the container number of a one-event-per-container fact (scope = the container)
    size_type: Paths = ()
    fullness: Paths = ()
    stowage: Paths = ()  # the container's stowage position on board (stowagePosition)
    vessel_id: Paths = ()
    vessel_name: Paths = ()
    voyage: Paths = ()
    mode: str = ""  # modeOfTransport when the message implies one (VESSEL for the sea manifests)
    parties: tuple[tuple[str, Paths], ...] = ()  # (DCSA party function, paths of the EDI identity)


def _registry() -> dict[tuple[str, str, str], ModuleType]:
    from edi.mappings.xml import agency, ceb, china_manifest, dec, ics, ics2, mt9999, ncts, wco_dms

    registry = {}
    for table in (china_manifest, mt9999, ceb, dec, wco_dms, ncts, ics, ics2, agency):
        for module in getattr(table, "TABLES", (table,)):
            for message_type in module.TYPES:
                registry[("XML", message_type, module.FAMILY)] = module
    return registry


XML_REGISTRY = _registry()


def xml_tables(family: str) -> list[ModuleType]:
    """The tables of one family, answers last (a type named by both is a cargo fact first)."""
    found = {id(m): m for (_std, _type, fam), m in XML_REGISTRY.items() if fam == family}
    return sorted(found.values(), key=lambda m: getattr(m, "ANSWER", False))
