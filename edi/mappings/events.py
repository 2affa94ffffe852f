"""Build one canonical event from a table's event spec and a chain of scopes (see :mod:`edi.map`).

Each field is read where the table says (qualifiers by preference, innermost scope first), coded
values go through :mod:`edi.mappings.edifact.common`, and the eventID is a UUID5 over the
*fact* (``tracking.events.event_id``): type, code, classifier, container or vessel or document,
the UTC instant, the place. The same fact reported by two messages is one event.
"""

from __future__ import annotations

from typing import Any

from edi.mappings.decisions import reasons_body
from edi.mappings.edifact import common
from edi.mappings.edifact.places import zone_of
from edi.mappings.scopes import Scope, components, every, find, status_scope
from edi.mappings.transport import INLAND_MODES, Leg, in_leg, leg_of, mode_of, off_vessel_leg, transport_call
from edi.mappings.values import (
    BadValue,
    container_problem,
    dtm_datetime,
    equipment_number,
    locode_problem,
    utc_key,
    with_check_digit,
)
from tracking.events import event_id

INVALID, MISSING = "12", "13"
CUSTOMS_DOCUMENTS = frozenset({"DEC", "MAN"})
MAX_FACILITY = 6  # DCSA's facilityCode: an SMDG terminal or BIC facility code
TYPE_FIELD = {
    "EQUIPMENT": "equipmentEventTypeCode",
    "TRANSPORT": "transportEventTypeCode",
    "SHIPMENT": "shipmentEventTypeCode",
    "CUSTOMS": "customsEventTypeCode",
}


def _by_code(value: Any, code: str) -> Any:
    return value.get(code, ()) if isinstance(value, dict) else value


def build_event(
    spec: tuple,
    chain: list[Scope],
    equipment: Scope | None,
    anchor: Any,
    root: Scope,
    bgm: Any,
    ctx: Any,
    locations: Any = None,
    listed: Any = (),
):
    """The canonical event for ``spec`` = (eventType, type code, classifier), or None when a key fact is missing.

    ``locations``: the place preferences to use instead of the table's ``LOCATIONS``; ``listed``: the
    container groups a one-event-per-document fact lists, whose references it also carries.
    """
    kind, code, classifier = spec
    table = ctx.table
    event: dict[str, Any] = {"eventType": kind, "eventClassifierCode": classifier, TYPE_FIELD[kind]: code}
    container = (
        read_equipment(event, equipment, ctx) if equipment is not None else _referenced_equipment(event, chain, ctx)
    )
    if kind == "EQUIPMENT" and not container:
        if equipment is None and not table.EQUIPMENT_OPTIONAL:
            ctx.report(MISSING, f"No container (EQD) for a {code} event", anchor, error=True)
        return None
    status = status_scope(chain)
    if container and status is not None and "emptyIndicatorCode" not in event:
        implied = table.STATUS_EMPTY.get(status.segment.get(2))
        if implied:
            event["emptyIndicatorCode"] = implied
    locode, facility = _location(_by_code(locations or table.LOCATIONS, code), chain, ctx)
    leg = leg_of(chain, code, locode) if table.TRANSPORT == "any" else None
    when, how, qualifier = _time(_by_code(table.EVENT_TIMES, code), chain, locode, anchor, ctx, leg)
    if when is None:
        return None
    classifier = event["eventClassifierCode"] = table.TIME_CLASSIFIERS.get(qualifier, classifier)
    if not actual_in_time(classifier, when, anchor, ctx):
        return None
    event["eventDateTime"] = when
    event["eventCreatedDateTime"] = ctx.created or ctx.interchange_date or when
    mode = table.STATUS_MODES.get(status.segment.get(2)) if table.STATUS_MODES and status is not None else None
    call = transport_call(table.TRANSPORT, chain, ctx, mode, (code, locode))
    if kind == "SHIPMENT" and locode and call.get("vessel"):
        off_vessel_leg(call, chain, ctx.message.body, locode)
    if locode:
        call["UNLocationCode"] = locode
    if facility:
        call["facilityCode"] = facility
    if call or kind == "TRANSPORT":
        event["transportCall"] = call
    references = references_of([*chain, *listed] if listed else chain, bgm, ctx)
    if references:
        event["documentReferences"] = references
    stowage = find(chain[:-1], "LOC", ("147",))
    if stowage is not None and stowage.get(2).strip():
        event["stowagePosition"] = stowage.get(2).strip()
    if kind == "CUSTOMS":
        _customs(event, chain, ctx)
    parties = ctx.parties
    if parties is None:
        parties = ctx.parties = _parties(root)
    if parties:
        event["parties"] = [dict(p) for p in parties]
    event["source"] = {
        "rawMessage": ctx.raw_message_id,
        "party": ctx.sender,
        "messageReference": ctx.reference,
        "position": position_of(equipment.segment if equipment is not None and kind == "EQUIPMENT" else anchor),
        "timeZone": how,
    }
    if ctx.document is not None:
        event["source"]["document"] = dict(ctx.document)
    event["eventID"] = event_id(*_identity(event, kind, code, classifier))
    return event


def actual_in_time(classifier: str, when: str, segment: Any, ctx: Any) -> bool:
    """False (reported) for an actual event dated after we got the message that reports it: a typo'd
    year would otherwise be the container's latest status for years."""
    reported = ctx.too_late_for_actual(when) if classifier == "ACT" else None
    if reported is None:
        return True
    ctx.report(INVALID, f"Actual event at {when} lies ahead of {reported}, when the message was received: not mapped",
               segment, error=True)  # fmt: skip
    return False


def fact_id(event: dict) -> str:
    """The eventID a canonical event gets from its fact (what :func:`build_event` computes)."""
    kind = event["eventType"]
    return event_id(*_identity(event, kind, event[TYPE_FIELD[kind]], event["eventClassifierCode"]))


def position_of(seg: Any) -> dict:
    """Where the fact sits: segment number and tag, line, column and offset (like ``Position.as_dict``)."""
    return {"segment": seg.number, "tag": seg.tag, "line": seg.line, "column": seg.column, "offset": seg.offset}


def _identity(event: dict, kind: str, code: str, classifier: str) -> tuple:
    call = event.get("transportCall") or {}
    vessel = call.get("vessel") or {}
    moment = utc_key(event["eventDateTime"])
    source = event.get("source") or {}
    if source.get("timeZone") == "processing time":
        moment = f"message:{source.get('messageReference')}"
    refs = tuple(
        sorted(
            f"{r['documentReferenceType']}:{r['documentReferenceValue']}" for r in event.get("documentReferences", ())
        )
    )
    place = (call.get("UNLocationCode"), call.get("facilityCode"))
    equipment = event.get("equipmentReference")
    if kind == "EQUIPMENT":
        return (kind, code, classifier, equipment, moment, *place)
    if kind == "TRANSPORT":  # the call: vessel, voyage, port and time (a terminal named or not, one call)
        ship = vessel.get("vesselIMONumber") or vessel.get("vesselCallSignNumber") or vessel.get("vesselName")
        return (kind, code, classifier, ship, call.get("carrierVoyageNumber"), moment, place[0], equipment)
    if kind == "CUSTOMS":
        return (kind, code, classifier, refs, equipment, moment, event.get("customsAuthority"))
    return (kind, code, classifier, refs, moment, equipment)


def read_equipment(event: dict, scope: Scope, ctx: Any) -> str | None:
    """Set the EQD's container, size-type and full/empty on ``event``; its number, or None (reported)."""
    eqd = scope.segment
    number = equipment_number(eqd.get(2))
    if not number:
        ctx.report(MISSING, "EQD without an equipment number (C237 8260): not mapped", eqd, element=2, error=True)
        return None
    if len(number) > 15:
        ctx.report(
            INVALID, f"Equipment number {number!r} is longer than 15 characters: not mapped", eqd, element=2, error=True
        )
        return None
    if eqd.get(1) in ("CN", ""):
        number = _completed(number, eqd, ctx)
        problem = container_problem(number)
        if problem:
            ctx.report(INVALID, f"Container {problem} (mapped, flagged)", eqd, element=2)
    event["equipmentReference"] = number
    size_type = eqd.get(3).strip()
    if len(size_type) == 4:
        event["ISOEquipmentCode"] = size_type
    empty = common.EMPTY_INDICATOR.get(eqd.get(6))
    if empty:
        event["emptyIndicatorCode"] = empty
    return number


def _referenced_equipment(event: dict, chain: list[Scope], ctx: Any) -> str | None:
    """A container named only by RFF EQ (status reports often do), when no EQD names one."""
    if ctx.table.EVENT_SCOPE is None:
        return None  # a whole-message event: an RFF EQ there is one of many containers
    ref = find(chain[:-1], "RFF", common.EQUIPMENT_REFERENCES)
    number = equipment_number(ref.get(1, 2)) if ref is not None else ""
    if not number or len(number) > 15:
        return None
    number = _completed(number, ref, ctx)
    problem = container_problem(number)
    if problem:
        ctx.report(INVALID, f"Container {problem} (mapped, flagged)", ref, element=1)
    event["equipmentReference"] = number
    return number


def _completed(number: str, seg: Any, ctx: Any) -> str:
    """A container number with the check digit its partner left out (reported), else as given."""
    whole = with_check_digit(number)
    if whole != number:
        text = f"Container {number} is written without its ISO 6346 check digit: read as {whole}"
        ctx.report(INVALID, text, seg, element=2 if seg.tag == "EQD" else 1)
    return whole


def _location(preferences: list, chain: list[Scope], ctx: Any) -> tuple[str | None, str | None]:
    for where, qualifiers in preferences:
        indexes = [scope.by_qualifier("LOC") for scope in (chain[:-1] if where == "item" else chain[-1:])]
        for wanted in qualifiers:
            for index in indexes:
                seg = index.get(wanted)
                if seg is None:
                    continue
                code = seg.get(2).strip().upper()
                code_list, agency = seg.get(2, 2), seg.get(2, 3)
                problem = locode_problem(code) if code else "no place code"
                if problem:
                    if code_list == "139" or agency == "6" or len(code) == 5:
                        ctx.report(INVALID, f"Unknown location: {problem}", seg, element=2)
                    elif code:  # a partner's or a national place code: no UN/LOCODE to keep
                        text = (
                            f"Place {code[:35]!r} (code list {code_list or '-'}) is no UN/LOCODE: not kept as a place"
                        )
                        ctx.report(INVALID, text, seg, element=2)
                    continue
                if ctx.known_locations is not None and code not in ctx.known_locations:
                    ctx.report(INVALID, f"Unknown location {code!r}: not a place we know (mapped)", seg, element=2)
                facility = _facility(seg) or _facility_elsewhere(code, chain)
                if not facility:
                    _report_long_facility(seg, ctx)
                return code, (facility or None)
    return None, None


def _facility(seg: Any) -> str:
    """The terminal or facility a LOC's first related place (C519) names, or ''."""
    facility = seg.get(3).strip()
    if seg.get(3, 2) in common.NOT_FACILITY_LISTS or seg.get(3, 3) in common.NOT_FACILITY_AGENCIES:
        return ""
    return facility if len(facility) <= MAX_FACILITY else ""


def _report_long_facility(seg: Any, ctx: Any) -> None:
    """A terminal code too long for a facility code (SMDG, BIC: 6 characters) is not kept: say so."""
    facility = seg.get(3).strip()
    if len(facility) > MAX_FACILITY and seg.get(3, 2) not in common.NOT_FACILITY_LISTS:
        if seg.get(3, 3) not in common.NOT_FACILITY_AGENCIES:
            text = f"Facility {facility[:35]!r} is longer than a facility code (at most {MAX_FACILITY}): not kept"
            ctx.report(INVALID, text, seg, element=3)


def _facility_elsewhere(code: str, chain: list[Scope]) -> str:
    """The facility another LOC of the chain gives the same place (the header's port with its terminal,
    when the container's own LOC names the port alone)."""
    for scope in chain:
        for seg in scope.segments.get("LOC", ()):
            if seg.get(2).strip().upper() == code:
                facility = _facility(seg)
                if facility:
                    return facility
    return ""


def _time(
    qualifiers: tuple, chain: list[Scope], locode: str | None, anchor: Any, ctx: Any, leg: Leg | None = None
) -> tuple[str | None, str, str]:
    """(event time, how its zone was found, the DTM 2005 qualifier it came from); the time of last resort
    (reported) when the chain has none, or no time at all for a table whose events need their own.

    ``leg``: the TDT group whose port the event happens at (a status listing the route's legs): a
    time of its group comes before the same qualifier of another leg's."""
    indexes = [_dates(scope, ctx.table) for scope in chain]
    for wanted in qualifiers:
        own = _leg_time(leg, wanted) if leg is not None else None
        for index in ({wanted: own},) if own is not None else indexes:
            seg = index.get(wanted)
            if seg is None or not seg.get(1, 2):
                continue
            if ctx.created_from is not None and seg is ctx.created_from[0]:
                return ctx.created, ctx.created_from[1], wanted  # the message's date: one segment, one instant
            place = locode
            if index is indexes[-1]:
                place = _vessel_time_port(wanted, chain[-1], ctx) or locode
            try:
                when, how, note = dtm_datetime(seg.get(1, 2), seg.get(1, 3), place)
            except BadValue as exc:
                ctx.report(INVALID, f"Event time: {exc}", seg, element=1)
                continue
            if note:
                ctx.report(INVALID, f"Event time: {note}", seg, element=1)
            return when, how, wanted
    if ctx.table.TIME_REQUIRED:
        return None, "", ""  # a plan that names no time for its move states no event
    fallback = ctx.fallback_time
    ctx.report(MISSING, f"No event time (DTM {'/'.join(qualifiers)}): the {fallback[1]} is used", anchor)
    return (*fallback, "")


def _dates(scope: Scope, table: Any) -> dict[str, Any]:
    """A scope's first DTM per qualifier; for a vessel's move, not the dates of a container's own truck, rail or
    barge leg (COPRAR's SG10 TDT group: its pre-carriage leaving the inland depot is no time of the loading)."""
    index = scope.by_qualifier("DTM")
    tdts = scope.segments.get("TDT", ()) if scope.parent is not None and table.TRANSPORT == "vessel" else ()
    if not index or not any(mode_of(tdt) in INLAND_MODES for tdt in tdts):
        return index
    own: dict[str, Any] = {}
    for seg in scope.segments.get("DTM", ()):
        leg = next((tdt for tdt in reversed(tdts) if tdt.number < seg.number), None)
        if leg is None or mode_of(leg) not in INLAND_MODES:
            own.setdefault(seg.get(1), seg)
    return own


def _leg_time(leg: Leg, qualifier: str) -> Any:
    """The first DTM of ``qualifier`` in the leg's TDT group, or None."""
    return next(
        (
            seg
            for seg in leg.scope.segments.get("DTM", ())
            if seg.get(1) == qualifier and in_leg(seg, leg.tdt, leg.until)
        ),
        None,
    )


def _vessel_time_port(qualifier: str, root: Scope, ctx: Any) -> str | None:
    """The port a header vessel time happens at (the table's ``VESSEL_CALLS`` places, e.g. BAPLIE's ETA
    at the next port LOC 61), when its clock is knowable: a header time is read on that port's clock,
    so an event timed by the vessel's ETA and the ETA's own TRANSPORT event are one instant."""
    spec = ctx.table.VESSEL_CALLS.get(qualifier)
    if spec is None:
        return None
    locations = root.by_qualifier("LOC")
    for wanted in spec[2]:
        seg = locations.get(wanted)
        code = seg.get(2).strip().upper() if seg is not None else ""
        if code and not locode_problem(code) and zone_of(code):
            return code
    return None


def references_of(chain: list[Scope], bgm: Any, ctx: Any) -> list[dict]:
    """The documentReferences a chain of scopes gives: the table's BGM and CNI numbers, RFF and DOC by their codes."""
    found: list[tuple[str, str]] = []
    table = ctx.table
    number_type = table.DOCUMENT_NUMBER
    if isinstance(number_type, dict):
        number_type = number_type.get(ctx.message.type)
    number_at = None
    if number_type and bgm is not None and not _number_referenced(chain, table):
        found.append((number_type, bgm.get(2).strip()))
        number_at = len(found) - 1
    cni_type = table.CNI_REFERENCE
    if cni_type:
        for scope in chain:  # one consignment, or those placed in a container (COSTCO)
            if scope.key == "CNI":
                found.append((cni_type, scope.segment.get(2).strip()))
    for seg in every(chain, "RFF"):
        kind = common.DOCUMENT_REFERENCES.get(seg.get(1))
        if kind and (seg.get(1), seg.get(1, 2).strip()) not in table.PLACEHOLDER_REFERENCES:
            found.append((kind, seg.get(1, 2).strip()))
    for seg in every(chain, "DOC"):
        kind = common.DOCUMENT_TYPES.get(seg.get(1))
        if kind:
            found.append((kind, seg.get(2).strip()))
    if number_at is not None and table.AUTHORITY == "sender":
        # an authority's answer whose number its own RFF or DOC types as the other customs document (BGM
        # 1004 and RFF AFB: the manifest answered) names that document, not a declaration of that number
        number = found[number_at][1]
        if any(v == number and k != number_type and k in CUSTOMS_DOCUMENTS for k, v in found[number_at + 1 :]):
            del found[number_at]
    seen: set[tuple[str, str]] = set()
    references = []
    for kind, value in found:
        if value and len(value) <= 35 and (kind, value) not in seen:
            seen.add((kind, value))
            references.append({"documentReferenceType": kind, "documentReferenceValue": value})
    return references


def _number_referenced(chain: list[Scope], table: Any) -> bool:
    """Whether an RFF of the table's ``NUMBER_REFERENCES`` names the document outright (a confirmation's
    RFF+BN): then BGM 1004 is the message's own number, not that document's."""
    qualifiers = table.NUMBER_REFERENCES
    return bool(qualifiers) and any(seg.get(1) in qualifiers and seg.get(1, 2).strip() for seg in every(chain, "RFF"))


def _customs(event: dict, chain: list[Scope], ctx: Any) -> None:
    who = ctx.table.AUTHORITY
    authority = ctx.sender if who == "sender" else ctx.recipient if who == "recipient" else None
    if authority:
        event["customsAuthority"] = authority[:70]
    if ctx.table.REASONS:
        reasons = _reasons(reasons_body(chain, ctx.message.body, ctx.decided))
        if reasons:
            event["reasons"] = reasons


def _reasons(body: list) -> list[dict]:
    """ERC codes with the FTX that follows each, and the ERP (error point) they sit under."""
    reasons: list[dict] = []
    current: dict | None = None
    point = ""
    for seg in body:
        if seg.tag == "ERP":
            point = ":".join(c for c in components(seg, 1) if c)[:35]
        elif seg.tag == "ERC":
            current = {"code": seg.get(1)[:35]}
            if point:
                current["errorPoint"] = point
            reasons.append(current)
        elif seg.tag == "FTX":
            text = " ".join(c for c in components(seg, 4) if c).strip()[:512]
            if not text:
                continue
            if current is not None and "text" not in current:
                current["text"] = text
            else:
                reasons.append({"text": text})
    return [r for r in reasons if r.get("code") or r.get("text")]


def _parties(root: Scope) -> list[dict]:
    parties = []
    for nad in root.segments.get("NAD", ()):
        ident = nad.get(2).strip()
        if ident and len(ident) <= 35:
            function = nad.get(1)
            parties.append(
                {"partyEDIIdentity": ident, "partyFunction": common.PARTY_FUNCTIONS.get(function, function[:3])}
            )
    return parties
