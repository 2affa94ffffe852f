"""With CACHE_URL on the real Redis, two server processes count one partner's requests together.

Each ``TolerantRedisCache`` below has its own connection pool, as each Daphne process behind a load
balancer would: what one admits, the other counts.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from types import SimpleNamespace

import pytest

from hub.cache import TolerantRedisCache
from tracking.api.throttling import PartnerRateThrottle, partner_key_admitted

pytestmark = pytest.mark.integration


def process_cache(prefix: str) -> TolerantRedisCache:
    url = os.environ["CHANNEL_LAYER_URL"].rsplit("/", 1)[0] + "/1"  # the rate limits' own database
    return TolerantRedisCache(url, {"KEY_PREFIX": prefix, "OPTIONS": {"socket_timeout": 5}})


def throttle_on(cache: TolerantRedisCache) -> PartnerRateThrottle:
    throttle = PartnerRateThrottle()
    throttle.cache, throttle.num_requests, throttle.duration = cache, 4, 60
    return throttle


def test_a_partners_rate_is_one_count_across_two_server_processes(integration_stack):
    prefix = f"itest-{uuid.uuid4().hex}"
    first, second = process_cache(prefix), process_cache(prefix)
    request = SimpleNamespace(user=SimpleNamespace(key=SimpleNamespace(pk=42), is_authenticated=True))
    admitted = [throttle_on(cache).allow_request(request, None) for cache in (first, second, first, second)]
    assert admitted == [True, True, True, True]  # the partner's four requests of the minute, split
    refused = throttle_on(second)
    assert refused.allow_request(request, None) is False and refused.wait() > 0
    assert throttle_on(first).allow_request(request, None) is False
    other = SimpleNamespace(user=SimpleNamespace(key=SimpleNamespace(pk=43), is_authenticated=True))
    assert throttle_on(first).allow_request(other, None) is True  # another key keeps its own rate
    first.clear()


def test_the_event_loops_rate_check_shares_the_count_on_redis(integration_stack):
    """The container lane (tracking/fastlane.py) checks the rate with the cache's asyncio client: one
    count with the blocking throttle of another process."""
    prefix = f"itest-{uuid.uuid4().hex}"
    blocking, looping = process_cache(prefix), process_cache(prefix)
    request = SimpleNamespace(user=SimpleNamespace(key=SimpleNamespace(pk=44), is_authenticated=True))
    PartnerRateThrottle.THROTTLE_RATES, original = {"partner": "4/minute"}, PartnerRateThrottle.THROTTLE_RATES

    async def on_the_loop(times: int) -> list[bool]:
        return [await partner_key_admitted(44, looping) for _ in range(times)]

    try:
        assert throttle_on(blocking).allow_request(request, None) is True
        assert asyncio.run(on_the_loop(3)) == [True, True, True]
        assert throttle_on(blocking).allow_request(request, None) is False
        assert asyncio.run(on_the_loop(1)) == [False]
    finally:
        PartnerRateThrottle.THROTTLE_RATES = original
        blocking.clear()
