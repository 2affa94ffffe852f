"""COPRAR (container discharge/loading order) -> one planned (PLN) DISC or LOAD event per container.

BGM 1001: SMDG COPRAR 45 loading order and 44 discharge order; UNCL 1001 118 unloading
instruction, 121 loading instruction, 145 discharge order, 146 loading order. Vessel and voyage
from the header TDT, port and terminal from the header LOC 11/9, the planned time from the
vessel's estimated arrival (DTM 132) or departure (133); stowage from LOC 147 when given.
"""

from edi.mappings.edifact import common

MESSAGE_TYPES = ("COPRAR",)
SCOPES = {"EQD": 1}
EVENT_SCOPE = "EQD"
EVENT_FROM = "BGM"
EVENTS = {
    "44": ("EQUIPMENT", "DISC", "PLN"),  # SMDG: discharge order
    "45": ("EQUIPMENT", "LOAD", "PLN"),  # SMDG: loading order
    "118": ("EQUIPMENT", "DISC", "PLN"),  # UNCL: unloading instruction
    "121": ("EQUIPMENT", "LOAD", "PLN"),  # UNCL: loading instruction
    "145": ("EQUIPMENT", "DISC", "PLN"),  # UNCL: discharge order
    "146": ("EQUIPMENT", "LOAD", "PLN"),  # UNCL: loading order
}
EVENT_TIMES = {"DISC": ("132", "178", "133", "137"), "LOAD": ("133", "136", "132", "137")}
#: Without a header port (loading lists made from a spreadsheet often have none) the container's
#: own port of loading (LOAD) or discharge (DISC) is where the move is planned.
LOCATIONS = {
    "DISC": [("message", ("11", "164", "153")), ("item", ("11",)), ("message", ("9",))],
    "LOAD": [("message", ("9", "164", "153")), ("item", ("9",)), ("message", ("11",))],
}
TRANSPORT = "vessel"
#: The vessel's expected call at the port of the order (header TDT group: DTM 132 ETA, 133 ETD).
VESSEL_CALLS = common.vessel_calls(("11", "9", "153", "164"), ("9", "11", "153", "164"))
#: The port whose call the header's vessel times are: the order's port of discharge or of loading.
_DISCHARGE_PORT, _LOADING_PORT = ("11", "164", "153"), ("9", "164", "153")
CALL_PORTS = {
    **dict.fromkeys(("44", "118", "145"), _DISCHARGE_PORT),
    **dict.fromkeys(("45", "121", "146"), _LOADING_PORT),
}
