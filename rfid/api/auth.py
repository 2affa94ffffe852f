"""Reader authentication for the hot path: tracking's ``Api-Key`` check, its answer kept a few seconds.

Looking the key up (one query joining party and reader, and a SHA-256) was the largest single cost
of a post of reads. A reader posts several times a second, so the answer for a header is kept in
the process for ``RFID_KEY_CACHE_SECONDS`` (by the header's SHA-256, never the key itself); a
revoked key or a reader's changed settings take effect within that time. Failures are not kept.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from tracking.apikeys import touch
from tracking.authentication import ApiKeyAuthentication, KeyPrincipal

MAX_ENTRIES = 10_000
_answers: dict[str, tuple[float, object]] = {}


def forget() -> None:
    """Drop every kept answer (tests, key revocation by hand)."""
    _answers.clear()


class CachedApiKeyAuthentication(ApiKeyAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        digest = hashlib.sha256(header.encode("utf-8", "surrogateescape")).hexdigest()
        now = time.monotonic()
        kept = _answers.get(digest)
        if kept is not None and kept[0] > now:
            key = kept[1]
            touch(key)
            return KeyPrincipal(key), key
        answer = super().authenticate(request)
        if answer is not None and settings.RFID_KEY_CACHE_SECONDS > 0:
            if len(_answers) >= MAX_ENTRIES:
                _answers.clear()
            _answers[digest] = (now + settings.RFID_KEY_CACHE_SECONDS, answer[1])
        return answer


class CachedApiKeyScheme(OpenApiAuthenticationExtension):
    """In the OpenAPI document: the same ``Authorization: Api-Key <key>`` header, with a reader's key."""

    target_class = "rfid.api.auth.CachedApiKeyAuthentication"
    name = "ReaderApiKeyAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: a gate reader's key (see `manage.py rfid add-reader`).",
        }
