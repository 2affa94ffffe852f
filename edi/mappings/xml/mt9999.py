"""MT9999, the manifest system's receipt -> CUSTOMS events per bill, per container, or for the message.

The codes are read by the customs gateway's reader (:data:`customs_gateway.responses.MT9999_CODES`):
``x?000`` accepted (ACPT), ``x?001``-``x?009`` refused (RJCT), ``x?01?`` manual review (DOCR), and
the instruction notices I/H/R/F/C/T (INSP, HOLD, RLSD, REFU, CNCL, TAXA). Each bill's answer is
an event naming the bill (TRD), each container's one naming the container; a receipt with
neither is one event for the message it answers. The authority is the receipt's sender.
"""

from edi.mappings.xml import Fact
from edi.mappings.xml.china_manifest.common import FAMILY, HEADER  # the receipt's head is the family's

__all__ = [
    "ANSWER",
    "ANSWER_CONTEXT",
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
TYPES = {"MT9999": "MT9999.xsd"}
NAMESPACES = {"Manifest": ""}  # the receipt has no namespace: one that came with one is read without
TIME_ZONE = "Asia/Shanghai"
AUTHORITY = ("sender",)
ANSWER = True
ANSWER_CONTEXT = Fact(
    vessel_id=("/Response/BorderTransportMeans/ID",),
    voyage=("/Response/BorderTransportMeans/JourneyID",),
    mode="VESSEL",
)
BUSINESS_REFERENCE = "MAN"
REGISTRATION_REFERENCE = "DEC"
