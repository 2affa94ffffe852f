"""The vessel's arrivals and departures a message states: TRANSPORT ARRI/DEPA events from its vessel TDT groups.

A table's ``VESSEL_CALLS`` maps UNCL 2005 date/time qualifiers to (``transportEventTypeCode``,
``eventClassifierCode``, the LOC 3227 qualifiers of the port it happens at, by preference), e.g.
BAPLIE ``"178": ("ARRI", "ACT", ("5",))``: the actual arrival at the place of departure. Each
vessel TDT (mode 1 maritime, or stage 20 main carriage with no mode) opens a stretch of the
segments its group holds (LOC, DTM, RFF ...) up to the next TDT, the next scope trigger of the
table or a segment outside the group. Each DTM there whose qualifier the table names is one
event; its port is the LOC just before it when that LOC's qualifier is one the table accepts,
else the first accepted LOC of the stretch, else of the message header. Where the message's
directory nests the dates in the transport group's LOC groups (IFTSAI's SG5 LOC-DTM, D99B and later
CODECO/COARRI/IFTSTA), a date is its own LOC's: any port the vessel calls at (:data:`PORTS_OF_CALL`,
the previous and next ports of a sailing included) is its place (a table's ``CALL_SEGMENTS``
names the tags its TDT groups hold beyond :data:`CALL_GROUP`; with ``CALL_REFERENCES`` each call
carries the message header's documentReferences). A table's ``CALL_PORTS``
(BGM 1001 -> LOC qualifiers) says which port a terminal's report is about (a loading report: the
port of loading): then every time of the group is that port's, whatever LOC stands before it.

The eventID is a UUID5 over the call itself (vessel, voyage, port, event type, classifier, UTC
instant; see :func:`edi.mappings.events.fact_id`), not over the message, so the same call reported
by a COARRI and a BAPLIE is one event.

    >>> [e["transportEventTypeCode"] + "/" + e["eventClassifierCode"] for e in vessel_calls(message, table, root, ctx)]
    ['ARRI/ACT', 'DEPA/EST']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from edi.directory import directory_for
from edi.mappings.edifact import common
from edi.mappings.events import actual_in_time, fact_id, position_of, references_of
from edi.mappings.scopes import Scope, qualifier
from edi.mappings.transport import mode_of, vessel_of
from edi.mappings.values import BadValue, dtm_datetime, locode_problem

INVALID, MISSING = "12", "13"
#: The segments a TDT group holds in the transport messages' directories (a stretch stops elsewhere).
CALL_GROUP = frozenset(
    {"DTM", "LOC", "RFF", "FTX", "TSR", "SCC", "SEL", "MEA", "DIM", "EQN", "CTA", "COM", "TCC", "MOA", "PCD", "ICD"}
)
VOYAGE_REFERENCES = ("VON",)
#: UNCL 3227 places a vessel calls at (arrives at and leaves): 5 departure, 8 destination, 9 loading,
#: 11/12 discharge, 13 transhipment, 24 entry, 60 arrival, 61 next port of call, 76 original port of
#: loading, 87 initial arrival, 94 previous port of call, 125 last port of call, 152 next port of
#: discharge, 153 port of call, 164 berth (when it names a UN/LOCODE).
PORTS_OF_CALL = frozenset(
    {"5", "8", "9", "11", "12", "13", "24", "60", "61", "76", "87", "94", "125", "152", "153", "164"}
)


def is_vessel(tdt: Any) -> bool:
    """A sea-going TDT: mode 1 (maritime, or a ship by its type of means), or main carriage (stage 20) that
    names no mode."""
    mode = mode_of(tdt)
    return mode == "1" or (not mode and tdt.get(1) == "20")


def vessel_calls(message: Any, table: Any, root: Scope, ctx: Any) -> list[dict]:
    """The TRANSPORT events of every vessel arrival or departure ``message`` states (one per fact)."""
    calls = table.VESSEL_CALLS
    if not calls:
        return []
    body = message.body
    group = CALL_GROUP | table.CALL_SEGMENTS
    stops = _triggers(table.SCOPES, table.CALL_SEGMENTS)
    bgm = next(iter(root.segments.get("BGM", ())), None)
    port = table.CALL_PORTS.get(bgm.get(1)) if bgm is not None and table.CALL_PORTS else None
    references = references_of([root], bgm, ctx) if table.CALL_REFERENCES else []
    # a terminal's report (CALL_PORTS) is about its own port, whatever LOC group a date stands in
    nested = dates_in_port_groups(message.type or "", *_directory_of(message)) if port is None else None
    events: list[dict] = []
    seen: set[str] = set()
    itinerary = _itinerary(body) if table.ITINERARY_CALLS else []
    conveyance = next((seg for seg in body if seg.tag == "TDT" and is_vessel(seg)), None)
    if itinerary and conveyance is not None:
        # the report's itinerary (LOC-DTM groups before its transport group) is its conveyance's calls
        for event in _stretch_events(conveyance, itinerary, calls, root, ctx, port, frozenset()):
            if event["eventID"] not in seen:
                seen.add(event["eventID"])
                if references:
                    event["documentReferences"] = [dict(r) for r in references]
                events.append(event)
    for index, tdt in enumerate(body):
        if tdt.tag != "TDT" or not is_vessel(tdt):
            continue
        stretch = []
        for position in range(index + 1, len(body)):  # no copy of the body's tail per TDT
            seg = body[position]
            if seg.tag not in group or seg.tag in stops or f"{seg.tag}+{qualifier(seg)}" in stops:
                break
            stretch.append(seg)
        for event in _stretch_events(tdt, stretch, calls, root, ctx, port, nested):
            if event["eventID"] not in seen:
                seen.add(event["eventID"])
                if references:
                    event["documentReferences"] = [dict(r) for r in references]
                events.append(event)
    return events


def _itinerary(body: list) -> list:
    """The LOC-DTM groups of a message's header that come before its first TDT (a conveyance report's
    voyage itinerary: CUSREP SG2, SG3 from D10B), or []."""
    first_tdt = next((i for i, seg in enumerate(body) if seg.tag == "TDT"), len(body))
    start = next((i for i, seg in enumerate(body[:first_tdt]) if seg.tag == "LOC"), None)
    if start is None:
        return []
    itinerary = []
    for seg in body[start:first_tdt]:
        if seg.tag not in ("LOC", "DTM"):
            break
        itinerary.append(seg)
    return itinerary


def _directory_of(message: Any) -> tuple[str, str, str]:
    """UNH S009 0052, 0054, 0051 of ``message``."""
    return message.version or "", message.release or "", message.agency or ""


@lru_cache(maxsize=256)
def dates_in_port_groups(message_type: str, version: str, release: str, agency: str) -> frozenset[str] | None:
    """Where the message's directory puts a transport group's dates in its LOC groups (TDT group >
    LOC group holding DTM), the tags its LOC group may hold before the dates (each date is then the
    port's that opens its group); None where the dates stand beside the LOCs or no directory is known."""
    directory = directory_for(message_type, version, release, agency)
    structure = directory.message(message_type) if directory is not None else None
    return _dated_port_group(structure, in_transport=False) if structure is not None else None


def _dated_port_group(group: Any, in_transport: bool) -> frozenset[str] | None:
    for node in group.children:
        if node.group is None:
            continue
        tags = [child.tag for child in node.group.children]
        if in_transport and node.tag == "LOC" and "DTM" in tags:
            return frozenset(tags[1 : tags.index("DTM")])
        found = _dated_port_group(node.group, in_transport or node.tag == "TDT")
        if found is not None:
            return found
    return None


def _triggers(scopes: dict, members: frozenset[str]) -> frozenset[str]:
    """The table's triggers that end a TDT group: not TDT itself, nor a segment the group may hold."""
    return frozenset(key for key in scopes if key.split("+", 1)[0] not in ("TDT", *members))


def _stretch_events(
    tdt: Any,
    stretch: list,
    calls: dict,
    root: Scope,
    ctx: Any,
    port: tuple | None,
    nested: frozenset[str] | None = None,
) -> list[dict]:
    """The calls of one TDT group; ``port``: the LOC qualifiers of the one port all its times are at
    (a terminal's report is about its own port's call), else each time's port by the table;
    ``nested``: the tags a LOC group holds before its dates where the directory puts the dates in
    LOC groups (see :func:`dates_in_port_groups`): a date in such a group is at that group's port."""
    events = []
    previous_loc = group_loc = None
    for seg in stretch:
        if seg.tag == "LOC":
            previous_loc = group_loc = seg
            continue
        if seg.tag != "DTM":
            if nested is None or seg.tag not in nested:
                group_loc = None  # past the LOC group's dates: a later date is not its
            continue
        spec = calls.get(qualifier(seg))
        if spec is None or not seg.get(1, 2).strip():
            continue
        code, classifier, places = spec
        if (
            nested is not None
            and group_loc is not None
            and qualifier(group_loc) in PORTS_OF_CALL
            and _locode(group_loc)
        ):
            loc = group_loc
        else:
            loc = _port(previous_loc, stretch, port or places, root)
        event = _call_event(tdt, stretch, seg, loc, code, classifier, ctx)
        if event is not None:
            events.append(event)
    return events


def _port(previous: Any, stretch: list, places: tuple, root: Scope) -> Any:
    """The LOC the date belongs to: the one just before it if its qualifier fits, else by preference."""
    if previous is not None and qualifier(previous) in places and _locode(previous):
        return previous
    for wanted in places:
        for seg in stretch:
            if seg.tag == "LOC" and qualifier(seg) == wanted and _locode(seg):
                return seg
        seg = root.by_qualifier("LOC").get(wanted)
        if seg is not None and _locode(seg):
            return seg
    return None


def _locode(loc: Any) -> str:
    code = loc.get(2).strip().upper()
    return code if code and not locode_problem(code) else ""


def _call_event(tdt: Any, stretch: list, dtm: Any, loc: Any, code: str, classifier: str, ctx: Any) -> dict | None:
    what = {"ARRI": "arrival", "DEPA": "departure"}[code]
    if loc is None:
        ctx.report(MISSING, f"Vessel {what} (DTM {qualifier(dtm)}) names no port (UN/LOCODE): not mapped", dtm)
        return None
    locode = _locode(loc)
    try:
        when, how, note = dtm_datetime(dtm.get(1, 2), dtm.get(1, 3), locode)
    except BadValue as exc:
        ctx.report(INVALID, f"Vessel {what} time: {exc}", dtm, element=1)
        return None
    if note:
        ctx.report(INVALID, f"Vessel {what} time: {note}", dtm, element=1)
    if not actual_in_time(classifier, when, dtm, ctx):
        return None
    call: dict[str, Any] = {"UNLocationCode": locode, "modeOfTransport": "VESSEL"}
    facility = loc.get(3).strip()
    if 0 < len(facility) <= 6 and not (
        loc.get(3, 2) in common.NOT_FACILITY_LISTS or loc.get(3, 3) in common.NOT_FACILITY_AGENCIES
    ):
        call["facilityCode"] = facility
    vessel = vessel_of(tdt, ctx)
    if vessel:
        call["vessel"] = vessel
    voyage = tdt.get(2).strip() or _voyage_reference(stretch)
    if voyage:
        call["carrierVoyageNumber"] = voyage[:50]
    event: dict[str, Any] = {
        "eventType": "TRANSPORT",
        "eventClassifierCode": classifier,
        "transportEventTypeCode": code,
        "eventDateTime": when,
        "eventCreatedDateTime": ctx.created or ctx.interchange_date or when,
        "transportCall": call,
        "source": {
            "rawMessage": ctx.raw_message_id,
            "party": ctx.sender,
            "messageReference": ctx.reference,
            "position": position_of(dtm),
            "timeZone": how,
        },
    }
    if ctx.document is not None:
        event["source"]["document"] = dict(ctx.document)
    event["eventID"] = fact_id(event)
    return event


def _voyage_reference(stretch: list) -> str:
    for seg in stretch:
        if seg.tag == "RFF" and qualifier(seg) in VOYAGE_REFERENCES:
            return seg.get(1, 2).strip()
    return ""
