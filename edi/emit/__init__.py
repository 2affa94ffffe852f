"""Outbound messages from canonical events (EDIFACT IFTSTA, CODECO, COARRI: :mod:`.edifact`; CUSDEC, CUSCAR: :mod:`.customs`)."""

from edi.emit.edifact import Emitted, emit

__all__ = ["Emitted", "emit"]
