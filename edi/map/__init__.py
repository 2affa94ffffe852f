"""Map parsed EDIFACT messages to canonical events, by the tables in :mod:`edi.mappings`.

One entry point per message and one per interchange; both are pure (no database):

    >>> result = map_message(message, sender="TERMINAL1", recipient="LOGIHUB", raw_message_id=42)
    >>> result.events[0]["equipmentEventTypeCode"], result.issues
    ('GTIN', [])
    >>> map_interchange(path_or_bytes).events

Application problems are :class:`edi.issues.Issue` values with UNCL 9321 application error codes
(``12`` invalid value: bad check digit, unknown location, bad date; ``13`` missing: no container
number, no event time; ``14`` not supported: a qualifier outside the directory's code list, a
document or status code no table maps). ``error`` issues dropped a fact, ``warning`` issues were
mapped anyway. :mod:`edi.aperak` answers them. APERAK and CONTRL from partners give no events but
``result.acknowledgement`` (see :mod:`edi.mappings.acknowledgements`).
"""

from edi.map.context import Context, MappingResult
from edi.map.engine import interchange_date, iter_mapped, map_interchange, map_message

__all__ = ["Context", "MappingResult", "interchange_date", "iter_mapped", "map_interchange", "map_message"]
