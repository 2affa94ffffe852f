"""Rate limits of the tracking API: the ``partner`` rate per API key (or per login).

DRF's own throttles keep, per caller, the list of every request time in the window and pickle
it in and out of the cache on each request: at the partner rate (thousands a minute) that list
is the throttle's whole cost. This one keeps one number per caller, the generic cell rate
algorithm's "theoretical arrival time": a caller may send ``N`` requests at once and then one
every ``window / N``, so that no window holds more than ``N`` requests.
"""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle


class PartnerRateThrottle(SimpleRateThrottle):
    """``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["partner"]`` per API key, or per logged-in user."""

    scope = "partner"
    wait_for = 0.0

    def get_cache_key(self, request, view) -> str | None:
        key = getattr(request.user, "key", None)
        if key is not None:
            ident = f"key-{key.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        arrival = max(self.cache.get(self.key, now), now) + self.duration / self.num_requests
        self.wait_for = arrival - now - self.duration
        if self.wait_for > 0:
            return False
        self.cache.set(self.key, arrival, self.duration)
        return True

    def wait(self) -> float:
        return max(self.wait_for, 0.0)
