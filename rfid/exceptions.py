"""Typed errors of the RFID gates, each with an HTTP status, a machine code and a JSON position."""

from __future__ import annotations

from typing import Any


class RfidError(Exception):
    """Base of the RFID errors."""

    status = 400
    code = "invalid"
    retryable = False

    def __init__(self, message: str, *, position: Any = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.position = position
        if code:
            self.code = code


class InvalidPayload(RfidError):
    """The body is not a read payload of a supported shape; ``position`` is its JSON path."""


class TooManyReads(RfidError):
    """More reads (or bytes) in one post than allowed."""

    status = 413
    code = "too_large"


class UnsupportedMediaType(RfidError):
    """The body is not JSON."""

    status = 415
    code = "unsupported_media_type"


class NotYourGate(RfidError):
    """The key's reader is not the reader or gate the payload names, or the key is not a reader's."""

    status = 403
    code = "forbidden"


class UnknownTransaction(RfidError):
    """No gate transaction has that id."""

    status = 404
    code = "not_found"
