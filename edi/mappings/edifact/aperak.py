"""APERAK and CONTRL from partners: acknowledgements of what we sent; no cargo events.

APERAK: BGM 1225/4343 (AP accepted, CA conditionally accepted, RE rejected; 1225 27 not
accepted), the message it answers (RFF ACW, DOC 1004, RFF AGO), errors from ERC with the FTX
that follows. CONTRL: UCI (the interchange, 0083) and UCM (each message, 0083) with the 0085
error codes. See :mod:`edi.mappings.acknowledgements`.
"""

MESSAGE_TYPES = ("APERAK", "CONTRL")
ACKNOWLEDGEMENT = True
#: Acceptance said outright: 4343 AP accepted, CA conditionally accepted; 1225 29 accepted without
#: amendment, 44/45 accepted with amendment. 1225 9 (original), 6 (confirmation) or 11 (response) only
#: say what kind of message it is: such an APERAK is a rejection when it carries errors (ERC).
ACCEPTED = frozenset({"AP", "CA", "29", "44", "45"})
REJECTED = frozenset({"RE", "27", "48"})
ANSWERED_REFERENCES = ("ACW", "AGO", "ERN")
