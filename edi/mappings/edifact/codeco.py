"""CODECO (container gate-in/gate-out report) -> one EQUIPMENT event per container (EQD group).

BGM 1001 says which move the report is about (SMDG CODECO: 34 gate-in, 36 gate-out; UNCL 1001:
109 inward movement delivered by an inland carrier, 111 outward movement picked up by one).
Per EQD: the container (C237), its size-type (C224), full/empty (8169), the truck or train of
its own TDT group (8067 mode 3 road, 2 rail, 8 barge), booking (RFF BN) and bill (RFF BM), the
gate time (DTM 7 effective) and the place (LOC 165 place of positioning, 175 activity location;
else the terminal the message header names).
"""

MESSAGE_TYPES = ("CODECO",)
SCOPES = {"EQD": 1}
EVENT_SCOPE = "EQD"
EVENT_FROM = "BGM"
EVENTS = {
    "34": ("EQUIPMENT", "GTIN", "ACT"),  # SMDG: gate-in report
    "36": ("EQUIPMENT", "GTOT", "ACT"),  # SMDG: gate-out report
    "109": ("EQUIPMENT", "GTIN", "ACT"),  # UNCL: inward movement, delivered by an inland carrier
    "111": ("EQUIPMENT", "GTOT", "ACT"),  # UNCL: outward movement, picked up by an inland carrier
}
#: UNCL 1001 266, transport equipment status change report: a container's status changed where it stands
#: (weighed for its verified gross mass, repaired, re-graded; SMDG CODECO 2.1 sends one for a container
#: weighed in the yard): no gate move, so no event, and nothing to complain about either.
QUIET_DOCUMENTS = frozenset({"266"})
EVENT_TIMES = ("7", "203", "178", "186")
LOCATIONS = [("item", ("165", "175", "200")), ("message", ("165", "175", "9", "11", "5", "88"))]
TRANSPORT = "inland"  # the transport call is the truck/train/barge of the container's own TDT
