"""IFTSAI (forwarding and transport schedule and availability information) -> TRANSPORT ARRI/DEPA per call.

An answer to a schedule request lists sailings: each transport group (D95B SG3, D00B and later SG4:
TDT with the vessel, C222 IMO number and name, and its voyage, 8028) holds the ports it calls at
(LOC) with their dates (DTM; D16A nests them in SG5 LOC with SG6 DTM). Each date whose qualifier
is an arrival or a departure is one call, PLN, EST or ACT by that qualifier (UNCL 2005: 232/189
scheduled, 132/133 estimated, 178/186/136 actual), at the port of the LOC group it stands in: every
directory nests the dates in the sailing's LOC groups, so each port the vessel calls at is its own
dates' place, the port of loading's arrival and the previous (94) and next (152) ports of call
included (see :data:`edi.map.calls.PORTS_OF_CALL`). A request for schedules (BGM 1225 13) asks and states
nothing: no events. The schedule's own times (the whole message's DTM 137) are not a call.
"""

from edi.mappings.edifact import common

MESSAGE_TYPES = ("IFTSAI",)
SCOPES: dict[str, int] = {}
EVENT_FROM = "NONE"  # the schedule's facts are its calls
VESSEL_CALLS = common.vessel_calls()
#: D16A's LOC group holds, beside its DTM group, the equipment and connecting transport it offers
#: (SG7 EQD-EQN, SG8 TDT) and a count (CNT): read past them to the next port of the sailing.
CALL_SEGMENTS = frozenset({"EQD", "EQN", "CNT", "QTY"})
NO_FACT_FUNCTIONS = frozenset({"13"})  # UNCL 1225 13: request
