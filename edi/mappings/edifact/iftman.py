"""IFTMAN (arrival notice) -> TRANSPORT ARRI of the vessel at the port of discharge, with the shipment's references.

The carrier or forwarder gives the consignee notice of the consignment's arrival. The fact it states
for tracking is the main carriage's arrival: its transport groups (SG8 TDT with SG9/SG10 LOC-DTM)
give the vessel (C222: IMO number, name), its voyage (8028, else RFF VON) and the arrival at the
port of discharge, ACT or EST by the date's own qualifier (UNCL 2005: 178 actual, 132 estimated,
232 scheduled arrival; UNCL 3227 of the LOC it follows: 11 place of discharge, 12 port of
discharge, 153 port of call, 60 place of arrival, 24 port of entry). Its departure dates from the
port of loading are another message's news and are not read. Each arrival carries the notice's
shipment references (RFF groups of the header and the goods items: BM/BH/MB bill, BN booking ...).
The notice's own number (BGM 1004) names no document of the canonical model. A cancellation (BGM
1225 = 1): no events.
"""

MESSAGE_TYPES = ("IFTMAN",)
SCOPES = {"EQD": 1}
EVENT_FROM = "NONE"  # the notice's fact is the vessel's arrival (its VESSEL_CALLS)
ARRIVAL_PORTS = ("11", "12", "153", "60", "24")
VESSEL_CALLS = {
    "178": ("ARRI", "ACT", ARRIVAL_PORTS),  # arrival date/time, actual
    "132": ("ARRI", "EST", ARRIVAL_PORTS),  # arrival date/time, estimated
    "232": ("ARRI", "PLN", ARRIVAL_PORTS),  # arrival date/time, scheduled
}
CALL_REFERENCES = True
