"""CUSREP (customs conveyance report) -> TRANSPORT ARRI/DEPA events of the reported means of transport.

A carrier or its agent reports a conveyance's arrival or departure to customs (BGM 1001: 185/186/187
conveyance declaration arrival/departure/combined, 524/525 WCO conveyance arrival/departure report,
96 impending arrival ...). The facts are in its transport groups (D95B/D00B SG8, D16A SG9: TDT with
its LOC-DTM groups, SG9/SG10): each DTM there whose qualifier is an arrival or a departure time is
one event, ACT, EST or PLN by that qualifier (UNCL 2005: 178 actual / 132 estimated / 232 scheduled
arrival; 186 or 136 actual / 133 estimated / 189 scheduled departure), at the place of the LOC it
follows (UNCL 3227, below), with the vessel of the TDT (C222: IMO number, name) and its voyage
(8028, else RFF VON); so is each date of the header's voyage itinerary (SG2 LOC-DTM, SG3 from D10B),
at the place of its group. BGM 1001 does not decide ARRI or DEPA: a combined report states both, and an
arrival report also gives the departure from the last port of call (LOC 125). Each call carries
the report's references: its own number (BGM 1004, a declaration to customs: DEC), the header's
RFF groups (AFB manifest, VON voyage ...) and its DOC groups, by the shared code tables. A
cancellation (BGM 1225 = 1), deletion (3) or withdrawal (50) of a report: no events.
"""

from edi.mappings.edifact import common

MESSAGE_TYPES = ("CUSREP",)
#: Groups after the header's references whose RFF are not the report's: duty/tax (TAX), parties (NAD),
#: the transport legs (TDT, read by the vessel calls) and the equipment (EQD).
SCOPES = {"TAX": 1, "NAD": 1, "TDT": 1, "EQD": 1}
EVENT_FROM = "NONE"  # the report's facts are its vessel calls only
DOCUMENT_NUMBER = "DEC"
#: UNCL 3227: where a conveyance arrives (87 initial arrival, 60 place of arrival, 153 port of call,
#: 24 port of entry, 11/12 discharge, 164 berth, 61 next port of call: a departure report's ETA there)
#: and what it departs from (125 last port of call, 5 place of departure, 153, 9 place of loading).
ARRIVAL_PLACES = ("87", "60", "153", "24", "11", "12", "164", "61")
DEPARTURE_PLACES = ("125", "5", "153", "9", "164")
VESSEL_CALLS = common.vessel_calls(ARRIVAL_PLACES, DEPARTURE_PLACES)
#: The segments a transport group holds beyond LOC/DTM/RFF (D00B and later: GPO, QTY, NAD, MEA, POC,
#: STS, FTX in the LOC group; TPL after the TDT).
CALL_SEGMENTS = frozenset({"TPL", "GPO", "QTY", "NAD", "MEA", "POC", "STS", "FTX"})
CALL_REFERENCES = True
#: The header's LOC-DTM groups (SG2, SG3 from D10B: "to identify voyage itinerary") are the conveyance's
#: calls too, each date at the place its group opens with: a report may give its ports there, not in SG9.
ITINERARY_CALLS = True
