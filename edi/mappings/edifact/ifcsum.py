"""IFCSUM (forwarding and consolidation summary) -> one SHIPMENT event per consignment, and the vessel's calls.

A forwarder's or carrier's summary of the consignments (CNI groups) it groups on one transport:
each CNI is a consignment handed over for forwarding, so one SHIPMENT RECE (received) per CNI
with its document (CNI C503 1004, TRD), its references (RFF BN booking, BM/BH/MB bills, AAS ...,
in the consignment's RFF groups and the header's), its containers (the CNI's EQD groups, or its
split goods placements, SGP, of the containers the header's EQD groups describe; in
``equipmentReferences``) and its place of receipt or departure (the CNI's LOC groups: 88, 5, 9).
The summary's own number (BGM 1004) is kept as the order reference (CTR); BGM 1001 says what
kind of summary it is (610 forwarding instructions, 785 cargo manifest, 787 bordereau, 788
container manifest ...) and does not change the fact. A cancellation (1225 = 1) is VOID; an
answer with 4343 RE, or not accepted (1225 = 27), is a rejection (REJE), AP/CA a confirmation
(CONF). Time: the document date (DTM 137). The main carriage's TDT groups (header SG9, consignment's own) give the vessel's
arrivals and departures with their LOC/DTM pairs (LOC 9 + DTM 133/186, LOC 11 + DTM 132/178).
"""

from edi.mappings.edifact import common

MESSAGE_TYPES = ("IFCSUM",)
SCOPES = {"CNI": 1, "EQD": 2}
EVENT_SCOPE = "CNI"
EVENT_FROM = "FIXED"
EVENTS = {"": ("SHIPMENT", "RECE", "ACT")}
FUNCTION_EVENTS = {
    "1": ("SHIPMENT", "VOID", "ACT"),  # 1225 message function: cancellation
    "27": ("SHIPMENT", "REJE", "ACT"),  # not accepted (UNCL 1225, D97A and later)
}
RESPONSE_EVENTS = {
    "RE": ("SHIPMENT", "REJE", "ACT"),  # 4343 response type: rejected
    "AP": ("SHIPMENT", "CONF", "ACT"),  # accepted
    "CA": ("SHIPMENT", "CONF", "ACT"),  # conditionally accepted
}
EVENT_TIMES = ("137", "97", "182")
LOCATIONS = [("item", ("88", "5", "9", "198")), ("message", ("88", "5", "9"))]
DOCUMENT_NUMBER = "CTR"
CNI_REFERENCE = "TRD"
TRANSPORT = "any"
ONE_EVENT_PER_SCOPE = True  # the fact is the consignment; its containers go in equipmentReferences
LISTED_REFERENCES = True  # a container's own booking or bill (RFF in its EQD group) is the fact's too
SPLIT_GOODS = True  # SG29 SGP: a consignment placed in containers of the header's SG23 EQD groups
VESSEL_CALLS = common.vessel_calls()
