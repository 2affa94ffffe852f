"""Canonical CUSTOMS events out as EDIFACT D.96B for an authority: CUSDEC declarations and CUSCAR manifests.

The inverse of the inbound tables :mod:`edi.mappings.edifact.cusdec` and
:mod:`edi.mappings.edifact.cuscar`, so that mapping the output back gives the same events:

- CUSDEC: one message per lodged (DECL) or cancelled (CNCL) declaration event. BGM 1004 is the
  declaration's first DEC reference (the trader's LRN), its other references go in SG1 RFF
  (ABT registration number, BM bill, AFB manifest, BN booking ...), its containers in EQD, the
  office of clearance in LOC 22, the vessel in SG4 TDT, the time in DTM 137; UNS D and S close
  the (empty) detail section.
- CUSCAR: one message per manifest (the events' MAN reference, BGM 1004 with 1001 85 customs
  manifest), and only for a cargo report (a China manifest-family MAN reference names an MT1101,
  MT2101, MT1201 or MT2201; the family's reports and applications are left out with that reason,
  :func:`not_a_cargo_report`), every bill a CNI group: CNI 1004 the bill (TRD), its place (LOC 11 port of
  discharge) and its containers as split goods placements (SGP) of its goods item (GID, which
  every SG8 group must hold), its other references (BN booking ...) each in a further SG8 group,
  the containers themselves once in the header EQD groups, the vessel in SG4.

    >>> bodies, skipped = customs_bodies(events, "CUSDEC")    # the message bodies, UNH/UNT added by emit()
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydifact.segments import Segment

from customs_gateway.manifest_types import CARGO_REPORTS

DIRECTORY = ("D", "96B", "UN")
TYPES = ("CUSDEC", "CUSCAR")
FUNCTION_CODES = {"DECL": "9", "CNCL": "1"}  # 1225: original, cancellation
CUSDEC_DOCUMENT = "929"  # 1001: goods declaration (the mapping reads any)
CUSCAR_DOCUMENT = "85"  # 1001: customs manifest
#: the China manifest family names each lodgement by its type first (``MT3102-UN9321483-047E``)
MANIFEST_FAMILY = re.compile(r"^(MT(?:\d{4}|ECIM|ECEX))-")


def not_a_cargo_report(manifest: str) -> str:
    """The manifest-family type a MAN reference names when that is no cargo report ("" for a manifest).

    A CUSCAR is a cargo report: a manifest (MT1101, MT2101, MT1201, MT2201), its amendment or
    deletion. An arrival or tally report, a distribution or change application, a packing list
    lodged under a MAN reference of its own has no EDIFACT form.
    """
    found = MANIFEST_FAMILY.match(manifest)
    return found.group(1) if found and found.group(1) not in CARGO_REPORTS else ""


def customs_bodies(
    events: Iterable[dict], message_type: str, function_code: str | None = None
) -> tuple[list[list[Segment]], list[tuple[dict, str]]]:
    """The bodies (BGM to UNS/last segment) of ``message_type`` messages for ``events``, and what was left out."""
    bodies: list[list[Segment]] = []
    skipped: list[tuple[dict, str]] = []
    usable = []
    for event in events:
        reason = _unusable(event, message_type)
        if reason:
            skipped.append((event, reason))
        else:
            usable.append(event)
    if message_type == "CUSDEC":
        bodies = [_cusdec(event) for event in usable]
    else:
        bodies = [_cuscar(manifest) for manifest in _manifests(usable)]
    if function_code:
        for body in bodies:
            body[0] = Segment("BGM", body[0].elements[0], body[0].elements[1], function_code)
    return bodies, skipped


def _unusable(event: dict, message_type: str) -> str:
    if event.get("eventType") != "CUSTOMS" or event.get("customsEventTypeCode") not in FUNCTION_CODES:
        return f"{message_type} carries lodged (DECL) and cancelled (CNCL) declarations only"
    kind = "DEC" if message_type == "CUSDEC" else "MAN"
    if not _first(event, kind):
        return f"{message_type} needs a {kind} document reference (its BGM 1004)"
    other = not_a_cargo_report(_first(event, "MAN")) if message_type == "CUSCAR" else ""
    if other:
        return (
            f"{other} is a report or application, no cargo report: CUSCAR carries manifests only "
            f"({', '.join(CARGO_REPORTS)} and their amendments), and EDIFACT has no form for it"
        )
    if message_type == "CUSCAR" and not _first(event, "TRD"):
        return "CUSCAR needs the bill (a TRD document reference) of each consignment"
    return ""


def _first(event: dict, kind: str) -> str:
    for ref in event.get("documentReferences") or ():
        if ref.get("documentReferenceType") == kind and ref.get("documentReferenceValue"):
            return ref["documentReferenceValue"]
    return ""


def _others(event: dict, *skip: tuple[str, str]) -> list[list[str]]:
    """RFF C506 (qualifier, value) of the event's references, less those written elsewhere."""
    from edi.emit.edifact import REFERENCE_QUALIFIERS

    refs = []
    for ref in event.get("documentReferences") or ():
        pair = (ref.get("documentReferenceType"), ref.get("documentReferenceValue"))
        qualifier = REFERENCE_QUALIFIERS.get(pair[0])
        if qualifier and pair[1] and pair not in skip:
            refs.append([qualifier, pair[1]])
    return refs


def _containers(event: dict) -> list[str]:
    if event.get("equipmentReference"):
        return [event["equipmentReference"]]
    return list(event.get("equipmentReferences") or ())


def _cusdec(event: dict) -> list[Segment]:
    from edi.emit.edifact import _dtm, _eqd, _loc, _vessel_tdt

    lrn = _first(event, "DEC")
    body = [Segment("BGM", CUSDEC_DOCUMENT, lrn, FUNCTION_CODES[event["customsEventTypeCode"]])]
    loc = _loc("22", event)
    if loc is not None:
        body.append(loc)
    body.append(_dtm("137", event["eventDateTime"]))
    if event.get("equipmentReference"):
        body.append(_eqd(event))
    else:
        body += [Segment("EQD", "CN", number) for number in _containers(event)]
    body += [Segment("RFF", ref) for ref in _others(event, ("DEC", lrn))]
    vessel = _vessel_tdt(event)
    if vessel is not None:
        body.append(vessel)
    body += [Segment("UNS", "D"), Segment("UNS", "S")]
    return body


def _manifests(events: list[dict]) -> list[list[dict]]:
    """The events grouped by manifest (and lodged or cancelled), in first-seen order."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for event in events:
        groups.setdefault((_first(event, "MAN"), event["customsEventTypeCode"]), []).append(event)
    return list(groups.values())


def _cuscar(bills: list[dict]) -> list[Segment]:
    from edi.emit.edifact import _dtm, _eqd, _loc, _vessel_tdt

    first = bills[0]
    manifest = _first(first, "MAN")
    body = [Segment("BGM", CUSCAR_DOCUMENT, manifest, FUNCTION_CODES[first["customsEventTypeCode"]])]
    body.append(_dtm("137", first["eventDateTime"]))
    vessel = _vessel_tdt(first)
    if vessel is not None:
        body.append(vessel)
    written: set[str] = set()
    for bill in bills:
        if bill.get("equipmentReference") and bill["equipmentReference"] not in written:
            written.add(bill["equipmentReference"])
            body.append(_eqd(bill))
        for number in _containers(bill):
            if number not in written:
                written.add(number)
                body.append(Segment("EQD", "CN", number))
    for index, bill in enumerate(bills, start=1):
        number = _first(bill, "TRD")
        body.append(Segment("CNI", str(index), number))
        body.append(Segment("RFF", ["BM", number]))
        loc = _loc("11", bill)
        if loc is not None:
            body.append(loc)
        body.append(Segment("GID", "1"))  # SG14 is mandatory: the bill's goods, in its containers
        body += [Segment("SGP", container) for container in _containers(bill)]
        for ref in _others(bill, ("MAN", manifest), ("TRD", number)):  # one SG8 group per further document
            body += [Segment("RFF", ref), Segment("GID", "1")]
    return body
