"""One error shape for every API answer: ``{"error": {"code", "message", "position"}}``.

DRF's exceptions (authentication, permission, throttling, parsing, validation, 404) and the
apps' own typed errors are rendered the same way, with the fitting HTTP status.
"""

from __future__ import annotations

from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ApiError(exceptions.APIException):
    """An API error with a machine code, a message and an optional position."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status_code: int | None = None, position: Any = None):
        super().__init__(detail=message, code=code or self.default_code)
        if status_code is not None:
            self.status_code = status_code
        self.error_code = code or self.default_code
        self.position = position


def error_body(code: str, message: str, position: Any = None) -> dict:
    return {"error": {"code": code, "message": message, "position": position}}


def error_response(code: str, message: str, status_code: int, position: Any = None) -> JsonResponse:
    """A plain Django JSON error response, for views outside DRF (reader hot path, health)."""
    return JsonResponse(error_body(code, message, position), status=status_code)


def _message_of(detail: Any) -> str:
    if isinstance(detail, dict):
        parts = []
        for field, value in detail.items():
            parts.append(f"{field}: {_message_of(value)}")
        return "; ".join(parts)
    if isinstance(detail, list):
        return "; ".join(_message_of(item) for item in detail)
    return str(detail)


# How long a client should wait before trying again when the database is unreachable.
UNAVAILABLE_RETRY_AFTER_S = 5


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database is unreachable (restarting, failing over): a clear 503 and when to retry, not a 500 page.
        # Resending is safe: a message that was stored after all is answered as a duplicate.
        body = error_body("unavailable", "the database is temporarily unavailable; try again shortly")
        return Response(body, status=503, headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER_S)})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ApiError):
        body = error_body(exc.error_code, str(exc.detail), exc.position)
    elif isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", _message_of(exc.detail), exc.detail if isinstance(exc.detail, dict) else None)
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        body = error_body(str(code), _message_of(exc.detail))
    else:
        body = error_body("error", str(exc))
    response.data = body
    return response
