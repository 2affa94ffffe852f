"""COPARN (container announcement) -> a planned (PLN) or estimated (EST) gate move per container, when it has a time.

A container announcement orders a depot or terminal to release, make available or accept containers,
or announces their arrival: a plan, not a move. BGM 1001 says which (UNCL 1001, D00A and later;
the directory's own list: acceptance order, pre-arrival notice, release order, empty container
disposition order, on-hire order, off-hire notice ...). An order that ends in a container passing
the gate gives one EQUIPMENT event per EQD group: GTIN (to be delivered to the facility) or GTOT (to
be picked up), but only where the message states when: the EQD group's or the header's DTM (UNCL
2005, below; the classifier follows the date's own kind: estimated -> EST, requested/planned -> PLN).
An announcement without such a time, or a request that orders no move (on-hire or off-hire
request, empty equipment advice), is processed with no events. The vessel's dates of the header's
TDT group are not the container's gate times and are not read as such. A cancellation (1225 = 1):
no events.
"""

MESSAGE_TYPES = ("COPARN",)
#: NAD groups (header SG2/SG4, the container's SG10/SG20) carry dates at the party's address (the
#: shipper's premises), not at the gate: their own scopes keep them out of the container's lookups.
SCOPES = {"EQD": 1, "NAD": 2}
EVENT_SCOPE = "EQD"
EVENT_FROM = "BGM"
#: The ITIGG D95B container message guide's own 1001 codes, from before UNCL had container orders
#: (SMDG's and the ITIGG partners' COPARN on D95B, UNH association ITG1x): in a COPARN they mean these
#: orders, whatever an unrelated UNCL entry of the same number says.
ITIGG_EVENTS = {
    "11": ("EQUIPMENT", "GTIN", "PLN"),  # transport equipment acceptance order (gate-in order), later 126
    "12": ("EQUIPMENT", "GTOT", "PLN"),  # transport equipment release order (gate-out order), later 129
    "27": ("EQUIPMENT", "GTIN", "EST"),  # transport equipment impending arrival advice, later 104
    "690": ("EQUIPMENT", "GTOT", "PLN"),  # import container call-down order (to be collected)
    "695": ("EQUIPMENT", "GTOT", "PLN"),  # empty container disposition order, later 144
}
ITIGG_QUIET = frozenset({"689"})  # transport empty equipment advice, later 125
EVENTS = {
    # UNCL 1001 document name code
    "126": ("EQUIPMENT", "GTIN", "PLN"),  # transport equipment acceptance order (delivered by an inland carrier)
    "104": ("EQUIPMENT", "GTIN", "EST"),  # transport equipment impending arrival advice (pre-arrival notice)
    "169": ("EQUIPMENT", "GTIN", "PLN"),  # container off-hire notice (leased containers to be returned)
    "129": ("EQUIPMENT", "GTOT", "PLN"),  # transport cargo release order
    "108": ("EQUIPMENT", "GTOT", "PLN"),  # transport equipment empty release instruction
    "144": ("EQUIPMENT", "GTOT", "PLN"),  # empty container disposition order (empties made available)
    "135": ("EQUIPMENT", "GTOT", "PLN"),  # transport equipment on-hire order (collection authorised)
    **ITIGG_EVENTS,
}
#: UNCL 1001 orders and advices that name no gate move: processed, no events.
QUIET_DOCUMENTS = frozenset(
    {
        "125",  # transport empty equipment advice (empties available for return: no date of a move)
        "134",  # transport equipment on-hire request
        "136",  # transport equipment off-hire request
        *ITIGG_QUIET,
    }
)
#: UNCL 2005 qualifiers of the gate time, by preference.
EVENT_TIMES = {
    "GTIN": ("395", "181", "396", "191"),  # positioning estimated / positioning / requested; delivery expected
    "GTOT": ("393", "201"),  # equipment pick-up planned; equipment pick-up date/time
}
TIME_REQUIRED = True  # an announcement without a time states no planned move
NUMBERED_EQUIPMENT_ONLY = True  # empties released by size-type and count (EQD+CN++22G1, EQN) name no container
TIME_CLASSIFIERS = {"395": "EST", "191": "EST", "181": "PLN", "396": "PLN", "393": "PLN", "201": "PLN"}
#: UNCL 3227: the depot or terminal of the move (98 empty equipment despatch, 99 return, 175 activity
#: location, 200 place of handling), else the header's port.
LOCATIONS = {
    "GTIN": [("item", ("99", "175", "200")), ("message", ("99", "175", "200", "9", "11"))],
    "GTOT": [("item", ("98", "175", "200")), ("message", ("98", "175", "200", "11", "9"))],
}
TRANSPORT = "inland"  # the truck, train or barge of the container's own TDT group
