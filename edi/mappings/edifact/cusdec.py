"""CUSDEC (customs declaration) -> one CUSTOMS DECL event, with the declared containers.

The declaration's reference is BGM 1004 (the trader's LRN, DEC), with RFF ABT/AAE (registration
number) when the declaration is a follow-up. A cancellation (1225 = 1) is CNCL. Time: the
document date (DTM 137). Containers from EQD; place from the customs office (LOC 22 clearance,
41 entry, 42 exit, 118 departure) when it is a UN/LOCODE, else the port (LOC 11/9).
"""

MESSAGE_TYPES = ("CUSDEC",)
SCOPES: dict[str, int] = {}  # EQD is a header segment, not a group: what follows it is the message's
EQUIPMENT_SEGMENTS = True
EVENT_SCOPE = None
EVENT_FROM = "FIXED"
EVENTS = {"": ("CUSTOMS", "DECL", "ACT")}
FUNCTION_EVENTS = {"1": ("CUSTOMS", "CNCL", "ACT"), "3": ("CUSTOMS", "CNCL", "ACT")}  # as the customs gateway reads 3
EVENT_TIMES = ("137", "182", "97")
LOCATIONS = [("message", ("22", "41", "42", "118", "11", "9", "24"))]  # office of clearance, entry, exit, departure
DOCUMENT_NUMBER = "DEC"
AUTHORITY = "recipient"
TRANSPORT = "vessel"
ONE_EVENT_PER_SCOPE = True  # the fact is the document; its containers go in equipmentReferences
