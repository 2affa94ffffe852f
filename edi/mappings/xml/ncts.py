"""NCTS phase 5 (the EU's transit system): the CC015C declaration and the office of departure's answers.

CC015C: one CUSTOMS DECL event, naming the LRN (DEC), the transport documents (TRD), the
containers and the border means of transport; the authority is the office of departure. The
answers (CC928C, CC028C, CC056C, CC060C, CC029C, CC051C, CC009C, CC004C, CC906C, CC917C) are read
by the customs gateway (:data:`customs_gateway.responses_eu.NCTS_ANSWERS`). Times without a
zone are taken as UTC.
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
AUTHORITY = ("/CustomsOfficeOfDeparture/referenceNumber", "recipient")
SCHEMA = "ncts.xsd"

CONSIGNMENT = "/Consignment"


class Declaration:
    FAMILY = FAMILY
    TYPES = {"CC015C": SCHEMA}
    FACTS = {
        "CC015C": [
            Fact(
                scope="",
                event=("CUSTOMS", "DECL", "ACT"),
                time=("/preparationDateAndTime",),
                references=(
                    ("DEC", ("/TransitOperation/LRN",)),
                    ("TRD", (f"{CONSIGNMENT}/TransportDocument/referenceNumber",)),
                    ("TRD", (f"{CONSIGNMENT}/HouseConsignment/TransportDocument/referenceNumber",)),
                    ("TRD", (f"{CONSIGNMENT}/HouseConsignment/ConsignmentItem/TransportDocument/referenceNumber",)),
                ),
                containers=(
                    f"{CONSIGNMENT}/TransportEquipment/containerIdentificationNumber",
                    f"{CONSIGNMENT}/HouseConsignment/ConsignmentItem/TransportEquipment/containerIdentificationNumber",
                ),
                vessel_id=(f"{CONSIGNMENT}/ActiveBorderTransportMeans/identificationNumber",),
                voyage=(f"{CONSIGNMENT}/ActiveBorderTransportMeans/conveyanceReferenceNumber",),
                place=(f"{CONSIGNMENT}/LocationOfGoods/UNLocode", f"{CONSIGNMENT}/PlaceOfLoading/UNLocode"),
                parties=(("DDR", ("/HolderOfTheTransitProcedure/identificationNumber",)),),
            )
        ]
    }


class Answers:
    FAMILY = FAMILY
    TYPES = {t: SCHEMA for t in ("CC928C", "CC028C", "CC056C", "CC060C", "CC029C", "CC051C", "CC906C", "CC917C")}
    TYPES |= {"CC009C": None, "CC004C": None}
    ANSWER = True
    ANSWER_CONTEXT = Fact()
    BUSINESS_REFERENCE = "DEC"
    REGISTRATION_REFERENCE = "DEC"


TABLES = (Declaration, Answers)
