"""IFTMBC (booking confirmation), IFTMBF (firm booking), IFTMBP (provisional booking) -> SHIPMENT events.

A firm or provisional booking is a booking request received (RECE); a confirmation is CONF with
the carrier's booking number (RFF BN, else BGM 1004); a confirmation whose response type (4343)
is RE, or whose function (1225) is 27 not accepted, is a rejection (REJE); a cancellation (1225 = 1)
is VOID. Time: the document date (DTM 137).
"""

from edi.mappings.edifact import common

MESSAGE_TYPES = ("IFTMBC", "IFTMBF", "IFTMBP")
SCOPES = {"EQD": 1}
EVENT_SCOPE = None
EVENT_FROM = "TYPE"
EVENTS = {
    "IFTMBC": ("SHIPMENT", "CONF", "ACT"),
    "IFTMBF": ("SHIPMENT", "RECE", "ACT"),
    "IFTMBP": ("SHIPMENT", "RECE", "ACT"),
}
#: 1225 message function: 1 cancellation; 27 not accepted (UNCL 1225, D97A and later: the referenced
#: message, the booking, is not accepted by its recipient, the carrier): a rejection.
FUNCTION_EVENTS = {"1": ("SHIPMENT", "VOID", "ACT"), "27": ("SHIPMENT", "REJE", "ACT")}
#: 4343 response type: RE rejected; AJ pending (UNCL: the booking is being dealt with; EANCOM's IFTMBC
#: sends it for a firm booking received but not yet processed): received, not confirmed.
RESPONSE_EVENTS = {
    "RE": ("SHIPMENT", "REJE", "ACT"),
    "AJ": ("SHIPMENT", "RECE", "ACT"),
}
EVENT_TIMES = ("137", "97", "182")
LOCATIONS = [("message", ("88", "5", "9"))]
DOCUMENT_NUMBER = {"IFTMBC": "BKG"}
#: The carrier's booking number is RFF+BN where the confirmation gives one (INTTRA's IFTMBC D99B carries
#: it there, beside its own transaction number in BGM 1004): then BGM 1004 names no booking.
NUMBER_REFERENCES = frozenset({"BN"})
TRANSPORT = "vessel"
ONE_EVENT_PER_SCOPE = True  # one fact for the document; its containers go in equipmentReferences
LISTED_REFERENCES = True  # a container's own booking or bill (RFF in its EQD group) is the fact's too
#: The main carriage the booking is for (SG8/TDT groups: LOC 9 + DTM 133, LOC 11 + DTM 132): the
#: vessel's planned departure and arrival, as IFCSUM's.
VESSEL_CALLS = common.vessel_calls()
