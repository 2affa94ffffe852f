"""Typed errors of the tracking store; each carries a machine ``code``, a ``position`` and ``retryable``."""

from __future__ import annotations

from typing import Any


class TrackingError(Exception):
    """Base of the tracking store's errors."""

    code = "tracking_error"
    retryable = False

    def __init__(self, message: str, *, position: Any = None):
        super().__init__(message)
        self.message = message
        self.position = position


class InvalidEvent(TrackingError, ValueError):
    """One or more events do not match the canonical event schema; nothing of the batch was stored.

    ``errors`` lists every problem as ``{"index", "eventID", "path", "message"}``; ``position``
    is the first problem's JSON path inside the batch (``"[2].transportCall.UNLocationCode"``).
    """

    code = "invalid_event"

    def __init__(self, errors: list[dict]):
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"event {first['index']} is invalid: {first['message']}{more}", position=first["path"])
        self.errors = errors


class DeliveryFailed(TrackingError):
    """A webhook receiver did not accept a delivery; ``retryable`` says whether to try again."""

    code = "delivery_failed"

    def __init__(self, message: str, *, retryable: bool = True, retry_in: int = 0):
        super().__init__(message)
        self.retryable = retryable
        self.retry_in = retry_in


class NotFound(TrackingError):
    """Nothing is known to the caller under this reference: unknown, or not visible to them (same answer)."""

    code = "not_found"


class InvalidFilter(TrackingError):
    """A filter of the events API or of a webhook subscription is unknown or has a bad value."""

    code = "invalid_filter"


class InvalidSubscription(TrackingError):
    """A webhook subscription asks for something it cannot have (an EDIFACT one without a recipient)."""

    code = "invalid_subscription"


class DuplicateSubscription(InvalidSubscription):
    """The party has this callback subscribed already, with the same filters and format: a second one
    would have every event delivered to it twice."""

    code = "duplicate_subscription"


class TooManyClaims(TrackingError):
    """A party has too many unproven claims open: guessing bills of lading is not a way in."""

    code = "too_many_claims"


class UnsafeDestination(InvalidSubscription):
    """A callback URL is not http(s), or its host is or resolves to an address the platform may not reach
    (loopback, private, link-local such as cloud metadata): refused when subscribing and when delivering."""

    code = "unsafe_callback"

    def __init__(self, message: str, *, position: Any = "callbackUrl"):
        super().__init__(message, position=position)
