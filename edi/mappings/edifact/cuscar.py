"""CUSCAR (customs cargo report, the manifest) -> one CUSTOMS DECL event per bill, with its containers.

The manifest number is BGM 1004 (MAN); each CNI group is a bill (CNI C503 1004 and RFF BM/BH/MB,
TRD); its containers are the bill's EQD groups. The event says the bill was lodged with
customs (DECL) at the message date (DTM 137), at the port of discharge or entry (LOC 11/24).
"""

MESSAGE_TYPES = ("CUSCAR",)
SCOPES = {"CNI": 1, "EQD": 2}
EVENT_SCOPE = "CNI"
EVENT_FROM = "FIXED"
EVENTS = {"": ("CUSTOMS", "DECL", "ACT")}
FUNCTION_EVENTS = {"1": ("CUSTOMS", "CNCL", "ACT")}
EVENT_TIMES = ("137", "182", "97")
LOCATIONS = [("item", ("11", "24", "22", "8")), ("message", ("11", "24", "22", "8"))]
DOCUMENT_NUMBER = "MAN"
CNI_REFERENCE = "TRD"
AUTHORITY = "recipient"
TRANSPORT = "vessel"
ONE_EVENT_PER_SCOPE = True  # the fact is the document; its containers go in equipmentReferences
