"""CUSRES (customs response) -> one CUSTOMS event: what the authority decided, and why.

The decision comes first from the processing indicator 7365 (GIS C529 to D02B, GEI C012 from
D03A; one of another agency's code list, 3055 other than 6 UN/ECE, is that agency's code and not
read by UNCL 7365), then from BGM: 1001 963 error response (RJCT), 965 tax calculation (TAXA), 917 receipt
(RCVD), 932 customs delivery (release) note (RLSD); 1225 = 1 cancellation (CNCL); 4343 response
type AP/CA accepted, RE rejected. Reasons: ERC (C901 9321 code) with the FTX texts that follow it. The authority is the message's sender. References: BGM 1004 and RFF
ABT/AAE (DEC), AFB (MAN), BM (TRD), and DOC 1004 by its 1001. A decision naming containers (EQD)
is one event per container, so each container's customs state (a hold, a release) is its own
fact; a document group (SG6 DOC) with its own GIS is a decision of its own.
"""

MESSAGE_TYPES = ("CUSRES",)
#: EQD is a plain segment (of the header, or of a document group), not a group of its own.
SCOPES = {"DOC": 1}
EQUIPMENT_SEGMENTS = True
#: SG6: a response answering several documents (the bills of a manifest, the declarations of a
#: batch) gives each its own decision (GIS), containers (EQD) and number (DOC 1004).
DECISION_SCOPE = "DOC"
EVENT_SCOPE = None
EVENT_FROM = "GIS"
EVENTS = {
    # 7365 processing indicator
    "1": ("CUSTOMS", "ACPT", "ACT"),  # message content accepted
    "2": ("CUSTOMS", "RJCT", "ACT"),  # rejected with comment
    "3": ("CUSTOMS", "RJCT", "ACT"),  # rejected without comment
    "4": ("CUSTOMS", "RLSD", "ACT"),  # goods released
    "5": ("CUSTOMS", "INSP", "ACT"),  # goods required for examination
    "6": ("CUSTOMS", "DOCR", "ACT"),  # documents to be produced
    "7": ("CUSTOMS", "HOLD", "ACT"),  # goods detained
    "8": ("CUSTOMS", "RLSD", "ACT"),  # goods may move under customs transfer
    "9": ("CUSTOMS", "ACPT", "ACT"),  # declaration accepted awaiting goods arrival
    "12": ("CUSTOMS", "RJCT", "ACT"),  # sender not allowed the message type
    "13": ("CUSTOMS", "RJCT", "ACT"),  # message type not supported
    "14": ("CUSTOMS", "RJCT", "ACT"),  # error message
    "15": ("CUSTOMS", "AMND", "ACT"),  # correction approved
    "16": ("CUSTOMS", "RJCT", "ACT"),  # correction not approved
    "17": ("CUSTOMS", "RCVD", "ACT"),  # message received
    "25": ("CUSTOMS", "HOLD", "ACT"),  # prohibited/restricted goods
    "26": ("CUSTOMS", "HOLD", "ACT"),  # container quarantine
    "30": ("CUSTOMS", "DOCR", "ACT"),  # not processed until action is taken by sender
    "31": ("CUSTOMS", "RJCT", "ACT"),  # cannot be processed by the recipient
    "32": ("CUSTOMS", "ACPT", "ACT"),  # transaction accepted
    "33": ("CUSTOMS", "RJCT", "ACT"),  # transaction rejected
    "34": ("CUSTOMS", "RCVD", "ACT"),  # transaction awaiting processing
    "35": ("CUSTOMS", "RJCT", "ACT"),  # transaction unknown
    "66": ("CUSTOMS", "ACPT", "ACT"),  # message content accepted, with comments (the ERC/FTX reasons)
    "67": ("CUSTOMS", "ACPT", "ACT"),  # message content partly accepted, with comments
    "129": ("CUSTOMS", "CNCL", "ACT"),  # cancellation executed
}
#: 7365 codes that qualify the procedure (import, export, transit ...) and carry no decision.
#: (36/37 changed/complete information, 68/69 goods in a container or not, 70 ship's stores).
CONTEXT_INDICATORS = frozenset(
    {"10", "11", "18", "19", "20", "21", "22", "23", "24", "27", "28", "29", "36", "37", "68", "69", "70"}
)
DOCUMENT_EVENTS = {
    "963": ("CUSTOMS", "RJCT", "ACT"),  # error response (customs)
    "965": ("CUSTOMS", "TAXA", "ACT"),  # tax calculation/confirmation response
    "917": ("CUSTOMS", "RCVD", "ACT"),  # receipt (customs)
    "932": ("CUSTOMS", "RLSD", "ACT"),  # customs delivery note, synonym customs release note
}
#: 1 cancellation; 50 withdrawal of a previously approved message (the authority withdraws its answer)
FUNCTION_EVENTS = {"1": ("CUSTOMS", "CNCL", "ACT"), "50": ("CUSTOMS", "CNCL", "ACT")}
RESPONSE_EVENTS = {
    "AP": ("CUSTOMS", "ACPT", "ACT"),
    "CA": ("CUSTOMS", "ACPT", "ACT"),
    "RE": ("CUSTOMS", "RJCT", "ACT"),
}
#: 137 the response's date; 9 processing date/time, the date an authority dates its answer with when it
#: gives no document date (Canada's CBSA and Australia's ICS responses); 182 issue date, 97 compilation.
DECISION_TIMES = ("137", "9", "182", "97")
#: A release happened when customs cleared or released the goods: UNCL 2005 58 clearance date (Customs),
#: 204 release date (Customs), first where the response gives one (Canada's CBSA release notices: DTM 58 only).
RELEASE_TIMES = ("58", "204")
EVENT_TIMES = {
    spec[1]: (RELEASE_TIMES if spec[1] == "RLSD" else ()) + DECISION_TIMES
    for table in (EVENTS, DOCUMENT_EVENTS, FUNCTION_EVENTS, RESPONSE_EVENTS)
    for spec in table.values()
}
#: the examination place first; the customs offices; then the ports the goods enter by (11, 12 port of
#: discharge, 24 port of entry) before the port of loading (9), abroad for an import
LOCATIONS = [("message", ("43", "22", "41", "42", "118", "14", "11", "12", "24", "9"))]
DOCUMENT_NUMBER = "DEC"
AUTHORITY = "sender"
REASONS = True
TRANSPORT = "vessel"
