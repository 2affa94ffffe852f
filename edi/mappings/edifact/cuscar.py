"""CUSCAR (customs cargo report, the manifest) -> one CUSTOMS DECL event per bill, with its containers.

The manifest number is BGM 1004 (MAN); each CNI group is a bill (CNI C503 1004 and RFF BM/BH/MB,
TRD); its containers are the split goods placements (SGP) of its goods items, described once in
the header's EQD groups (SG2/SG5 of the directories), or EQD groups inside the bill where a
partner puts them there. The event says the bill was lodged with customs (DECL) at the message
date (DTM 137), at the port of discharge or entry (LOC 11/24 of the bill's RFF groups). The
header's TDT group states the vessel's expected or actual arrival (LOC 11/24/60 with DTM
132/178): a TRANSPORT event.
"""

from edi.mappings.edifact import common

MESSAGE_TYPES = ("CUSCAR",)
SCOPES = {"CNI": 1, "EQD": 2}
EVENT_SCOPE = "CNI"
EVENT_FROM = "FIXED"
EVENTS = {"": ("CUSTOMS", "DECL", "ACT")}
FUNCTION_EVENTS = {
    "1": ("CUSTOMS", "CNCL", "ACT"),
    "3": ("CUSTOMS", "CNCL", "ACT"),
    "50": ("CUSTOMS", "CNCL", "ACT"),
}  # 3: the bills it lists are deleted; 50: the report withdrawn
EVENT_TIMES = ("137", "182", "97")
LOCATIONS = [("item", ("11", "12", "24", "41", "22", "8")), ("message", ("11", "12", "24", "41", "22", "8"))]
DOCUMENT_NUMBER = "MAN"
CNI_REFERENCE = "TRD"
AUTHORITY = "recipient"
TRANSPORT = "vessel"
ONE_EVENT_PER_SCOPE = True  # the fact is the document; its containers go in equipmentReferences
SPLIT_GOODS = True
VESSEL_CALLS = common.vessel_calls()
