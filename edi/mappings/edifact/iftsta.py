"""IFTSTA (multimodal status report) -> one event per status (STS) and container (EQD), by status code.

STS C555 4405 carries a transport status: UN/ECE Recommendation 24 numeric codes (4405 with
agency 6, or none), or the ocean carriers' and INTTRA's status codes of ANSI X12 315 (letters,
agency ZZZ or the partner's). ``STATUSES`` maps them to DCSA; a code not in it is reported
(APERAK) and yields no event. Time: DTM 334 (status change) or 7 (effective) in the status
group, then actual arrival/departure (178/186); a vessel's arrival or departure stated only by its
estimate (132/133) or schedule (232/189) is EST or PLN. Place: the status group's LOC (175 activity
location first). Bill of lading: CNI 1004 and RFF BM; booking RFF BN; container EQD.
"""

from edi.mappings.edifact import common

MESSAGE_TYPES = ("IFTSTA",)
SCOPES = {"CNI": 1, "STS": 2, "EQD": 3}
EVENT_SCOPE = "STS"
EVENT_FROM = "STS"
EVENTS = {
    # UN/ECE Recommendation 24 (trade and transport status codes)
    "1": ("TRANSPORT", "ARRI", "ACT"),  # arrival, completed
    "6": ("SHIPMENT", "CONF", "ACT"),  # booking, completed
    "7": ("SHIPMENT", "VOID", "ACT"),  # booking, cancelled
    "8": ("CUSTOMS", "RLSD", "ACT"),  # cleared, import restrictions
    "9": ("CUSTOMS", "RLSD", "ACT"),  # cleared, export restrictions
    "10": ("CUSTOMS", "RLSD", "ACT"),  # cleared by agriculture, food or fisheries authorities
    "12": ("CUSTOMS", "RLSD", "ACT"),  # cleared by customs
    "13": ("EQUIPMENT", "PICK", "ACT"),  # collection/pick-up, completed
    "15": ("EQUIPMENT", "STUF", "ACT"),  # consolidated
    "17": ("CUSTOMS", "REFU", "ACT"),  # customs clearance, refused
    "21": ("EQUIPMENT", "DROP", "ACT"),  # delivery, completed
    "22": ("EQUIPMENT", "DROP", "ACT"),  # delivery, completed as per instruction
    "24": ("TRANSPORT", "DEPA", "ACT"),  # departure, completed
    "26": ("EQUIPMENT", "DISC", "ACT"),  # deramped (unloaded from rail)
    "28": ("EQUIPMENT", "STRP", "ACT"),  # stripped
    "29": ("EQUIPMENT", "DISC", "ACT"),  # unloaded
    "48": ("EQUIPMENT", "LOAD", "ACT"),  # loaded
    "70": ("EQUIPMENT", "LOAD", "ACT"),  # ramped (loaded on rail)
    "93": ("EQUIPMENT", "STUF", "ACT"),  # stuffed
    "94": ("EQUIPMENT", "STUF", "ACT"),  # stuffed and sealed
    "39": ("CUSTOMS", "RLSD", "ACT"),  # released from bond
    "40": ("TRANSPORT", "ARRI", "ACT"),  # arrival, at port
    # ANSI X12 315 ocean status codes, as carriers and INTTRA send them in IFTSTA
    "AE": ("EQUIPMENT", "LOAD", "ACT"),  # loaded on vessel
    "UV": ("EQUIPMENT", "DISC", "ACT"),  # unloaded from vessel
    "I": ("EQUIPMENT", "GTIN", "ACT"),  # in-gate
    "OA": ("EQUIPMENT", "GTOT", "ACT"),  # out-gate
    "RD": ("EQUIPMENT", "GTIN", "ACT"),  # return container (empty returned)
    "EE": ("EQUIPMENT", "GTOT", "ACT"),  # empty equipment dispatched
    "AL": ("EQUIPMENT", "LOAD", "ACT"),  # loaded on rail
    "AO": ("EQUIPMENT", "LOAD", "ACT"),  # loaded on barge
    "AP": ("EQUIPMENT", "LOAD", "ACT"),  # loaded on feeder vessel
    "AF": ("EQUIPMENT", "PICK", "ACT"),  # actual pickup / departed pickup location
    "UR": ("EQUIPMENT", "DISC", "ACT"),  # unloaded from rail
    "D": ("EQUIPMENT", "DROP", "ACT"),  # completed unloading at delivery location
    "VA": ("TRANSPORT", "ARRI", "ACT"),  # vessel arrival
    "VD": ("TRANSPORT", "DEPA", "ACT"),  # vessel departure
    "AR": ("TRANSPORT", "ARRI", "ACT"),  # rail arrival at destination ramp
    "RL": ("TRANSPORT", "DEPA", "ACT"),  # rail departure
    "A": ("TRANSPORT", "ARRI", "ACT"),  # arrived
    "P": ("TRANSPORT", "DEPA", "ACT"),  # departure from location
    "PU": ("EQUIPMENT", "PICK", "ACT"),  # container picked up
    "CR": ("SHIPMENT", "RELS", "ACT"),  # carrier release
    "PA": ("CUSTOMS", "HOLD", "ACT"),  # US customs hold, intensive examination
    "CT": ("CUSTOMS", "RLSD", "ACT"),  # customs released
    "CU": ("CUSTOMS", "RLSD", "ACT"),  # carrier and customs release
    "IB": ("CUSTOMS", "RLSD", "ACT"),  # US customs in-bond movement authorized (moves under bond)
    "AM": ("EQUIPMENT", "LOAD", "ACT"),  # loaded on truck
}
_ACTUAL_TIMES = ("334", "7", "178", "186", "203")
#: A vessel's arrival or departure status may come with its estimate alone (an ETA or ETD update:
#: STS VA/VD/1/24 with DTM 132/133, or the schedule's 232/189): then the event is that estimate, EST
#: or PLN by the date's qualifier (UNCL 2005), never an actual move at the message's date.
#: The ANSI X12 315 codes that name the mode of the move: in D16A's layout a container's statuses share
#: its TDT groups (SG10), so a discharge from the vessel must not take the rail leg's TDT as its call.
STATUS_MODES = {
    **dict.fromkeys(("AE", "UV", "AP", "VA", "VD"), "1"),  # vessel (AP: feeder vessel)
    **dict.fromkeys(("AL", "UR", "AR", "RL", "70", "26"), "2"),  # rail (Rec. 24: 70 ramped, 26 deramped)
    "AM": "3",  # loaded on truck
    "AO": "8",  # loaded on barge (inland water)
}
#: X12 315 codes that say the container is empty (EE empty equipment dispatched, RD container returned
#: empty): its emptyIndicatorCode when its EQD gives no full/empty indicator (8169), as INTTRA's often does not.
STATUS_EMPTY = {"EE": "EMPTY", "RD": "EMPTY"}
#: A delivery or a collection reported with the time of that very act (EANCOM's IFTSTA: UNCL 2005 35
#: delivery date/time, actual; 200 pick-up/collection date/time of cargo; 201 of the equipment).
EVENT_TIMES = {code: _ACTUAL_TIMES for _, code, _ in EVENTS.values()} | {
    # a vessel's arrival is never timed by a departure (186) nor its departure by an arrival (178)
    "ARRI": (*(q for q in _ACTUAL_TIMES if q != "186"), "132", "232"),
    "DEPA": (*(q for q in _ACTUAL_TIMES if q != "178"), "133", "189"),
    "DROP": (*_ACTUAL_TIMES, "35"),
    "PICK": (*_ACTUAL_TIMES, "200", "201"),
}
TIME_CLASSIFIERS = {"132": "EST", "133": "EST", "232": "PLN", "189": "PLN"}
#: The status group's own place first (175 activity location ...), then the places its transport or
#: container groups name that fit the move: a departure or a loading happens at the place of departure
#: or the port of loading (5, 9), an arrival or a discharge at the port of discharge or the destination
#: (11, 8, 7); never the other end of the leg.
_HERE = ("175", "200", "14", "165", "153")
_STATUS_PLACES = [("item", (*_HERE, "5", "11", "9", "8", "7")), ("message", ("175", "153"))]
_DEPARTURE_PLACES = [("item", (*_HERE, "5", "9")), ("message", ("175", "153"))]
_ARRIVAL_PLACES = [("item", (*_HERE, "11", "8", "7")), ("message", ("175", "153"))]
LOCATIONS = {code: _STATUS_PLACES for _, code, _ in EVENTS.values()} | {
    "DEPA": _DEPARTURE_PLACES,
    "LOAD": _DEPARTURE_PLACES,
    "ARRI": _ARRIVAL_PLACES,
    "DISC": _ARRIVAL_PLACES,
}
CNI_REFERENCE = "TRD"
TRANSPORT = "any"
#: D16A and later open with EQD groups (SG4), each holding its statuses (SG7: STS, LOC, DTM), before
#: the CNI groups: until the first CNI, EQD is a group of the message and STS a group of the EQD.
LEADING_SCOPES = ({"EQD": 1, "STS": 2}, {"STS": frozenset({"LOC", "DTM"})})
ADOPT_PRECEDING_EQUIPMENT = True  # a CNI group's EQD written before its STS (partners' order)
#: The vessel's arrivals and departures the status groups' TDT groups state (LOC 9 with DTM 133/186, LOC 11 with 132/178).
VESSEL_CALLS = common.vessel_calls()
