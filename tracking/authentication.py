"""DRF authentication by ``Authorization: Api-Key <key>``, for partner systems and readers."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from tracking.apikeys import known_key, touch
from tracking.models import ApiKey

KEYWORD = "Api-Key"


@dataclass
class KeyPrincipal:
    """Who is calling with an API key: a party's system or a gate reader. Stands in for ``request.user``."""

    key: ApiKey

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    @property
    def party(self):
        return self.key.party

    @property
    def reader(self):
        return self.key.reader

    @property
    def pk(self):
        return None

    def __str__(self) -> str:
        return str(self.key)


def principal_from_header(header: str) -> KeyPrincipal | None:
    """Parse an ``Authorization`` header value; None when it is not an Api-Key header at all."""
    scheme, _sep, raw = header.partition(" ")
    if scheme != KEYWORD:
        return None
    key = known_key(raw.strip())
    if key is None:
        raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."), code="invalid_key")
    touch(key)
    return KeyPrincipal(key)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        principal = principal_from_header(header)
        if principal is None:
            return None
        return principal, principal.key

    def authenticate_header(self, request) -> str:
        return KEYWORD
