"""Rate limits of the tracking API: the ``partner`` rate per API key (or per login)."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle


class PartnerRateThrottle(SimpleRateThrottle):
    """``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["partner"]`` per API key, or per logged-in user."""

    scope = "partner"

    def get_cache_key(self, request, view) -> str | None:
        key = getattr(request.user, "key", None)
        if key is not None:
            ident = f"key-{key.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}
