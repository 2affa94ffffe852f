"""The authority's answer to an international transfer check (国际转运准单回执, MT8105/MT8205 answered).

No namespace, as MT9999; its head repeats the check's message type, so it is read as
``MT8105-RESPONSE`` / ``MT8205-RESPONSE`` (a ``Response`` body, not a ``Declaration``). It is
validated and its message information kept, but it gives no event: the published schema defines
a response code and text per relation and no list of what the codes mean, so whether a transfer
was approved is not a fact we can read from it.
"""

from edi.mappings.xml.china_manifest.common import AUTHORITY, FAMILY, HEADER, TIME_ZONE, TYPE_FROM

__all__ = ["AUTHORITY", "FACTS", "FAMILY", "HEADER", "NAMESPACES", "TIME_ZONE", "TYPES", "TYPE_FROM"]

TYPES = {"MT8105-RESPONSE": "transfer-check-response.xsd", "MT8205-RESPONSE": "transfer-check-response.xsd"}
NAMESPACES = {"Manifest": ""}  # sent without a namespace: one that came with one is read without
FACTS: dict = {}
