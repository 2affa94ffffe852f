"""VERMAS (verified gross mass, D16A and later): validated and processed, no events.

A VERMAS reports the verified gross mass of packed containers (SOLAS chapter VI regulation 2): per
EQD group the mass (MEA VGM), when and how it was determined (DTM 798, DOC), who signed it (NAD).
None of that is a tracking fact of the canonical event model: no DCSA equipment, transport or
shipment event states "weighed" (the nearest, a gate-in or an inspection, would be a fact the
message does not give). The message is read, checked against its directory and acknowledged like
any other, and yields no events: not a failure, and no "no mapping" warning.
"""

MESSAGE_TYPES = ("VERMAS",)
SCOPES = {"EQD": 1}
EVENT_FROM = "NONE"
