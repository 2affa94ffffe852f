"""BERMAN (berth management, D00A and later) -> TRANSPORT ARRI/DEPA of the vessel at the port it asks a berth in.

A carrier, its agent or the ship asks the port authority for a berth (BGM 1001: 316 application for
usage of berth or mooring facilities, 352 notification of usage ...), stating the call: each
transport group (SG3: TDT with the vessel, C222 IMO number and name, and its voyage 8028) holds
the ports with their dates (SG4 LOC-DTM). Each arrival or departure date is one call, EST, PLN or
ACT by its qualifier (UNCL 2005 132/133 estimated, 232/189 scheduled, 178/186 actual), at the port
of the LOC it follows (UNCL 3227 153 port of call, 60 place of arrival, 11 discharge, 61 next
port of call ...; 153, 9, 5 for a departure, and 125 the last port of call it left). The berth itself (LOC 164) names no UN/LOCODE and is not a call's place. A
cancellation (1225 = 1): no events.
"""

from edi.mappings.edifact import common

MESSAGE_TYPES = ("BERMAN",)
SCOPES: dict[str, int] = {}
EVENT_FROM = "NONE"  # the request's facts are the vessel's expected calls
VESSEL_CALLS = common.vessel_calls(departure=(*common.DEPARTURE_PORTS, "125"))  # 125: last port of call
CALL_SEGMENTS = frozenset({"COM"})  # D16A's TDT group holds a COM before its LOC groups
