"""Reader authentication: tracking's ``Api-Key`` check (kept a few seconds per process, see
``tracking.apikeys.known_key``), named apart in the OpenAPI document as a reader's key."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from tracking.authentication import ApiKeyAuthentication


class ReaderApiKeyAuthentication(ApiKeyAuthentication):
    """The same header check; only the documented scheme differs (a gate reader's key)."""


class ReaderApiKeyScheme(OpenApiAuthenticationExtension):
    """In the OpenAPI document: the same ``Authorization: Api-Key <key>`` header, with a reader's key."""

    target_class = "rfid.api.auth.ReaderApiKeyAuthentication"
    name = "ReaderApiKeyAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: a gate reader's key (see `manage.py rfid add-reader`).",
        }
