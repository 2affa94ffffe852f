"""IFTMCS (instruction contract status) -> one SHIPMENT event of the transport document: ISSU, or DRFT or VOID.

The carrier answers an instruction (IFTMIN) with the contract it made: the transport document,
whose kind BGM 1001 names (UNCL 1001, below) and whose number is BGM 1004 (TRD). By the message
function (BGM 1225, UNCL): 9 original, 5 replace, 22 final transmission, 31 copy -> the document
was issued (ISSU); 46 provisional -> a draft (DRFT); 1 cancellation -> VOID; 3 deletion withdraws an
earlier status (no event). A BGM 1001 that is not
a transport document is reported, not guessed. References: the RFF groups (BN booking, BM bill,
CT contract ...); containers (EQD) in ``equipmentReferences``. Time: the bill's issue date (DTM
182) for an issued one, else the document date (137). Place: the place of issue (LOC 91), else of
receipt or loading. The main carriage's TDT groups give the vessel's planned departure and arrival, as IFTMIN's.
"""

from edi.mappings.edifact import common

MESSAGE_TYPES = ("IFTMCS",)
SCOPES = {"EQD": 1}
EVENT_SCOPE = None
EVENT_FROM = "BGM"
_ISSUED = ("SHIPMENT", "ISSU", "ACT")
EVENTS = {
    # UNCL 1001 document name code: transport documents
    "703": _ISSUED,  # house waybill
    "704": _ISSUED,  # master bill of lading
    "705": _ISSUED,  # bill of lading
    "706": _ISSUED,  # bill of lading original
    "707": _ISSUED,  # bill of lading copy
    "710": _ISSUED,  # sea waybill
    "714": _ISSUED,  # house bill of lading
    "720": _ISSUED,  # rail consignment note
    "730": _ISSUED,  # road consignment note
    "760": _ISSUED,  # multimodal/combined transport document
    "761": _ISSUED,  # through bill of lading
}
#: UNCL 1225 message function codes that change the fact.
FUNCTION_EVENTS = {
    "46": ("SHIPMENT", "DRFT", "ACT"),  # provisional: the draft of the document
    "1": ("SHIPMENT", "VOID", "ACT"),  # cancellation: the document is void
}
#: UNCL 2005: 182 issue date (the bill's own, as printed on it), 137 document/message date (this
#: transmission's). A bill is issued at its issue date when the message gives one; a draft's or a
#: voided bill's fact is the message itself (a draft's 182 is when the bill will be issued).
_BY_MESSAGE = ("137", "182", "97")
EVENT_TIMES = {"ISSU": ("182", "137", "97"), "DRFT": _BY_MESSAGE, "VOID": _BY_MESSAGE}
LOCATIONS = [("message", ("91", "88", "9", "5"))]  # place of document issue; receipt; loading; departure
DOCUMENT_NUMBER = "TRD"
TRANSPORT = "vessel"
ONE_EVENT_PER_SCOPE = True
LISTED_REFERENCES = True  # a container's own booking or bill (RFF in its EQD group) is the fact's too
VESSEL_CALLS = common.vessel_calls()
