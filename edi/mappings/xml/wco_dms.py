"""WCO Data Model 3.6 as UK CDS uses it: DEC-DMS declarations and the DMS notifications (RES).

A declaration (``WCOTypeName`` DEC) is one CUSTOMS DECL event (function code 9; 13 an
amendment, still a lodgement; 14, or UK CDS's 13 with type INV, a cancellation request: CNCL),
naming the trader's reference (LRN, DEC), the bills (TRD) and the containers as the customs
gateway reads them (:func:`customs_gateway.records.extract`), and the border transport means. A notification (RES) is read by the customs gateway's
reader: its function code (01 accepted ... 17 general response, see
:data:`customs_gateway.responses.DMS_FUNCTION`) says the decision, its errors the reasons.
"""

from edi.mappings.xml import Fact

FAMILY = "wco-dm"
TYPE_FROM = ("/WCOTypeName",)
HEADER = {
    "reference": ("/Declaration/FunctionalReferenceID", "/Response/FunctionalReferenceID", "/Declaration/ID"),
    "sender": ("/Declaration/Submitter/ID", "/Declaration/Declarant/ID", "/ResponsibleAgencyName"),
    "recipient": ("/ResponsibleAgencyName", "/Declaration/DeclarationOfficeID"),
    "function": ("/Declaration/FunctionCode", "/Response/FunctionCode"),
    "version": ("/WCODataModelVersionCode",),
    "created": ("/Declaration/IssueDateTime/DateTimeString", "/Response/IssueDateTime/DateTimeString"),
}
META = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
NAMESPACES = {
    "MetaData": META,
    "MetaData/Declaration": "urn:wco:datamodel:WCO:DEC-DMS:2",
    "MetaData/Response": "urn:wco:datamodel:WCO:RES-DMS:2",
}
TIME_ZONE = "Europe/London"
AUTHORITY = ("/ResponsibleAgencyName", "/Declaration/DeclarationOfficeID", "recipient")
DEFAULT_AUTHORITY = "GB-CDS"


class Declaration:
    """The DEC table."""

    FAMILY = FAMILY
    TYPES = {"DEC": "wco-metadata.xsd"}
    FACTS = {
        "DEC": [
            Fact(
                scope="/Declaration",
                event=("CUSTOMS", "DECL", "ACT"),
                by_function={"14": ("CUSTOMS", "CNCL", "ACT"), "INV": ("CUSTOMS", "CNCL", "ACT")},
                function=("FunctionCode", "TypeCode"),  # CDS cancels with 13 and type INV (invalidation)
                time=("IssueDateTime/DateTimeString", "/Declaration/GoodsShipment/Consignment/ArrivalDateTime"),
                place=(
                    "GoodsShipment/Consignment/LoadingLocation/ID",
                    "GoodsShipment/Consignment/GoodsLocation/ID",
                ),
                references=(
                    ("DEC", ("#submission.business_reference",)),  # the LRN, as the gateway reads it
                    ("DEC", ("ID",)),
                    ("TRD", ("#submission.bills.number",)),  # transport documents and previous bills
                ),
                containers=("#submission.containers",),
                vessel_id=("BorderTransportMeans/ID", "GoodsShipment/Consignment/ArrivalTransportMeans/ID"),
                vessel_name=("BorderTransportMeans/Name",),
                voyage=("GoodsShipment/Consignment/ArrivalTransportMeans/JourneyID",),
                parties=(("DDR", ("Declarant/ID",)), ("CN", ("GoodsShipment/Importer/ID",))),
            )
        ]
    }


class Notification:
    """The RES table: an answer."""

    FAMILY = FAMILY
    TYPES = {"RES": "wco-notification.xsd"}
    #: the agency sends a notification: it is the sender; the declarant it goes to is not written in it
    HEADER = HEADER | {"sender": ("/ResponsibleAgencyName", "/ResponsibleCountryCode"), "recipient": ()}
    ANSWER = True
    ANSWER_CONTEXT = Fact()
    BUSINESS_REFERENCE = "DEC"
    REGISTRATION_REFERENCE = "DEC"


TABLES = (Declaration, Notification)
