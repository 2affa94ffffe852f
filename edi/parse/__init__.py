"""Readers of raw messages: EDIFACT segments and envelopes (``edi.parse.edifact``, ``edi.parse.interchange``)."""
