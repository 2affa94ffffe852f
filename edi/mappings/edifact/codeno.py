"""CODENO (permit expiration/clearance ready notice) -> CUSTOMS RLSD or CNCL per container.

BGM 1001 (UNCL, D00A and later) says what the notice is about: 132 customs clearance notice (the
regulatory clearance has taken place: RLSD, ACT) or 133 customs documents expiration notice (the
permits or customs documents of the goods lose their validity at short notice: CNCL, EST, at the
document's expiry date). Each EQD group (D95B SG5, D00B SG11) is a container; the goods items (GID
groups, SG3/SG6) name theirs by split goods placement (SGP) and carry the customs documents (DOC,
mandatory with its DTM): each container's event reads the documents placed in it: their numbers
as documentReferences (UNCL 1001 830/929/960 ... -> DEC), their dates as the event time (UNCL 2005
36 expiry date for an expiration; 182 issue date, then 137 document date, for a clearance). A
notice whose document dates are missing gives no event rather than a guessed time. A cancellation
(1225 = 1) withdraws an earlier notice: no events.
"""

MESSAGE_TYPES = ("CODENO",)
SCOPES = {"GID": 1, "EQD": 1}
EVENT_SCOPE = "EQD"
EVENT_FROM = "BGM"
EVENTS = {
    # UNCL 1001 document name code
    "132": ("CUSTOMS", "RLSD", "ACT"),  # customs clearance notice
    "133": ("CUSTOMS", "CNCL", "EST"),  # customs documents expiration notice
}
EVENT_TIMES = {"RLSD": ("182", "137"), "CNCL": ("36",)}
TIME_REQUIRED = True
PLACED_IN = "GID"
#: UNCL 3227: the customs office or port of the notice (header transport group LOC, DOC group LOC).
LOCATIONS = [("item", ("22", "41", "42", "118")), ("message", ("22", "11", "9", "24"))]
TRANSPORT = "vessel"
