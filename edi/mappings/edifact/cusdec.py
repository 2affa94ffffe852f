"""CUSDEC (customs declaration) -> one CUSTOMS DECL event, with the declared containers.

The declaration's reference is BGM 1004 (the trader's LRN, DEC), with RFF ABT/AAE (registration
number) when the declaration is a follow-up. A cancellation (1225 = 1) is CNCL. Time: the
document date (DTM 137). Containers from EQD; place from the customs office (LOC 22 clearance,
41 entry, 42 exit, 118 departure) when it is a UN/LOCODE, else the port the goods enter by (LOC 11/12/24),
or for an export declaration the one they leave from (LOC 9/5).
"""

MESSAGE_TYPES = ("CUSDEC",)
SCOPES: dict[str, int] = {}  # EQD is a header segment, not a group: what follows it is the message's
EQUIPMENT_SEGMENTS = True
EVENT_SCOPE = None
EVENT_FROM = "FIXED"
EVENTS = {"": ("CUSTOMS", "DECL", "ACT")}
#: 1 cancellation, 3 deletion (as the customs gateway reads 3), 50 withdrawal of a previously approved message
FUNCTION_EVENTS = dict.fromkeys(("1", "3", "50"), ("CUSTOMS", "CNCL", "ACT"))
EVENT_TIMES = ("137", "182", "97")
#: office of clearance, entry, exit, departure; then where the goods enter: place/port of discharge (11, 12),
#: port of entry (24); the port of loading (9) last, abroad for an import
LOCATIONS = [("message", ("22", "41", "42", "118", "11", "12", "24", "9"))]
#: An export declaration (UNCL 1001 830, WCO 423/424/495) is placed where the goods leave: the offices of
#: clearance, exit, departure, then the place/port of loading (9) or departure (5), never the port of
#: discharge abroad it names (Australia's export declaration: LOC 9 AUMEL, LOC 12 MYTPP).
EXPORT_LOCATIONS = [("message", ("22", "42", "118", "9", "5"))]
DOCUMENT_LOCATIONS = dict.fromkeys(("830", "423", "424", "495"), EXPORT_LOCATIONS)
DOCUMENT_NUMBER = "DEC"
AUTHORITY = "recipient"
TRANSPORT = "vessel"
ONE_EVENT_PER_SCOPE = True  # the fact is the document; its containers go in equipmentReferences
