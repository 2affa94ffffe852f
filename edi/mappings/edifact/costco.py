"""COSTCO (container stuffing/stripping confirmation) -> one EQUIPMENT STUF or STRP ACT event per container.

A container freight station confirms that goods were stuffed into or stripped from the containers
of its EQD groups (D95B SG3, D00B and later SG6). BGM 1001 says which: the directories name
"stuffing confirmation" and "stripping confirmation" without a code of their own, so the codes
are UNCL 1001's for the operation (below). Per EQD: the container (C237), size-type, full/empty,
the actual stuffing/stripping time (the EQD group's DTM: 2005 677 stuffing / 678 stripping date,
D00B and later; 349 packing end date; 7 effective; 203 execution), its references (RFF BN
booking, BM bill). The consignments (CNI groups, SG4/SG10) name the containers their goods went
into by split goods placement (SGP): each container also gets the references of the consignments
placed in it (CNI 1004, RFF BN/BM/BH). The place: the header's transport group (TDT with its LOC,
D00B and later in SG3): the port of loading for a stuffing (an export), of discharge for a
stripping (an import). The vessel and voyage of that TDT are the transport call; its arrival or
departure dates (DTM 132/178/133/186 with a LOC) are TRANSPORT events as in the other container
messages. A cancellation (BGM 1225 = 1) or deletion (3) withdraws an earlier confirmation: no events.
"""

from edi.mappings.edifact import common

MESSAGE_TYPES = ("COSTCO",)
SCOPES = {"EQD": 1, "CNI": 1}  # CNI groups close the last container's group: their bookings are not its own
EVENT_SCOPE = "EQD"
EVENT_FROM = "BGM"
EVENTS = {
    # UNCL 1001 document name code
    "113": ("EQUIPMENT", "STRP", "ACT"),  # transport equipment unpacking report (D00A and later)
    "88": ("EQUIPMENT", "STRP", "ACT"),  # consignment unpack report (D95B's code for consignments unpacked)
    "183": ("EQUIPMENT", "STRP", "ACT"),  # container stripping order: the order this message confirms
    "184": ("EQUIPMENT", "STUF", "ACT"),  # container stuffing order: the order this message confirms
    "788": ("EQUIPMENT", "STUF", "ACT"),  # container manifest (unit packing list), by the party that stuffed it
}
#: UNCL 2005 date/time qualifiers of the EQD group, by preference.
EVENT_TIMES = {
    "STUF": ("677", "349", "7", "203"),  # stuffing date/time; packing end date; effective; execution
    "STRP": ("678", "7", "203"),  # stripping date/time; effective; execution
}
#: UNCL 3227 of the header transport group's LOC: 175 activity location first, then the port the
#: container leaves from (stuffed for export) or arrived at (stripped on import).
LOCATIONS = {
    "STUF": [("message", ("175", "9", "5", "88"))],
    "STRP": [("message", ("175", "11", "8", "7"))],
}
CNI_REFERENCE = "TRD"  # CNI C503 1004: the consignment's transport document (house bill)
TRANSPORT = "vessel"
PLACED_IN = "CNI"  # SGP C237 in the consignments' goods items names the containers they were placed in
VESSEL_CALLS = common.vessel_calls()
