"""The UN/EDIFACT mapping tables, one module per message type (see :mod:`edi.mappings`)."""
