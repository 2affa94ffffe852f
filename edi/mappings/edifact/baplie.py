"""BAPLIE (bayplan) -> one planned (PLN) DISC event per occupied stowage cell, with the cell.

A bayplan describes the vessel as it leaves a port (header TDT, LOC 5, DTM 178/133/136): each
LOC 147 group is a cell with the container in it (EQD), the container's port of loading (LOC 9)
and of discharge (LOC 11, or UNCL 3227's other "port of discharge", 12, as SMDG's BAPLIE 1.x writes it). The fact it carries for tracking is the planned discharge of each
container at its LOC 11, on this vessel and voyage, at the vessel's estimated arrival when the
message gives one (DTM 132), else at its departure time. Cells without a container number
(slots planned by size-type only) are reported, not mapped.
"""

MESSAGE_TYPES = ("BAPLIE",)
SCOPES = {"LOC+147": 1, "EQD": 2}
EVENT_SCOPE = "LOC+147"
EVENT_FROM = "FIXED"
EVENTS = {"": ("EQUIPMENT", "DISC", "PLN")}
EVENT_TIMES = ("132", "178", "133", "136", "137")
LOCATIONS = [("item", ("11", "12", "83", "8")), ("message", ("61", "11"))]
TRANSPORT = "vessel"
#: SMDG's BAPLIE makes each cell's RFF mandatory and has "BM" with the dummy number 1 written where the
#: bill is not known (nearly always): no bill of lading, and every container would share the shipment "1".
PLACEHOLDER_REFERENCES = frozenset({("BM", "1")})
EQUIPMENT_OPTIONAL = True  # a cell without EQD is a slot taken by a neighbour (40-foot overhang)
#: SMDG: the header's LOC 5 is the port the bayplan leaves (DTM 178 actual arrival there, 133
#: estimated and 136 actual departure), LOC 61 the next port of call (DTM 132: estimated arrival there).
VESSEL_CALLS = {
    "178": ("ARRI", "ACT", ("5", "153")),
    "132": ("ARRI", "EST", ("61",)),
    "133": ("DEPA", "EST", ("5", "153")),
    "136": ("DEPA", "ACT", ("5", "153")),
    "186": ("DEPA", "ACT", ("5", "153")),
}
