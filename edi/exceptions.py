"""Errors of the translation layer: one base, each with a code, a position, and a retry hint.

Problems *inside* a message are reported as :class:`edi.issues.Issue` values; these
exceptions are for input that cannot be read at all (not a message, wrong charset for the
whole input, unknown directory) where there is nothing to continue with.
"""

from __future__ import annotations

from edi.issues import Position


class EdiError(Exception):
    """Base of the translation layer's errors."""

    code = "EDI"
    retryable = False

    def __init__(self, message: str, *, code: str | None = None, position: Position | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.position = position or Position()

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "position": self.position.as_dict()}


class NotAMessage(EdiError):
    """The input is neither EDIFACT nor XML (empty, binary, garbage)."""

    code = "NOT_A_MESSAGE"


class ParseError(EdiError):
    """The input looked like a message but could not be read past a point."""

    code = "PARSE"


class UnknownMessageType(EdiError):
    """No directory or mapping knows this message type and version."""

    code = "UNKNOWN_TYPE"


class DirectoryMissing(EdiError):
    """The compact directory files for a version are not in ``schemas/edifact/``."""

    code = "DIRECTORY_MISSING"


class Refused(EdiError):
    """A message the platform will not take from this caller; recorded, never processed."""

    code = "REFUSED"
    http_status = 400


class MessageTooLarge(Refused):
    """The body is larger than ``EDI_MAX_MESSAGE_BYTES``."""

    code = "TOO_LARGE"
    http_status = 413


class WrongSender(Refused):
    """The interchange's sender is not the authenticated party's EDI identity."""

    code = "WRONG_SENDER"
    http_status = 403


class UnsupportedContentType(Refused):
    """The HTTP content type is not one a message can come in."""

    code = "UNSUPPORTED_MEDIA_TYPE"
    http_status = 415
