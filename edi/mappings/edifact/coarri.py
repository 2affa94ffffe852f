"""COARRI (container discharge/loading report) -> one EQUIPMENT DISC or LOAD event per container.

BGM 1001: SMDG COARRI 44 discharge report, 46 loading report; UNCL 1001 119 report on equipment
unloaded, 122 loading completion report; 98 and 270 (both moves) by each container's status. The vessel and voyage come from the header TDT (8028
conveyance reference, C222 8213 with 1131 146 IMO number / 103 call sign, 8212 name); the port
and terminal from the header LOC 11 (discharge) or 9 (loading) with its related place (terminal);
the time from the container's DTM 203 (execution); its cell from LOC 147 (stowage).
"""

from edi.mappings.edifact import common

MESSAGE_TYPES = ("COARRI",)
SCOPES = {"EQD": 1}
EVENT_SCOPE = "EQD"
EVENT_FROM = "BGM"
EVENTS = {
    "44": ("EQUIPMENT", "DISC", "ACT"),  # SMDG: discharge report
    "46": ("EQUIPMENT", "LOAD", "ACT"),  # SMDG: loading report
    "119": ("EQUIPMENT", "DISC", "ACT"),  # UNCL: report on transport equipment unloaded
    "122": ("EQUIPMENT", "LOAD", "ACT"),  # UNCL: transport equipment loading completion report
}
#: A report of both moves (SMDG COARRI 98; UNCL 1001 names it "arrival information"; terminals on
#: the ITG 1.x guides also send 270, UNCL's "delivery note", for a loading/discharge report, e.g.
#: ``UNH+93767+COARRI:D:95B:UN:ITG10'BGM+270++9'``): the move of each container is then read from
#: its own EQD 8249, 2 export -> LOAD, 3 import -> DISC, 6 transhipment by its own port of discharge or
#: loading; a container with another status (remain on board, shifter ...) is reported, not guessed.
BY_EQUIPMENT_STATUS = frozenset({"98", "270"})
EQUIPMENT_STATUS_EVENTS = {
    "2": ("EQUIPMENT", "LOAD", "ACT"),
    "3": ("EQUIPMENT", "DISC", "ACT"),
}
#: 6 transhipment goes either way at a hub: discharged here when the container's own port of discharge
#: (LOC 11) is the report's port of call, loaded here when its port of loading (LOC 9) is.
EQUIPMENT_STATUS_BY_PORT = {
    "6": {"11": ("EQUIPMENT", "DISC", "ACT"), "9": ("EQUIPMENT", "LOAD", "ACT")},
}
EVENT_TIMES = ("203", "7", "178", "186")
#: The header's port (with its terminal) first; without one, the container's own port of discharge
#: (DISC) or loading (LOAD) before the header's other port.
LOCATIONS = {
    "DISC": [("message", ("11", "164", "153")), ("item", ("11",)), ("message", ("9",))],
    "LOAD": [("message", ("9", "164", "153")), ("item", ("9",)), ("message", ("11",))],
}
#: In a report of both moves the header's LOC 9/11 are the vessel's route (this port and the next),
#: so the place of each move is the container's own: its port of discharge (LOC 11) for DISC, its
#: port of loading (LOC 9) for LOAD; then this port as the header names it (port of call first).
EQUIPMENT_STATUS_LOCATIONS = {
    "DISC": [("item", ("11",)), ("message", ("164", "153", "9", "11"))],
    "LOAD": [("item", ("9",)), ("message", ("164", "153", "9", "11"))],
}
TRANSPORT = "vessel"
#: The vessel's call at the reporting terminal's port (header TDT group: DTM 178/132 arrival, 186/136/133 departure).
VESSEL_CALLS = common.vessel_calls(("11", "9", "153", "164"), ("9", "11", "153", "164"))
#: The port whose call the header's vessel times are, by the report's document code: a discharge
#: report's is its port of discharge, a loading report's its port of loading, a report of both moves'
#: its port of call (else LOC 9: its LOC 9/11 are the route, this port and the next). The LOC just
#: before a DTM does not decide: a loading report's LOC 11 is the next port, not where it arrived.
_DISCHARGE_PORT, _LOADING_PORT = ("11", "164", "153"), ("9", "164", "153")
CALL_PORTS = {
    "44": _DISCHARGE_PORT,
    "119": _DISCHARGE_PORT,
    "46": _LOADING_PORT,
    "122": _LOADING_PORT,
    "98": ("164", "153", "9"),
    "270": ("164", "153", "9"),
}
