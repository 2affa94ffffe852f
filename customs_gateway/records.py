"""Reading a submitted declaration or manifest into plain records: what the gateway keeps of it.

    >>> sub = read_submission(body)       # parse safely, validate against our XSD, extract
    >>> sub = extract(root)               # extract only (edi.customs_xml maps a manifest's bills with it)
    >>> sub.business_reference, sub.function_code, [b.number for b in sub.bills]

Two families arrive from brokers and carriers: China's new-manifest messages (the manifests
MT1101/MT2101/MT1201/MT2201, the reports of arrival, loading and tally, the distribution and change
applications, the packing list and the transfer check: :mod:`customs_gateway.manifest_types`;
FunctionCode 9 main data, 0 secondary, 5 amendment, 2 a report's or application's main data, 3
deletion) and WCO Data Model declarations (DEC-DMS, function code 9, 13 amendment, 14
cancellation). A manifest-family message's ``manifest_reference`` is its type, vessel and voyage
(``MT1101-UN9204972-VHK746A``; an air message's its type and flight, ``MT1201-CA1234``); its
business reference is what its lodgement is known by (the same for manifests and reports, with
the first bill for an application, ``manifest_types.lodgement_reference``); a declaration's is
the trader's LRN. Bills are read where each type keeps them: under the declaration, in the
packing list's containers, on both sides of a transfer check's relations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lxml import etree

from customs_gateway import manifest_types, rules, schemas
from customs_gateway.choices import DeclarationKind
from customs_gateway.exceptions import ERRORS, InvalidMessage
from edi.exceptions import EdiError
from edi.parse.xml import parse_xml

WCO_FUNCTION = {"9": "9", "13": "5", "14": "3"}
AIR_TYPE = re.compile(r"MT\d2\d\d$")  # the manifest system numbers its air messages MTx2xx
#: a transfer check relation's two sides: where each bill is and which of the exchanged containers are its own
TRANSFER_SIDES = (("ImportInformation", "ImportTransportEquipment"), ("ExportInformation", "ExportTransportEquipment"))


@dataclass
class BillRecord:
    number: str
    house_number: str = ""
    packages: int | None = None
    gross_mass: Decimal | None = None
    lines: list[dict] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)


@dataclass
class Submission:
    """What a submitted message says, in the gateway's terms."""

    kind: str
    standard: str
    message_type: str
    function_code: str
    message_id: str
    sender: str
    receiver: str
    business_reference: str
    manifest_reference: str = ""  # a China manifest-family message's manifest: type, vessel or flight, voyage
    voyage: str = ""
    vessel: str = ""
    bills: list[BillRecord] = field(default_factory=list)
    containers: dict[str, str] = field(default_factory=dict)  # number -> ISO size/type
    root: etree._Element | None = None


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def kids(element: etree._Element | None, name: str) -> list[etree._Element]:
    if element is None:
        return []
    return [child for child in element if local(child) == name]


def kid(element: etree._Element | None, *path: str) -> etree._Element | None:
    for name in path:
        found = kids(element, name)
        element = found[0] if found else None
    return element


def text(element: etree._Element | None, *path: str) -> str:
    found = kid(element, *path) if path else element
    return (found.text or "").strip() if found is not None else ""


MAX_MASS = Decimal("99999999999.999")  # what Bill/Line.gross_mass (14 digits, 3 decimals) hold
MAX_COUNT = 2_147_483_647


def _number(value: str) -> Decimal | None:
    """A mass as the records keep it (3 decimals), or None when absent or beyond what they hold."""
    try:
        number = Decimal(value).quantize(Decimal("0.001")) if value else None
    except InvalidOperation:
        return None
    return number if number is not None and 0 <= number <= MAX_MASS else None


def _count(value: str) -> int | None:
    """A package count or sequence number, or None when absent or beyond what the records hold."""
    try:
        number = int(Decimal(value)) if value else None
    except (InvalidOperation, ValueError, OverflowError):
        return None
    return number if number is not None and 0 < number <= MAX_COUNT else None


def parse(body: bytes) -> etree._Element:
    """Parse safely (no DTD, no entities, no network, bounded depth); errors as InvalidMessage."""
    try:
        return parse_xml(body)
    except EdiError as exc:
        raise InvalidMessage(exc.message, code=exc.code.lower(), position=exc.position.as_dict()) from exc


def _means(body: etree._Element | None, message_type: str) -> etree._Element | None:
    """The ship or flight a message is about (a transfer check's: the import side's)."""
    if message_type in manifest_types.TRANSFER:
        return kid(body, "Relation", "ImportInformation", "BorderTransportMeans")
    return kid(body, "BorderTransportMeans")


def _manifest(root: etree._Element) -> Submission:
    head = kid(root, "Head")
    body = kid(root, "Declaration")
    message_type = text(head, "MessageType")
    means = _means(body, message_type)
    voyage, vessel = text(means, "JourneyID"), text(means, "ID")
    if AIR_TYPE.match(message_type):
        vessel = ""  # a flight is its number (the voyage); the aircraft's registration names no manifest
    manifest = "-".join(part for part in (message_type, vessel, voyage) if part)[:70]  # a flight: no vessel
    sub = Submission(
        kind=DeclarationKind.MANIFEST,
        standard="cn-manifest",
        message_type=message_type,
        function_code=text(head, "FunctionCode"),
        message_id=text(head, "MessageID"),
        sender=text(head, "SenderID"),
        receiver=text(head, "ReceiverID"),
        business_reference=manifest,
        manifest_reference=manifest,
        voyage=voyage,
        vessel=vessel,
        root=root,
    )
    for equipment in kids(body, "TransportEquipment"):
        sub.containers[text(equipment, "EquipmentIdentification", "ID")] = text(equipment, "CharacteristicCode")
    if message_type in manifest_types.PACKING:
        _packed_bills(sub, body)
    elif message_type in manifest_types.TRANSFER:
        _transfer_bills(sub, body)
    else:
        for consignment in kids(body, "Consignment"):
            sub.bills.append(_bill(sub, consignment))
            changed_to = _changed_to(sub, consignment)
            if changed_to is not None:
                sub.bills.append(changed_to)
    sub.business_reference = manifest_types.lodgement_reference(sub)
    return sub


def _changed_to(sub: Submission, consignment: etree._Element) -> BillRecord | None:
    """The bill a change (MT8103/8104, MT8203/8204) moves the goods to, when it names one of its own number.

    Its containers and lines are the change's: the goods re-assigned after an off-load travel under
    the new bill in the containers the change names, so the authority's answer and the store link
    the new bill with them.
    """
    change = kid(consignment, "ChangeConsignment")
    number = text(change, "TransportContractDocument", "ID")
    if not number or number == text(consignment, "TransportContractDocument", "ID"):
        return None
    return _bill(sub, change)


def _bill(sub: Submission, consignment: etree._Element) -> BillRecord:
    """A bill (``Consignment``) with its containers and lines; a change naming no bill of its own adds its containers."""
    bill = BillRecord(
        number=text(consignment, "TransportContractDocument", "ID"),
        house_number=text(consignment, "AssociatedTransportDocument", "ID"),
        packages=_count(text(consignment, "ConsignmentPackaging", "QuantityQuantity")),
        gross_mass=_number(text(consignment, "TotalGrossMassMeasure")),
    )
    change = kid(consignment, "ChangeConsignment")
    changed_to = text(change, "TransportContractDocument", "ID")
    moved_into = kids(change, "TransportEquipment") if changed_to in ("", bill.number) else []
    for equipment in kids(consignment, "TransportEquipment") + moved_into:
        number = text(equipment, "EquipmentIdentification", "ID")
        sub.containers[number] = text(equipment, "CharacteristicCode")
        bill.containers.append(number)
    for item in kids(consignment, "ConsignmentItem"):
        bill.lines.append(
            {
                "sequence": _count(text(item, "SequenceNumeric")) or len(bill.lines) + 1,
                "description": text(item, "Commodity", "CargoDescription")[:512],
                "packages": _count(text(item, "ConsignmentItemPackaging", "QuantityQuantity")),
                "gross_mass": _number(text(item, "GoodsMeasure", "GrossMassMeasure")),
                "hs_code": text(item, "Commodity", "TariffClassificationCode")[:16],
            }
        )
        for ident in kids(item, "EquipmentIdentification"):
            number = text(ident, "ID")
            if number not in bill.containers:
                bill.containers.append(number)
            sub.containers.setdefault(number, "")
    return bill


def _packed_bills(sub: Submission, body: etree._Element | None) -> None:
    """A packing list's bills sit in the containers they are packed in; a bill in two containers is one bill."""
    by_number: dict[str, BillRecord] = {}
    for equipment in kids(body, "TransportEquipment"):
        container = text(equipment, "EquipmentIdentification", "ID")
        for consignment in kids(equipment, "Consignment"):
            bill = _bill(sub, consignment)
            if bill.number in by_number:
                by_number[bill.number].containers.append(container)
                continue
            bill.containers.append(container)
            by_number[bill.number] = bill
            sub.bills.append(bill)


def _transfer_bills(sub: Submission, body: etree._Element | None) -> None:
    """A transfer check's relations: the import bill with the containers it arrived in, the export bill with its own."""
    for relation in kids(body, "Relation"):
        exchanged = kids(relation, "TransportEquipment")
        for side, equipment in TRANSFER_SIDES:
            bill = _bill(sub, kid(relation, side, "Consignment"))
            for pair in exchanged:
                number = text(pair, equipment, "ID")
                sub.containers.setdefault(number, "")
                bill.containers.append(number)
            sub.bills.append(bill)


def _wco(root: etree._Element) -> Submission:
    body = kid(root, "Declaration")
    code = text(body, "FunctionCode")
    sub = Submission(
        kind=DeclarationKind.DECLARATION,
        standard="wco-dms",
        message_type="WCO-DEC",
        function_code=WCO_FUNCTION.get(code, code),
        message_id=text(body, "FunctionalReferenceID"),
        sender=text(body, "Declarant", "ID") or text(body, "Submitter", "ID"),
        receiver=text(root, "ResponsibleAgencyName"),
        business_reference=text(body, "FunctionalReferenceID"),
        root=root,
    )
    shipment = kid(body, "GoodsShipment")
    for consignment in kids(shipment, "Consignment"):
        for equipment in kids(consignment, "TransportEquipment"):
            sub.containers[text(equipment, "ID")] = ""
        for document in kids(consignment, "TransportContractDocument"):
            sub.bills.append(BillRecord(number=text(document, "ID")))
    for document in kids(shipment, "PreviousDocument"):
        if text(document, "TypeCode") in ("705", "N705", "714", "704"):
            sub.bills.append(BillRecord(number=text(document, "ID")))
    return sub


def extract(root: etree._Element) -> Submission:
    """What a parsed declaration or manifest says, without validating it (the translation layer's view)."""
    return _wco(root) if local(root) == "MetaData" else _manifest(root)


def read_submission(body: bytes, reference: str | None = None) -> Submission:
    """Parse, validate against our XSD and read a submitted declaration or manifest (EDIFACT: its directory;
    ``reference`` picks one message of an interchange)."""
    from customs_gateway import edifact

    if edifact.is_edifact(body):
        return edifact.read_submission(body, reference)
    root = parse(body)
    name = schemas.schema_for(root)
    if name not in schemas.BY_NAMESPACE.values() or name in ("dxp.xsd", "MT9999.xsd"):
        raise InvalidMessage(ERRORS["not_a_declaration"], code="unknown_message_type", position={"path": root.tag})
    schemas.validate(root, name)
    sub = _wco(root) if name == "wco-metadata.xsd" else _manifest(root)
    if sub.standard == "cn-manifest" and f"{sub.message_type}.xsd" != name:
        raise InvalidMessage(
            ERRORS["type_mismatch"] % {"message_type": sub.message_type, "schema": name},
            code="schema",
            position={"path": "/Manifest/Head/MessageType"},
        )
    rules.check(sub)
    return sub
