"""Canonical manifest events (CUSTOMS DECL/CNCL under a MAN reference, one per bill) as a China MT1101 manifest.

    >>> body, left_out = mt1101(events, sender="LOGIHUB", receiver="EPORT", message_id="...")

What the events carry goes in: the vessel and voyage (``BorderTransportMeans``: ID ``UN`` + IMO
number, else the call sign or name), each bill (``TransportContractDocument``) with its port of
discharge (``UnloadingLocation``) and the containers whose size-type and fullness are known
(``TransportEquipment`` needs both). The result is checked against our ``MT1101.xsd``; what a manifest's main data also needs
(consignor, packages, gross mass: ``customs_gateway.rules``) is not in canonical events, so the
document is the manifest's outline for a carrier's system to complete, not a filing by itself.
Containers without them are named in ``left_out``.
"""

from __future__ import annotations

import re

from django.utils import timezone
from lxml import etree

from customs_gateway import schemas
from customs_gateway.exceptions import ERRORS, InvalidMessage

NS = schemas.MANIFEST_NS.format("MT1101")
FULLNESS = {"LADEN": "5", "EMPTY": "4"}  # UNCL 8169, as the manifest system codes it


#: the manifest system's other lodgements (arrival reports, tallies, applications, air messages) also name
#: their message as MAN (``MT3102-UN9321483-047E``): a bill of theirs is no bill of a sea manifest
NOT_A_SEA_MANIFEST = re.compile(r"^MT(?!1101-|2101-)(\d{4}|ECIM|ECEX)-")


def is_manifest(event: dict) -> bool:
    manifests = [r.get("documentReferenceValue") or "" for r in event.get("documentReferences") or ()
                 if r.get("documentReferenceType") == "MAN"]  # fmt: skip
    return (
        event.get("eventType") == "CUSTOMS"
        and event.get("customsEventTypeCode") in ("DECL", "CNCL")
        and any(not NOT_A_SEA_MANIFEST.match(value) for value in manifests)
    )


def _add(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def _ref(event: dict, kind: str) -> str:
    return next(
        (
            r["documentReferenceValue"]
            for r in event.get("documentReferences") or ()
            if r["documentReferenceType"] == kind
        ),
        "",
    )


def mt1101(events: list[dict], *, sender: str, receiver: str, message_id: str) -> tuple[bytes, list[str]]:
    """The MT1101 of ``events`` (bills of one manifest), schema-checked, and what had to be left out."""
    bills = [e for e in events if is_manifest(e) and _ref(e, "TRD")]
    if not bills:
        raise InvalidMessage(ERRORS["no_manifest"], code="no_manifest", position={})
    first = bills[0]
    call = first.get("transportCall") or {}
    vessel = call.get("vessel") or {}
    ship = ("UN" + vessel["vesselIMONumber"]) if vessel.get("vesselIMONumber") else ""
    ship = ship or vessel.get("vesselCallSignNumber") or vessel.get("vesselName", "")
    root = etree.Element(f"{{{NS}}}Manifest", nsmap={None: NS})
    head = _add(root, "Head")
    function = "3" if first["customsEventTypeCode"] == "CNCL" else "9"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")[:17]
    for name, value in (
        ("MessageID", message_id[:64]),
        ("FunctionCode", function),
        ("MessageType", "MT1101"),
        ("SenderID", sender[:50]),
        ("ReceiverID", receiver[:50]),
        ("SendTime", stamp),
        ("Version", "1.0"),
    ):
        _add(head, name, value)
    declaration = _add(root, "Declaration")
    party = (first.get("source") or {}).get("party") or sender
    _add(_add(declaration, "RepresentativePerson"), "Name", party[:512])
    means = _add(declaration, "BorderTransportMeans")
    _add(means, "JourneyID", (call.get("carrierVoyageNumber") or "")[:35])
    _add(means, "TypeCode", "1")
    _add(means, "ID", ship[:35])
    if vessel.get("vesselName"):
        _add(means, "Name", vessel["vesselName"][:512])
    left_out: list[str] = []
    for bill in bills:
        consignment = _add(declaration, "Consignment")
        _add(_add(consignment, "TransportContractDocument"), "ID", _ref(bill, "TRD")[:35])
        place = (bill.get("transportCall") or {}).get("UNLocationCode")
        if place:
            _add(_add(consignment, "UnloadingLocation"), "ID", place)
        left_out += _equipment(consignment, bill)
    schemas.validate(root, "MT1101.xsd")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True), left_out


def _equipment(consignment: etree._Element, bill: dict) -> list[str]:
    if bill.get("equipmentReference"):
        number, iso = bill["equipmentReference"], bill.get("ISOEquipmentCode", "")
        fullness = FULLNESS.get(bill.get("emptyIndicatorCode", ""))
        if iso and fullness:
            equipment = _add(consignment, "TransportEquipment")
            _add(_add(equipment, "EquipmentIdentification"), "ID", number)
            _add(equipment, "CharacteristicCode", iso)
            _add(equipment, "FullnessCode", fullness)
            return []
        return [number]
    return list(bill.get("equipmentReferences") or ())
