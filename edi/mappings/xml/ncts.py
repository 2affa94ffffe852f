"""NCTS phase 5 (the EU's transit system): the trader's messages and the offices' answers.

The trader's messages are one CUSTOMS event each, naming the LRN and/or MRN (DEC), the
transport documents (TRD), the containers and the border means of transport: CC015C
declaration, CC013C amendment and CC170C presentation notification (DECL), CC014C
invalidation request (CNCL, as CUSCAR's 1225 = 1), CC007C arrival notification and CC044C
unloading remarks at destination (DECL, at the office of destination). The authority is the
office the message goes to. The answers (CC928C, CC028C, CC056C, CC060C, CC029C, CC051C,
CC009C, CC004C, CC055C, CC057C, CC043C, CC025C, CC906C, CC917C) are read by the customs gateway
(:data:`customs_gateway.responses_eu.NCTS_ANSWERS`); a rejection's reasons are its rejection code,
what it refused (``businessRejectionType``: the declaration 015, an amendment 013, an invalidation
request 014; :data:`~customs_gateway.responses_eu.NCTS_REJECTED`), then each functional error. Times without a zone are UTC, as the CTC
schemas say, wherever the goods are.
"""

from edi.mappings.xml import Fact

FAMILY = "eu-ncts"
TYPE_FROM = ("/messageType", "#root")
HEADER = {
    "reference": ("/messageIdentification",),
    "sender": ("/messageSender",),
    "recipient": ("/messageRecipient",),
    "function": (),
    "version": ("@PhaseID",),
    "created": ("/preparationDateAndTime",),
}
NAMESPACES = {"": "http://ncts.dgtaxud.ec"}  # only the root is qualified
TIME_ZONE = "UTC"
ZONE_FROM_PLACE = False  # the CTC schemas' DateTimeType: "time zone although not included UTC is implied"
AUTHORITY = (
    "/CustomsOfficeOfDeparture/referenceNumber",
    "/CustomsOfficeOfDestinationActual/referenceNumber",
    "recipient",
)
SCHEMA = "ncts.xsd"

CONSIGNMENT = "/Consignment"
HOUSE_ITEM = f"{CONSIGNMENT}/HouseConsignment/ConsignmentItem"


#: the transport documents and containers a message names (the declaration, and the release CC029C)
DOCUMENTS = (
    ("TRD", (f"{CONSIGNMENT}/TransportDocument/referenceNumber",)),
    ("TRD", (f"{CONSIGNMENT}/HouseConsignment/TransportDocument/referenceNumber",)),
    ("TRD", (f"{HOUSE_ITEM}/TransportDocument/referenceNumber",)),
)
CONTAINERS = (
    f"{CONSIGNMENT}/TransportEquipment/containerIdentificationNumber",
    f"{HOUSE_ITEM}/TransportEquipment/containerIdentificationNumber",
)
BORDER_MEANS = f"{CONSIGNMENT}/ActiveBorderTransportMeans"


def _lodged(event: tuple, time: tuple[str, ...] = ("/preparationDateAndTime",)) -> Fact:
    return Fact(
        scope="",
        event=event,
        time=time,
        references=(("DEC", ("/TransitOperation/LRN",)), ("DEC", ("/TransitOperation/MRN",)), *DOCUMENTS),
        containers=CONTAINERS,
        vessel_id=(f"{BORDER_MEANS}/identificationNumber",),
        voyage=(f"{BORDER_MEANS}/conveyanceReferenceNumber",),
        place=(f"{CONSIGNMENT}/LocationOfGoods/UNLocode", f"{CONSIGNMENT}/PlaceOfLoading/UNLocode"),
        parties=(
            ("DDR", ("/HolderOfTheTransitProcedure/identificationNumber",)),
            ("CN", ("/TraderAtDestination/identificationNumber",)),
        ),
    )


DECL = ("CUSTOMS", "DECL", "ACT")


class Declaration:
    FAMILY = FAMILY
    TYPES = {t: SCHEMA for t in ("CC015C", "CC013C", "CC014C", "CC170C", "CC007C", "CC044C")}
    FACTS = {
        "CC015C": [_lodged(DECL)],
        "CC013C": [_lodged(DECL)],
        "CC170C": [_lodged(DECL)],
        "CC014C": [_lodged(("CUSTOMS", "CNCL", "ACT"))],
        "CC007C": [_lodged(DECL, ("/TransitOperation/arrivalNotificationDateAndTime", "/preparationDateAndTime"))],
        "CC044C": [_lodged(DECL, ("/UnloadingRemark/unloadingDate", "/preparationDateAndTime"))],
    }


class Answers:
    FAMILY = FAMILY
    TYPES = {t: SCHEMA for t in ("CC928C", "CC028C", "CC056C", "CC060C", "CC029C", "CC051C", "CC906C", "CC917C")}
    TYPES |= {t: SCHEMA for t in ("CC009C", "CC004C", "CC055C", "CC057C", "CC043C", "CC025C")}
    ANSWER = True
    #: a release (CC029C) repeats the consignment: its containers, transport documents and border means
    ANSWER_CONTEXT = Fact(
        references=DOCUMENTS,
        containers=CONTAINERS,
        vessel_id=(f"{BORDER_MEANS}/identificationNumber",),
        voyage=(f"{BORDER_MEANS}/conveyanceReferenceNumber",),
    )
    BUSINESS_REFERENCE = "DEC"
    REGISTRATION_REFERENCE = "DEC"


TABLES = (Declaration, Answers)
