"""Apply a customs XML table: cargo facts by its paths, answers through the customs gateway's reader.

    >>> mapped = map_opened(opened, header, raw_message_id=42, party="CARRIER1")
    >>> mapped.events, mapped.issues

A :class:`edi.mappings.xml.Fact` gives one event per element its scope finds; an answer table
gives one event per answer :func:`customs_gateway.responses.interpret` reads (per bill and per
container where the answer names them). Values are checked as EDIFACT's are (ISO 6346 check
digits, IMO numbers, UN/LOCODEs); a bad one is mapped and flagged (a warning), a missing key
fact drops the event (an error). The eventID is :func:`edi.mappings.events.fact_id`, the same
identity EDIFACT facts get, so one fact reported in both is one event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from edi.customs_xml.paths import element_path, first, local, locode, select, top, values, xml_datetime
from edi.customs_xml.read import Opened, option
from edi.issues import Issue, Position
from edi.mappings.edifact.common import EMPTY_INDICATOR
from edi.mappings.events import TYPE_FIELD, fact_id
from edi.mappings.values import BadValue, container_problem, equipment_number, imo_problem, iso, lies_ahead
from edi.mappings.xml import Fact

INVALID, MISSING, NOT_SUPPORTED = "12", "13", "14"
#: the equipment's loaded status (WCO data element 154: UN/EDIFACT 8169, as the China manifests write it:
#: 4 empty, 5 full, 7 full LCL, 8 full FCL ...) and the letters some senders use
EMPTY = EMPTY_INDICATOR | {"E": "EMPTY", "F": "LADEN", "L": "LADEN"}
MAX_REF = 35


@dataclass
class Header:
    """What the message says about itself (the SPEC's message entry)."""

    type: str
    version: str
    reference: str
    sender: str
    recipient: str
    function: str
    created: str


@dataclass
class Mapped:
    events: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


@dataclass
class _Context:
    opened: Opened
    header: Header
    raw_message_id: Any
    party: str | None
    received: str | None
    out: Mapped
    _submission: Any = None

    @property
    def submission(self) -> Any:
        """The customs gateway's own reading of a declaration or manifest (bills, containers, reference)."""
        if self._submission is None:
            from customs_gateway.records import extract

            self._submission = extract(self.opened.root)
        return self._submission

    def report(self, code: str, text: str, element: etree._Element | None, *, error: bool = False) -> None:
        where = Position(path=element_path(element), line=element.sourceline) if element is not None else Position()
        self.out.issues.append(
            Issue(code, text, where, level="element", message_ref=self.header.reference or None,
                  severity="error" if error else "warning")
        )  # fmt: skip

    @property
    def zone(self) -> str:
        return option(self.opened.table, "TIME_ZONE", "") or ""

    def zone_place(self, place: str) -> str | None:
        """The place whose zone a time written without one is in; none where the standard fixes the zone."""
        return (place or None) if option(self.opened.table, "ZONE_FROM_PLACE", True) else None


def read_header(opened: Opened) -> Header:
    paths = option(opened.table, "HEADER", {}) or {}
    root = opened.root
    read = {name: first(root, tuple(paths.get(name, ()))) for name in ("reference", "sender", "recipient")}
    read |= {name: first(root, tuple(paths.get(name, ()))) for name in ("function", "version", "created")}
    envelope = opened.envelope
    return Header(
        type=opened.type,
        version=read["version"],
        reference=read["reference"] or envelope.get("messageId", ""),
        sender=read["sender"] or envelope.get("sender", ""),
        recipient=read["recipient"] or ",".join(envelope.get("receivers", ())),
        function=read["function"],
        created=read["created"],
    )


def map_opened(opened: Opened, header: Header, *, raw_message_id: Any = None, party: str | None = None,
               received: str | None = None) -> Mapped:  # fmt: skip
    """The canonical events of one opened message (see the module docstring)."""
    ctx = _Context(opened, header, raw_message_id, party, received, Mapped())
    if option(opened.table, "ANSWER", False):
        from edi.customs_xml.answers import map_answers

        map_answers(ctx)
    else:
        for fact in (option(opened.table, "FACTS", {}) or {}).get(opened.type, ()):
            for element in _scope(opened.root, fact.scope, fact.requires):
                event = fact_event(fact, element, ctx)
                if event is not None:
                    ctx.out.events.append(event)
    seen: set = set()
    ctx.out.events = [e for e in ctx.out.events if not (e["eventID"] in seen or seen.add(e["eventID"]))]
    # one complaint per value, not one per container that repeats the message's vessel
    ctx.out.issues = [i for i in ctx.out.issues if not ((i.code, i.message) in seen or seen.add((i.code, i.message)))]
    return ctx.out


def read(element: etree._Element, path: str, ctx: _Context) -> list[str]:
    """Values at ``path``; ``#submission.<field>`` and ``#bill.<field>`` read the gateway's record instead.

    ``#bill`` is the gateway's bill for ``element`` (the n-th ``Consignment`` is the n-th bill), so
    a manifest's bills, their containers and the manifest's reference are read once, by the gateway.
    """
    if not path.startswith("#"):
        return values(element, path)
    source, _, field = path[1:].partition(".")
    record: Any = ctx.submission
    if source == "bill":
        siblings = [e for e in element.getparent() if isinstance(e.tag, str) and local(e) == local(element)]
        index = siblings.index(element)
        record = record.bills[index] if index < len(record.bills) else None
    for name in field.split("."):
        if record is None:
            return []
        record = [getattr(r, name) for r in record] if isinstance(record, list) else getattr(record, name, None)
    if isinstance(record, dict):
        record = list(record)
    items = record if isinstance(record, list) else [record]
    return [str(item).strip() for item in items if item not in (None, "")]


def _scope(root: etree._Element, scope: str, requires: str = "") -> list[etree._Element]:
    found = [root] if not scope else [e for e in select(root, scope) if not isinstance(e, str)]
    return [e for e in found if values(e, requires)] if requires else found


def fact_event(fact: Fact, element: etree._Element, ctx: _Context) -> dict | None:
    """One event for ``element`` as ``fact`` describes it, or None (reported) when a key fact is missing."""
    if fact.draft is not None:
        path, codes = fact.draft
        saved = next((v for v in values(element, path) if v in codes), None)
        if saved is not None:
            ctx.report(NOT_SUPPORTED, f"{path} {saved}: a record saved as a draft, not lodged: no event", element)
            return None
    codes = [v for path in fact.function for v in values(element, path)] if fact.function else [ctx.header.function]
    function = next((code for code in codes if code in fact.by_function), codes[0] if codes else "")
    spec = fact.by_function[function] if function in fact.by_function else fact.event
    if spec is None:
        ctx.report(NOT_SUPPORTED, f"Function code {function} withdraws an earlier report: no event", element)
        return None
    kind, code, classifier = spec
    event: dict[str, Any] = {"eventType": kind, "eventClassifierCode": classifier, TYPE_FIELD[kind]: code}
    if fact.equipment and not _equipment(event, fact, element, ctx):
        return None
    if fact.containers:
        add_containers(event, fact, element, ctx)
    place, facility = _place(fact, element)
    when, how = _time(fact.time, element, place, ctx)
    if not actual_in_time(classifier, when, element, ctx):
        return None
    event["eventDateTime"] = when
    event["eventCreatedDateTime"] = _created(ctx, place) or when
    call = transport_call(fact, element, place, ctx)
    if facility:
        call["facilityCode"] = facility
    if call or kind == "TRANSPORT":
        event["transportCall"] = call
    refs = references(fact, element, ctx)
    if refs:
        event["documentReferences"] = refs
    if kind == "TRANSPORT" and not (call.get("vessel") or call.get("carrierVoyageNumber")):
        ctx.report(MISSING, "No vessel or voyage for a transport event: not mapped", element, error=True)
        return None
    if kind == "CUSTOMS":
        authority = authority_of(element, ctx)
        if authority:
            event["customsAuthority"] = authority[:70]
    parties = _parties(fact, element)
    if parties:
        event["parties"] = parties
    return finish(event, element, ctx, how)


def actual_in_time(classifier: str, when: str, element: etree._Element, ctx: _Context) -> bool:
    """False (reported) for an actual event dated after we got the message (now, without a receipt time)."""
    if classifier != "ACT":
        return True
    now = datetime.fromisoformat(ctx.received) if ctx.received else _now()
    if not lies_ahead(when, now):
        return True
    ctx.report(INVALID, f"Actual event at {when} lies ahead of {iso(now)}, when the message was received: not mapped",
               element, error=True)  # fmt: skip
    return False


def finish(event: dict, element: etree._Element, ctx: _Context, how: str) -> dict:
    """Add the source and the deterministic eventID."""
    event["source"] = {
        "rawMessage": ctx.raw_message_id,
        "party": (ctx.party or ctx.header.sender or "")[:35] or None,
        "messageReference": ctx.header.reference[:MAX_REF] or None,
        "position": {"path": element_path(element), "line": element.sourceline},
        "timeZone": how,
    }
    event["eventID"] = fact_id(event)
    return event


def _equipment(event: dict, fact: Fact, element: etree._Element, ctx: _Context) -> bool:
    number = equipment_number(first(element, (fact.equipment,)).replace(" ", ""))
    if not number:
        ctx.report(MISSING, "No container number: not mapped", element, error=True)
        return False
    if len(number) > 15:
        ctx.report(
            INVALID, f"Equipment number {number!r} is longer than 15 characters: not mapped", element, error=True
        )
        return False
    problem = container_problem(number)
    if problem:
        ctx.report(INVALID, f"Container {problem} (mapped, flagged)", element)
    event["equipmentReference"] = number
    size_type = first(element, fact.size_type)
    if len(size_type) == 4:
        event["ISOEquipmentCode"] = size_type
    empty = EMPTY.get(first(element, fact.fullness))
    if empty:
        event["emptyIndicatorCode"] = empty
    stowage = first(element, fact.stowage)
    if stowage:
        event["stowagePosition"] = stowage[:35]
    return True


def add_containers(event: dict, fact: Fact, element: etree._Element, ctx: _Context) -> None:
    """The containers ``fact.containers`` names (ISO 6346 checked: flagged, still mapped), one or several."""
    numbers: list[str] = []
    for path in fact.containers:
        for value in read(element, path, ctx):
            number = equipment_number(value.replace(" ", ""))
            if not number or number in numbers or len(number) > 15:
                continue
            problem = container_problem(number)
            if problem:
                ctx.report(INVALID, f"Container {problem} (mapped, flagged)", element)
            numbers.append(number)
    if numbers:
        event["equipmentReferences"] = numbers
        if len(numbers) == 1:
            event["equipmentReference"] = numbers[0]


def _place(fact: Fact, element: etree._Element) -> tuple[str, str]:
    """The first UN/LOCODE along the table's place paths, with the terminal written after it."""
    for path in fact.place:
        for value in values(element, path):
            code, facility = locode(value)
            if code:
                return code, facility
    return "", ""


def _time(paths: tuple, element: etree._Element, place: str, ctx: _Context) -> tuple[str, str]:
    for path in paths:
        for item in select(element, path):
            value = item if isinstance(item, str) else (item.text or "").strip()
            if not value:
                continue
            try:
                return xml_datetime(value, ctx.zone_place(place), ctx.zone)
            except BadValue as exc:
                ctx.report(INVALID, f"Event time: {exc}", None if isinstance(item, str) else item)
    ctx.report(MISSING, f"No event time ({', '.join(paths) or 'none in the table'}): the processing time is used",
               element)  # fmt: skip
    return ctx.received or iso(_now()), "processing time"


def _created(ctx: _Context, place: str) -> str:
    if not ctx.header.created:
        return ctx.received or ""
    try:
        return xml_datetime(ctx.header.created, ctx.zone_place(place), ctx.zone)[0]
    except BadValue:
        return ctx.received or ""


def _now():
    from django.utils import timezone

    return timezone.now()


def transport_call(fact: Fact, element: etree._Element, place: str, ctx: _Context) -> dict:
    call: dict[str, Any] = {}
    if place:
        call["UNLocationCode"] = place
    if fact.mode:
        call["modeOfTransport"] = fact.mode
    vessel: dict[str, str] = {}
    ident = first(element, fact.vessel_id).replace(" ", "").upper()
    if ident:
        digits = ident.removeprefix("UN").removeprefix("IMO")
        if len(digits) == 7 and digits.isdigit():
            vessel["vesselIMONumber"] = digits
            problem = imo_problem(digits)
            if problem:
                ctx.report(INVALID, f"Vessel: {problem} (mapped, flagged)", element)
        else:
            ctx.report(INVALID, f"Vessel identification {ident!r} is not an IMO number: not mapped", element)
    name = first(element, fact.vessel_name)
    if name:
        vessel["vesselName"] = name[:35]
    if vessel:
        call["vessel"] = vessel
    voyage = first(element, fact.voyage)
    if voyage:
        call["carrierVoyageNumber"] = voyage[:50]
    return call


def references(fact: Fact, element: etree._Element, ctx: _Context) -> list[dict]:
    found: list[tuple[str, str]] = []
    for kind, paths in fact.references:
        for path in paths:
            matches = read(element, path, ctx)
            if path.startswith("/") and len(set(matches)) > 1 and element is not top(element):
                continue  # the whole message's values: which one is this element's is not said
            found.extend((kind, value) for value in matches)
    return reference_list(found)


def reference_list(found: list[tuple[str, str]]) -> list[dict]:
    out, seen = [], set()
    for kind, value in found:
        value = value.strip()[:MAX_REF]
        if value and (kind, value) not in seen:
            seen.add((kind, value))
            out.append({"documentReferenceType": kind, "documentReferenceValue": value})
    return out


def authority_of(element: etree._Element, ctx: _Context, found: str = "") -> str:
    """Who the authority is: the document's own word, else the table's choice of sender/recipient/default."""
    if found:
        return found
    header = ctx.header
    for path in option(ctx.opened.table, "AUTHORITY", ()) or ():
        value = {"sender": ctx.party or header.sender, "recipient": header.recipient}.get(path)
        if value is None and path.startswith("office:"):  # the customs office after a place code (CNSHA/2248)
            _place, _slash, value = first(element, (path.removeprefix("office:"),)).partition("/")
        if value is None:
            value = first(element, (path,))
        if value:
            return value
    return option(ctx.opened.table, "DEFAULT_AUTHORITY", "") or ""


def _parties(fact: Fact, element: etree._Element) -> list[dict]:
    parties, seen = [], set()
    for function, paths in fact.parties:
        ident = first(element, paths)
        if ident and len(ident) <= 35 and (ident, function) not in seen:
            seen.add((ident, function))
            parties.append({"partyEDIIdentity": ident, "partyFunction": function[:3]})
    return parties
