"""GS1 EPCIS 2.0 capture (JSON-LD EPCISDocument with ObjectEvents) into the gate's aggregates.

The GS1 EPCIS JSON Schema carries no open-source licence (a GS1 disclaimer only), so it is not
shipped; this module checks the subset a gate needs, with JSON paths in its errors, and the tests
check our answers against the standard schema where it is present. A document's ObjectEvents
become reads of the capturing reader's lane: each EPC in ``epcList`` at the event's ``eventTime``; an event
that removes (``DELETE``) or retracts (``errorDeclaration``, EPCIS 2.0 section 7.4.1.2) is checked, not read.

    >>> collapsed, count = capture_document(doc, received_at=now, limit=5000, max_skew=300)
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from rfid.dedupe import Aggregate, Collapsed
from rfid.epc import Tag, decode, from_uri
from rfid.exceptions import InvalidPayload, TooManyReads
from rfid.parse import parse_time

EVENT_TYPES = {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"}
ACTIONS = {"OBSERVE", "ADD", "DELETE"}
OFFSET = re.compile(r"^[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)$")
VERSION = re.compile(r"^\d+(\.\d+)*$")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
RAW = re.compile(r"^urn:epc:raw:(\d+)\.x([0-9A-Fa-f]+)$")
CBV_URI = re.compile(r"^(urn:epcglobal:cbv|https?://ns\.gs1\.org/cbv/)")  # CBV terms go bare in EPCIS 2.0 JSON
BIZ_STEPS = frozenset(
    "accepting arriving assembling collecting commissioning consigning creating_class_instance cycle_counting "
    "decommissioning departing destroying disassembling dispensing encoding entering_exiting holding inspecting "
    "installing killing loading other packing picking receiving removing repackaging repairing replacing reserving "
    "retail_selling shipping staging_outbound stock_taking stocking storing transporting unloading unpacking "
    "void_shipping sensor_reporting sampling".split()
)


def _fail(message: str, position: str) -> InvalidPayload:
    return InvalidPayload(message, position=position)


def _uri(value: Any, position: str) -> str:
    if not isinstance(value, str) or not URI.match(value) or len(value) > 160:
        raise _fail(_("Expected a URI."), position)
    return value


def tag_of(uri: str) -> Tag:
    """The tag an EPC URI names: pure identity, or ``urn:epc:raw:<bits>.x<hex>``."""
    raw = RAW.match(uri)
    if raw:
        return decode(raw.group(2))
    return from_uri(uri)


def _check_document(doc: Any) -> list:
    if not isinstance(doc, dict):
        raise _fail(_("An EPCIS document is a JSON object."), "$")
    if "@context" not in doc:
        raise _fail(_("@context is required (JSON-LD)."), "$['@context']")
    if doc.get("type") != "EPCISDocument":
        raise _fail(_("type must be EPCISDocument."), "$.type")
    version = doc.get("schemaVersion")
    if not isinstance(version, str) or not VERSION.match(version) or not version.startswith("2"):
        raise _fail(_("schemaVersion must be 2.x."), "$.schemaVersion")
    parse_time(doc.get("creationDate"), "$.creationDate")
    body = doc.get("epcisBody")
    if not isinstance(body, dict) or not isinstance(body.get("eventList"), list):
        raise _fail(_("epcisBody.eventList is required, a list."), "$.epcisBody.eventList")
    if not body["eventList"]:
        raise _fail(_("The event list is empty."), "$.epcisBody.eventList")
    return body["eventList"]


def _check_event(event: Any, at: str) -> tuple[datetime, list[str]]:
    """The time and EPC URIs of one ObjectEvent, after checking what the gate relies on."""
    if not isinstance(event, dict):
        raise _fail(_("An event is a JSON object."), at)
    kind = event.get("type")
    if kind not in EVENT_TYPES:
        raise _fail(_("Unknown event type."), f"{at}.type")
    if kind != "ObjectEvent":
        raise _fail(_("Only ObjectEvents are captured at gates."), f"{at}.type")
    if event.get("action") not in ACTIONS:
        raise _fail(_("action is OBSERVE, ADD or DELETE."), f"{at}.action")
    when = parse_time(event.get("eventTime"), f"{at}.eventTime")
    offset = event.get("eventTimeZoneOffset")
    if not isinstance(offset, str) or not OFFSET.match(offset):
        raise _fail(_("eventTimeZoneOffset is +hh:mm or -hh:mm."), f"{at}.eventTimeZoneOffset")
    if "eventID" in event:
        _uri(event["eventID"], f"{at}.eventID")
    for place in ("readPoint", "bizLocation"):
        if place in event:
            if not isinstance(event[place], dict) or "id" not in event[place]:
                raise _fail(_("%(place)s is an object with an id.") % {"place": place}, f"{at}.{place}")
            _uri(event[place]["id"], f"{at}.{place}.id")
    step = event.get("bizStep")
    if step is not None and not (
        isinstance(step, str) and (step in BIZ_STEPS or (URI.match(step) and not CBV_URI.match(step)))
    ):
        raise _fail(_("bizStep is a CBV business step or a URI."), f"{at}.bizStep")
    if "errorDeclaration" in event:
        declared = event["errorDeclaration"]
        if not isinstance(declared, dict):
            raise _fail(_("errorDeclaration is an object."), f"{at}.errorDeclaration")
        parse_time(declared.get("declarationTime"), f"{at}.errorDeclaration.declarationTime")
    epcs = event.get("epcList", [])
    if not isinstance(epcs, list) or len(set(map(str, epcs))) != len(epcs):
        raise _fail(_("epcList is a list of distinct EPC URIs."), f"{at}.epcList")
    sensors = event.get("sensorElementList")
    sensed = isinstance(sensors, list) and bool(sensors) and "readPoint" in event
    if "epcList" not in event and "quantityList" not in event and not sensed:  # the schema's three ways
        raise _fail(
            _("An ObjectEvent names an epcList, a quantityList, or a sensorElementList with its readPoint."),
            f"{at}.epcList",
        )
    return when, [_uri(uri, f"{at}.epcList[{i}]") for i, uri in enumerate(epcs)]


def capture_document(doc: Any, *, received_at: datetime, limit: int, max_skew: float) -> tuple[Collapsed, int]:
    """The aggregates of the OBSERVE/ADD ObjectEvents of a document, and the number of events taken."""
    events = _check_document(doc)
    low, high = received_at - timedelta(seconds=max_skew), received_at + timedelta(seconds=max_skew)
    by_tag: dict[str, Aggregate] = {}
    total = skewed = 0
    for index, event in enumerate(events):
        at = f"$.epcisBody.eventList[{index}]"
        when, uris = _check_event(event, at)
        total += len(uris)
        if total > limit:
            raise TooManyReads(_("At most %(limit)d EPCs per capture.") % {"limit": limit}, position=at)
        if event["action"] == "DELETE" or "errorDeclaration" in event:  # a retraction says nothing was seen
            continue
        if not low <= when <= high:
            skewed += 1
            when = received_at
        for i, uri in enumerate(uris):
            try:
                tag = tag_of(uri)
            except ValueError as exc:
                raise _fail(str(exc), f"{at}.epcList[{i}]") from exc
            agg = Aggregate(tag, when, when, 1, None, set())
            if tag.key in by_tag:
                by_tag[tag.key].merge(agg)
            else:
                by_tag[tag.key] = agg
    return Collapsed(by_tag=by_tag, skewed=skewed), len(events)
