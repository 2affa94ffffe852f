"""Rate limits of the tracking API: the ``partner`` rate per API key (or per login).

DRF's own throttles keep, per caller, the list of every request time in the window and pickle
it in and out of the cache on each request: at the partner rate (thousands a minute) that list
is the throttle's whole cost. This one keeps one number per caller, the generic cell rate
algorithm's "theoretical arrival time": a caller may send ``N`` requests at once and then one
every ``window / N``, so that no window holds more than ``N`` requests.
"""

from __future__ import annotations

from django.core.cache.backends.base import BaseCache
from rest_framework.throttling import SimpleRateThrottle


def next_arrival(previous: float | None, now: float, duration: float, num_requests: int) -> tuple[float, float]:
    """GCRA's step: the caller's theoretical arrival time after one more request, and how long it
    must wait first (allowed when that is 0 or less)."""
    arrival = max(previous if previous is not None else now, now) + duration / num_requests
    return arrival, arrival - now - duration


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
        arrival, self.wait_for = next_arrival(self.cache.get(self.key), now, self.duration, self.num_requests)
        if self.wait_for > 0:
            return False
        self.cache.set(self.key, arrival, self.duration)
        return True

    def wait(self) -> float:
        return max(self.wait_for, 0.0)


async def partner_key_admitted(key_pk: int, cache: BaseCache) -> bool:
    """:class:`PartnerRateThrottle`'s check for an API key, for code on the event loop: the same
    count in the same cache (its native ``aget``/``aset``, ``hub/cache.py``). A request refused
    here is left to the throttle itself, which answers it.

    ``cache`` is a backend object made once (``caches["default"]`` at start-up), not the
    ``django.core.cache.cache`` proxy: Django keeps its cache objects in an asgiref ``Local``, one
    per context, so every task on the loop (every request under Daphne) would build its own, and
    for Redis its own client and connection."""
    throttle = PartnerRateThrottle()
    if throttle.rate is None:
        return True
    key = throttle.cache_format % {"scope": throttle.scope, "ident": f"key-{key_pk}"}
    now = throttle.timer()
    arrival, wait_for = next_arrival(await cache.aget(key), now, throttle.duration, throttle.num_requests)
    if wait_for > 0:
        return False
    await cache.aset(key, arrival, throttle.duration)
    return True
