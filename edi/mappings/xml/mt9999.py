"""MT9999, the manifest system's receipt -> CUSTOMS events per bill, per container, or for the message.

The codes are read by the customs gateway's reader (:data:`customs_gateway.responses.MT9999_CODES`):
``x?000`` accepted (ACPT), ``x?001``-``x?009`` refused (RJCT), ``x?01?`` manual review (DOCR), and
the instruction notices I/H/R/F/C/T (INSP, HOLD, RLSD, REFU, CNCL, TAXA). Each bill's answer is
an event naming the bill (TRD), each container's one naming the container; a receipt with
neither is one event for the message it answers. The authority is the receipt's sender. The
authority's receipt names in its head the type it answers (``MT2101``, ``MT4101``, ...) rather
than MT9999: it is read as ``MT2101-RESPONSE`` ..., by the same table; an air type's receipt
names a flight, not a ship. A bill's two-digit receipt type is read too: 01 accepted, 02 manual
review, 03 returned, and the later instructions 11 released, 12 refused loading, 13 forbidden discharge.
"""

from edi.mappings.xml import Fact
from edi.mappings.xml.china_manifest import air, changes, sea, transfer_answer
from edi.mappings.xml.china_manifest.common import FAMILY, HEADER  # the receipt's head is the family's

__all__ = [
    "ANSWER",
    "ANSWER_CONTEXT",
    "ANSWER_CONTEXT_BY_TYPE",
    "AUTHORITY",
    "BUSINESS_REFERENCE",
    "FAMILY",
    "HEADER",
    "NAMESPACES",
    "REGISTRATION_REFERENCE",
    "TIME_ZONE",
    "TYPES",
    "TYPE_FROM",
]

TYPE_FROM = ("/Head/MessageType", "#namespace")
#: the receipt names itself MT9999, or (as the authority sends it) the type it answers over a
#: Response body: read as ``MT4101-RESPONSE`` ...; a transfer check's answer has its own table
TYPES = {"MT9999": "MT9999.xsd"}
TYPES |= {f"{t}-RESPONSE": "MT9999.xsd" for table in (sea, air, changes) for t in table.TYPES}
TYPES = {t: schema for t, schema in TYPES.items() if t not in transfer_answer.TYPES}
NAMESPACES = {"Manifest": ""}  # the receipt has no namespace: one that came with one is read without
TIME_ZONE = "Asia/Shanghai"
AUTHORITY = ("sender",)
ANSWER = True
ANSWER_CONTEXT = Fact(
    vessel_id=("/Response/BorderTransportMeans/ID",),
    voyage=("/Response/BorderTransportMeans/JourneyID",),
    mode="VESSEL",
)
#: a receipt answering an air message names a flight: its number is the voyage, the aircraft no vessel
ANSWER_CONTEXT_BY_TYPE = {
    f"{t}-RESPONSE": Fact(voyage=("/Response/BorderTransportMeans/JourneyID",), mode="AIR")
    for t in (*air.TYPES, *changes.AIR)
    if f"{t}-RESPONSE" in TYPES
}
BUSINESS_REFERENCE = "MAN"
REGISTRATION_REFERENCE = "DEC"
