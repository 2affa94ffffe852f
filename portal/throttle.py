"""Rate limit of the public tracking page: the ``public`` rate of the API (``PUBLIC_RATE``), per client.

The page counts lookups only (a bare form costs nothing) in its own cache key, so a busy page
does not eat into the API's allowance or the other way round.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class TrackPageThrottle(SimpleRateThrottle):
    scope = "public"

    def get_rate(self) -> str:
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public"]

    def get_cache_key(self, request, view) -> str:
        return f"throttle_portal_track_{self.get_ident(request)}"


def allowed(request) -> tuple[bool, int]:
    """Whether this lookup may go ahead, and else the seconds to wait."""
    throttle = TrackPageThrottle()
    if throttle.allow_request(request, None):
        return True, 0
    return False, int(throttle.wait() or 1) + 1
