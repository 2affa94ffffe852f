"""COREOR (container release order) -> a planned gate-out (GTOT PLN) per container, when it has a pick-up time.

A release order gives permission for containers to be picked up by or on behalf of a named party:
a plan, not a move. Each EQD group (D95B SG7, D00B SG12) is one container released; the message
states a gate move only where it says when the container is to be collected (UNCL 2005 393
equipment pick-up date/time planned, 201 equipment pick-up date/time; the EQD group's DTM, D16A,
or its inland TDT group's, or the header's, D00B and later). A release without such a time is
processed with no events. The place is the terminal or depot of release (UNCL 3227 98 place of
empty equipment despatch, 175 activity location, 200 place of handling; else the header's port of
discharge). References: RFF BM/BN in the container's group (its release reference, mandatory) and
the header's. A cancellation (1225 = 1): no events.
"""

MESSAGE_TYPES = ("COREOR",)
SCOPES = {"EQD": 1, "NAD": 2}  # a party's dates (SG9/SG16/SG17 NAD) are not the gate's
EVENT_SCOPE = "EQD"
EVENT_FROM = "TYPE"  # the message type is the order; BGM 1001 (129 cargo release order ...) adds nothing
EVENTS = {"COREOR": ("EQUIPMENT", "GTOT", "PLN")}
EVENT_TIMES = ("393", "201")
TIME_REQUIRED = True
NUMBERED_EQUIPMENT_ONLY = True  # empties released by size-type and count (EQD+CN++22G1, EQN) name no container
LOCATIONS = [("item", ("98", "175", "200")), ("message", ("98", "175", "200", "11", "9"))]
TRANSPORT = "inland"
