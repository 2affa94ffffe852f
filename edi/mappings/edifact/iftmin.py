"""IFTMIN (shipping instruction) -> one SHIPMENT RECE event: the instruction was received.

References from RFF (BN booking, BM bill of lading, CT contract) and the instruction's own number
(BGM 1004, kept as a contract/order reference). A cancellation (BGM 1225 = 1) is VOID. Time:
the document date (DTM 137).
"""

from edi.mappings.edifact import common

MESSAGE_TYPES = ("IFTMIN",)
SCOPES = {"EQD": 1}
EVENT_SCOPE = None
EVENT_FROM = "FIXED"
EVENTS = {"": ("SHIPMENT", "RECE", "ACT")}
FUNCTION_EVENTS = {"1": ("SHIPMENT", "VOID", "ACT")}  # 1225 message function: cancellation
EVENT_TIMES = ("137", "97", "182")
LOCATIONS = [("message", ("88", "5", "9"))]
DOCUMENT_NUMBER = "CTR"
TRANSPORT = "vessel"
ONE_EVENT_PER_SCOPE = True  # one fact for the document; its containers go in equipmentReferences
LISTED_REFERENCES = True  # a container's own booking or bill (RFF in its EQD group) is the fact's too
#: The main carriage the booking is for (SG8/TDT groups: LOC 9 + DTM 133, LOC 11 + DTM 132): the
#: vessel's planned departure and arrival, as IFCSUM's.
VESSEL_CALLS = common.vessel_calls()
