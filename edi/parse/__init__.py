"""Readers of raw messages: EDIFACT segments (:mod:`.edifact`) and envelopes (:mod:`.interchange`).

>>> from edi.parse import read_interchange
>>> for message in read_interchange(data): ...
"""

from edi.parse.edifact import (
    DEFAULT_DELIMITERS,
    Delimiters,
    Repetitions,
    Segment,
    SegmentReader,
    decode,
    iter_segments,
    read_delimiters,
)
from edi.parse.interchange import (
    Group,
    Interchange,
    InterchangeReader,
    Message,
    read_interchange,
    to_pydifact,
    to_pydifact_interchange,
)

__all__ = [
    "DEFAULT_DELIMITERS",
    "Delimiters",
    "Group",
    "Interchange",
    "InterchangeReader",
    "Message",
    "Repetitions",
    "Segment",
    "SegmentReader",
    "decode",
    "iter_segments",
    "read_delimiters",
    "read_interchange",
    "to_pydifact",
    "to_pydifact_interchange",
]
