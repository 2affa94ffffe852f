"""The mapping engine: one message's segments, cut into scopes by its table, to canonical events.

:func:`map_message` reads a table's names (:mod:`edi.mappings`), builds the scopes, works out
each event's type and hands every (spec, chain of scopes) to :func:`edi.mappings.events.build_event`;
:mod:`edi.map.calls` adds the vessel's arrivals and departures the message states.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from edi.directory import directory_for
from edi.issues import Issue
from edi.map.calls import vessel_calls
from edi.map.context import Context, MappingResult
from edi.map.placements import groups_by_container, placed_equipment, with_placed_groups
from edi.mappings import EDIFACT, mapping_for, options, version_family
from edi.mappings.acknowledgements import read_acknowledgement
from edi.mappings.decisions import (
    decided_groups,
    decision_of,
    national_list,
    processing_indicators,
    undecided_equipment,
)
from edi.mappings.edifact import common
from edi.mappings.events import build_event, read_equipment
from edi.mappings.scopes import Scope, build_scopes, qualifier
from edi.mappings.values import BadValue, dtm_datetime, locode_problem

INVALID, MISSING, NOT_SUPPORTED = "12", "13", "14"
#: tag -> (element, data element) of the qualifier checked against the message's directory.
QUALIFIERS = {
    "LOC": (1, "3227"),
    "DTM": (1, "2005"),
    "RFF": (1, "1153"),
    "EQD": (1, "8053"),
    "TDT": (1, "8051"),
    "STS": (1, "9015"),
    "NAD": (1, "3035"),
    "GIS": (1, "7365"),
}
BY_STATUS = ("by", "equipment", "status")  # the event type is read per container (EQD 8249)


def map_message(
    message: Any,
    *,
    sender: str | None = None,
    recipient: str | None = None,
    raw_message_id: Any = None,
    prepared: datetime | None = None,
    received: datetime | None = None,
    known_locations: Any = None,
) -> MappingResult:
    """Canonical events and application issues of one message (an :class:`edi.parse.interchange.Message`).

    ``sender``/``recipient``: the interchange's (UNB) identities; ``raw_message_id``: the stored raw
    message, written into each event's ``source``; ``prepared`` (the interchange's UNB date) and
    ``received`` (when it arrived): event times of last resort, after the message's own date, for
    messages that carry no time (an event time taken from them is reported); ``known_locations``: a container of UN/LOCODEs, those outside it are reported.
    """
    result = MappingResult()
    version, release, agency = message.version or "", message.release or "", message.agency or ""
    table = mapping_for(EDIFACT, message.type or "", version_family(version, release, agency))
    if table is None:
        result.issues.append(
            Issue(
                NOT_SUPPORTED,
                f"No mapping for message type {message.type!r}: no events produced",
                message.header.position,
                "message",
                message.reference,
                "warning",
            )
        )
        return result
    table = options(table)
    if table.ACKNOWLEDGEMENT:
        result.acknowledgement = read_acknowledgement(message, sender=sender, recipient=recipient)
        return result
    ctx = Context(
        message,
        table,
        sender=sender,
        recipient=recipient,
        raw_message_id=raw_message_id,
        prepared=prepared,
        received=received,
        known_locations=known_locations,
    )
    body = message.body
    known = _known_qualifiers(message.type, version, release, agency)
    root = build_scopes(body, table.SCOPES, known, table.LEADING_SCOPES)
    _report_unknown(root.unknown, ctx)
    bgm = next(iter(root.segments.get("BGM", ())), None)
    ctx.document = document_of(message, bgm)
    _set_created(root, ctx)
    result.withdraws = _withdraws(table, ctx)
    if _withdrawn(table, message, bgm, ctx) or (bgm is not None and bgm.get(3) in table.NO_FACT_FUNCTIONS):
        result.issues.extend(ctx.issues)
        return result
    decided = ctx.decided = decided_groups(root, table, bgm)
    message_spec = _message_event(table, message, root, bgm, ctx, decided)
    placed = None  # container -> the groups whose goods are placed in it (a table's PLACED_IN), read once
    for scope in (*decided, *_event_scopes(root, table)):
        if scope in decided:
            spec = decision_of(scope, table)
        else:
            spec = _status_event(table, scope, ctx) if table.EVENT_FROM == "STS" else message_spec
        if spec is None:
            continue
        extra = undecided_equipment(root, decided, table) if scope is root and table.DECISION_SCOPE else ()
        chains = _equipment_chains(scope, table, extra)
        if table.NUMBERED_EQUIPMENT_ONLY:  # a plan's facts are its named containers, nothing else
            chains = [c for c in chains if c[0] is not None and _names_a_container(c[0])]
        if table.PLACED_IN:
            placed = placed if placed is not None else groups_by_container(root, table.PLACED_IN)
            chains = [with_placed_groups(chain, placed) for chain in chains]
        if table.ONE_EVENT_PER_SCOPE:
            # an EQD without a number is equipment asked for by size-type (a booking's EQD+CN++45G1
            # with its EQN count), not a container left out: the document's fact stands without it
            chains = [c for c in chains if c[0] is None or _names_a_container(c[0])] or [(None, scope.chain())]
            if len(chains) > 1:
                chains = [(None, scope.chain(), [eq for eq, _ in chains])]
        for equipment, chain, *group in chains:
            item_spec = _status_of(equipment, table, ctx, root, bgm) if spec is BY_STATUS else spec
            if item_spec is None:
                continue
            anchor = scope.segment or bgm or message.header
            places = table.EQUIPMENT_STATUS_LOCATIONS if spec is BY_STATUS else _document_locations(table, bgm)
            listed = group[0] if group and table.LISTED_REFERENCES else ()
            event = build_event(item_spec, chain, equipment, anchor, root, bgm, ctx, locations=places, listed=listed)
            if event is not None:
                if group:
                    _list_equipment(event, group[0], ctx)
                elif table.SPLIT_GOODS and equipment is None:
                    placed_equipment(event, scope, root, ctx)
                result.events.append(event)
    result.events.extend(vessel_calls(message, table, root, ctx))
    result.issues.extend(ctx.issues)
    return result


def map_interchange(
    source: Any, *, raw_message_id: Any = None, exclude_references: Container[str] = (), **facts: Any
) -> MappingResult:
    """Map every message of an interchange: bytes, a ``Path``, a binary stream or an open reader.

    (A ``str`` is read as EDIFACT text, not as a file name.) Messages whose UNH reference is in
    ``exclude_references`` (those validation rejected, say) are not mapped.
    """
    result = MappingResult()
    for _message, mapped in iter_mapped(
        source, raw_message_id=raw_message_id, exclude_references=exclude_references, **facts
    ):
        result.extend(mapped)
    return result


def iter_mapped(
    source: Any, *, raw_message_id: Any = None, exclude_references: Container[str] = (), **facts: Any
) -> Iterator[tuple[Any, MappingResult]]:
    """(message, its MappingResult) one message at a time, for callers that answer each (APERAK)."""
    from edi.parse.interchange import InterchangeReader, read_interchange

    reader = source if isinstance(source, InterchangeReader) else read_interchange(source)
    if "prepared" not in facts:
        facts["prepared"] = interchange_date(reader.header)
    for message in reader:
        if message.reference in exclude_references:
            continue
        mapped = map_message(
            message, sender=reader.sender, recipient=reader.recipient, raw_message_id=raw_message_id, **facts
        )
        yield message, mapped


def interchange_date(unb: Any) -> datetime | None:
    """UNB S004 (date YYMMDD or CCYYMMDD, time HHMM) as a UTC date-time, None when absent or unreadable."""
    if unb is None:
        return None
    date, time = unb.get(4).strip(), unb.get(4, 2).strip()
    layout = {6: "%y%m%d", 8: "%Y%m%d"}.get(len(date))
    if layout is None or not date.isdigit():
        return None
    try:
        return datetime.strptime(date + (time if len(time) == 4 else "0000"), layout + "%H%M").replace(tzinfo=UTC)
    except ValueError:
        return None


# -- pieces ---------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _known_qualifiers(message_type: str, version: str, release: str, agency: str) -> dict | None:
    """Tag -> the qualifiers the message's directory allows (for the tags in :data:`QUALIFIERS`)."""
    directory = directory_for(message_type, version, release, agency)
    if directory is None:
        return None
    known = {tag: directory.codes.get(element) for tag, (_, element) in QUALIFIERS.items()}
    return {tag: codes for tag, codes in known.items() if codes is not None}


def _report_unknown(segments: list, ctx: Context) -> None:
    """Report qualifiers the message's directory does not know (code 14); they are still read.
    A processing indicator of another agency's list (GIS C529 3055) is that list's code, told apart
    where it is read (:func:`_gis_event`), not a UN code missing from the directory."""
    for seg in segments:
        if seg.tag == "GIS" and national_list(seg, 1):
            continue
        element = QUALIFIERS[seg.tag][1]
        ctx.report(
            NOT_SUPPORTED,
            f"Unknown qualifier {qualifier(seg)!r} in {seg.tag}: not in code list {element} of this directory",
            seg,
            element=1,
        )


def _document_locations(table: Any, bgm: Any) -> Any:
    """The place preferences of the document the message is (a table's ``DOCUMENT_LOCATIONS`` by BGM 1001:
    an export declaration is placed where the goods leave), or None for the table's own ``LOCATIONS``."""
    by_document = getattr(table, "DOCUMENT_LOCATIONS", None)
    return by_document.get(bgm.get(1)) if by_document and bgm is not None else None


def _message_place(root: Scope, table: Any, bgm: Any = None) -> str | None:
    """The UN/LOCODE whose clock the message's own date is read on: the place the table reads the
    message's events at (its message-level ``LOCATIONS``, by preference), else the first header LOC."""
    places = [(s.get(1), s.get(2).strip().upper()) for s in root.segments.get("LOC", ())]
    places = [(qualifier, code) for qualifier, code in places if code and not locode_problem(code)]
    locations = _document_locations(table, bgm) or getattr(table, "LOCATIONS", None)
    preferences = locations if isinstance(locations, list) else []
    for where, qualifiers in preferences:
        if where == "message":
            for wanted in qualifiers:
                code = next((code for qualifier, code in places if qualifier == wanted), None)
                if code:
                    return code
    return places[0][1] if places else None


def _set_created(root: Scope, ctx: Context) -> None:
    place = _message_place(root, ctx.table, next(iter(root.segments.get("BGM", ())), None))
    for wanted in common.CREATED_TIMES:
        for seg in root.segments.get("DTM", ()):
            if seg.get(1) == wanted and seg.get(1, 2):
                try:
                    ctx.created, how, note = dtm_datetime(seg.get(1, 2), seg.get(1, 3), place)
                except BadValue as exc:
                    ctx.report(INVALID, f"Message date: {exc}", seg, element=1)
                    continue
                if note:
                    ctx.report(INVALID, f"Message date: {note}", seg, element=1)
                ctx.created_from = (seg, how)
                ctx._message_date = (ctx.created, "message date")
                return


def document_of(message: Any, bgm: Any) -> dict[str, str] | None:
    """The document a message is, for its events' ``source.document``: type, number (BGM C106 1004), function (1225).

    What lets a partner (and a later replacement or cancellation) name the report a fact came from;
    None when the message has no BGM or its BGM names no document number.
    """
    number = bgm.get(2).strip() if bgm is not None else ""
    if not number:
        return None
    document = {"type": message.type, "number": number[:70]}
    function = bgm.get(3).strip()
    if function:
        document["function"] = function[:3]
    return document


def _withdraws(table: Any, ctx: Context) -> dict | None:
    """The earlier report this message replaces or cancels (BGM 1225 5, 1, 3), unless its table maps that
    function to events of its own (a cancelled booking is VOID): ``{"document", "created"}``, the message's
    creation ordering it against other copies of that document (``tracking.withdrawals``)."""
    document = ctx.document
    if document is None or document.get("function") not in common.WITHDRAWING_FUNCTIONS:
        return None
    if document["function"] in table.FUNCTION_EVENTS:
        return None
    return {"document": dict(document), "created": ctx.created or ctx.interchange_date or ctx.fallback_time[0]}


def _withdrawn(table: Any, message: Any, bgm: Any, ctx: Context) -> bool:
    """A cancellation or deletion of an earlier report that the table maps to no event of its own.

    Its events are withdrawn when it is processed (:func:`_withdraws`); one that names no document
    number cannot say which report it withdraws, and is reported.
    """
    function = bgm.get(3) if bgm is not None else ""
    what = common.WITHDRAWING_FUNCTIONS.get(function)
    if what is None or what == "replacement" or function in table.FUNCTION_EVENTS:
        return False
    if ctx.document is None:
        ctx.report(
            MISSING,
            f"{message.type} is a {what} (BGM 1225 {function!r}) of an earlier report but names no document "
            "number (BGM C106 1004): nothing withdrawn",
            bgm,
            element=2,
        )
    return True


def _message_event(table: Any, message: Any, root: Scope, bgm: Any, ctx: Context, decided: list[Scope]) -> tuple | None:
    """(eventType, type code, classifier) of a message whose event type does not vary per item.

    ``decided``: groups with a decision of their own (see :mod:`edi.mappings.decisions`), not read here.
    """
    source = table.EVENT_FROM
    if source in ("STS", "NONE"):
        return None
    function, response = (bgm.get(3), bgm.get(4)) if bgm is not None else ("", "")
    override = table.FUNCTION_EVENTS.get(function)
    if override:
        return override
    spec = None
    if source == "BGM":
        code = bgm.get(1) if bgm is not None else ""
        if code in table.BY_EQUIPMENT_STATUS:
            return BY_STATUS
        if code in table.QUIET_DOCUMENTS:
            return None  # a document that states no move (an on-hire request ...): processed, no events
        spec = table.EVENTS.get(code)
        if spec is None:
            known = ", ".join(sorted(table.EVENTS))
            ctx.report(
                NOT_SUPPORTED,
                f"{message.type} document code {code!r} (BGM 1001) is not one this mapping knows ({known})",
                bgm or message.header,
                element=1,
                error=True,
            )
            return None
    elif source == "TYPE":
        spec = table.EVENTS.get(message.type)
    elif source == "FIXED":
        spec = table.EVENTS[""]
    elif source == "GIS":
        spec = _gis_event(table, root, bgm, ctx, decided)
    response_spec = table.RESPONSE_EVENTS.get(response)
    if response_spec and (source != "GIS" or spec is None):
        spec = response_spec
    if spec is None and not decided:
        ctx.report(MISSING, f"{message.type}: no decision to map (no GIS/GEI, BGM or response type code known)", bgm)
    return spec


def _list_equipment(event: dict, scopes: list[Scope], ctx: Context) -> None:
    """The containers of a one-event-per-document fact (a bill, a declaration), in ``equipmentReferences``."""
    numbers = []
    for scope in scopes:
        probe: dict = {}
        number = read_equipment(probe, scope, ctx)
        if number and number not in numbers:
            numbers.append(number)
    if numbers:
        event["equipmentReferences"] = numbers


def _names_a_container(equipment: Scope) -> bool:
    """An EQD that names its container; one without (``EQD+CN++22G1`` with an EQN count) is equipment
    asked for by size-type, not a container left out."""
    return bool(equipment.segment.get(2).strip())


def _status_of(equipment: Scope | None, table: Any, ctx: Context, root: Scope, bgm: Any) -> tuple | None:
    """The move of one container of a both-moves report, from its EQD 8249 equipment status (a status of
    both directions, transhipment, by whether the container's own port of discharge or loading is this port)."""
    if equipment is None:
        return None
    status = equipment.segment.get(5)
    spec = table.EQUIPMENT_STATUS_EVENTS.get(status)
    if spec is None and status in table.EQUIPMENT_STATUS_BY_PORT:
        spec = _move_at_this_port(equipment, table.EQUIPMENT_STATUS_BY_PORT[status], root, table, bgm)
    if spec is None:
        ctx.report(
            NOT_SUPPORTED,
            f"Equipment status {status!r} (EQD 8249) does not say whether the container was loaded or discharged",
            equipment.segment,
            element=5,
            error=True,
        )
    return spec


def _move_at_this_port(equipment: Scope, moves: dict, root: Scope, table: Any, bgm: Any) -> tuple | None:
    """The move ``moves`` (LOC 3227 of the container's own group -> spec) names for the port the report is
    of (the table's ``CALL_PORTS`` of its BGM 1001, in the message's LOC): discharged here when its port
    of discharge is this port, loaded here when its port of loading is; None when neither or both are."""
    places = root.by_qualifier("LOC")
    port = next(
        (places[q].get(2).strip().upper() for q in table.CALL_PORTS.get(bgm.get(1) if bgm else "", ()) if q in places),
        "",
    )
    own = equipment.by_qualifier("LOC")
    found = [
        spec
        for qualifier, spec in moves.items()
        if port and qualifier in own and own[qualifier].get(2).strip().upper() == port
    ]
    return found[0] if len(found) == 1 else None


def _gis_event(table: Any, root: Scope, bgm: Any, ctx: Context, decided: list[Scope]) -> tuple | None:
    for scope in root.walk():
        if scope in decided:
            continue
        for seg, code, element in processing_indicators(scope):
            agency = national_list(seg, element)
            if agency:
                where = f"{seg.tag} 7365"
                ctx.report(
                    NOT_SUPPORTED,
                    f"Processing indicator {code!r} ({where}) is of agency {agency}'s code list, not UNCL 7365: not mapped",
                    seg,
                    element=element,
                )
                continue
            if code in table.EVENTS:
                return table.EVENTS[code]
            if code not in table.CONTEXT_INDICATORS:
                where = f"{seg.tag} 7365"
                ctx.report(
                    NOT_SUPPORTED, f"Processing indicator {code!r} ({where}) is not mapped", seg, element=element
                )
    return table.DOCUMENT_EVENTS.get(bgm.get(1)) if bgm is not None else None


def _status_event(table: Any, scope: Scope, ctx: Context) -> tuple | None:
    sts = scope.segment
    code, agency = sts.get(2), sts.get(2, 3)
    spec = table.EVENTS.get(code)
    if spec is None and not code.strip():
        category = sts.get(1)
        ctx.report(
            MISSING,
            f"STS names no status (C555 4405 empty{', category ' + repr(category) if category else ''}): no event",
            sts,
            element=2,
            error=True,
        )
    elif spec is None:
        text = sts.get(2, 4)
        ctx.report(
            NOT_SUPPORTED,
            f"Status code {code!r} (STS 4405, agency {agency or 'none'}{', ' + repr(text) if text else ''}) "
            "is not in the status table: no event",
            sts,
            element=2,
            error=True,
        )
    return spec


def _event_scopes(root: Scope, table: Any) -> list[Scope]:
    if table.EVENT_FROM == "NONE":
        return []  # the message states no per-item fact (its vessel calls, if any, are read apart)
    if table.EVENT_SCOPE is None:
        return [root]
    return [scope for scope in root.walk() if scope.key == table.EVENT_SCOPE]


def _equipment_chains(scope: Scope, table: Any, extra: Any = ()) -> list[tuple[Scope | None, list[Scope]]]:
    """(equipment scope or None, lookup chain innermost first) for each event of an event scope.

    ``extra``: plain EQD scopes elsewhere that the scope's event also covers (see :mod:`edi.mappings.decisions`).
    """
    if scope.key == "EQD":
        return [(scope, scope.chain())]
    if scope.parent is not None and scope.parent.key == "EQD":  # a status group of its container's group
        return [(scope.parent, scope.chain())]
    if table.EQUIPMENT_SEGMENTS:  # EQD is a plain segment of the scope, not a group: each its own scope
        plain = [Scope("EQD", scope.level + 1, eqd, scope) for eqd in scope.segments.get("EQD", ())] + list(extra)
        if plain:
            return [(eq, eq.chain()) for eq in plain]
    inner = [s for s in scope.walk() if s.key == "EQD" and s is not scope]
    if inner:
        return [(eq, eq.chain()) for eq in inner]
    if table.ADOPT_PRECEDING_EQUIPMENT and scope.parent is not None:
        siblings = scope.parent.children
        for sibling in reversed(siblings[: siblings.index(scope)]):
            if sibling.key == "EQD":
                return [(sibling, [scope, sibling, *scope.parent.chain()])]
    return [(None, scope.chain())]
