"""CACHE_URL puts the rate limits in a Redis every server process shares; unreachable, they let requests through."""

import asyncio
import time
from types import SimpleNamespace

from hub.cache import LocalCache, TolerantRedisCache
from tests.unit.hub.settings_process import production_value
from tracking.api.throttling import PartnerRateThrottle

NOWHERE = "redis://127.0.0.1:1/0"  # port 1: nothing listens, the connection is refused at once


def cache_backend(**env: str) -> str:
    return production_value("s.CACHES['default']['BACKEND']", **env)


def test_without_cache_url_each_process_counts_in_its_own_memory():
    assert cache_backend() == "hub.cache.LocalCache"


def test_cache_url_selects_the_shared_redis_cache():
    assert cache_backend(CACHE_URL="redis://127.0.0.1:6379/1") == "hub.cache.TolerantRedisCache"


def unreachable() -> TolerantRedisCache:
    return TolerantRedisCache(NOWHERE, {"OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1}})


def test_an_unreachable_cache_misses_and_drops_writes_without_raising(caplog):
    cache = unreachable()
    started = time.monotonic()
    assert cache.get("k", "default") == "default"
    cache.set("k", 1)
    assert cache.add("k", 1) is False and cache.delete("k") is False
    assert time.monotonic() - started < 5
    assert "cache unreachable" in caplog.text


def test_a_rate_limit_lets_requests_through_while_its_cache_is_unreachable():
    throttle = PartnerRateThrottle()
    throttle.cache, throttle.num_requests, throttle.duration = unreachable(), 1, 60
    request = SimpleNamespace(user=SimpleNamespace(key=SimpleNamespace(pk=7), is_authenticated=True))
    assert all(throttle.allow_request(request, None) for _ in range(3))


def test_an_unreachable_cache_misses_and_drops_writes_on_the_event_loop_too(caplog):
    cache = unreachable()

    async def both():
        await cache.aset("k", 1.5, 60)
        return await cache.aget("k", "default")

    started = time.monotonic()
    assert asyncio.run(both()) == "default"
    assert time.monotonic() - started < 5
    assert caplog.text.count("cache unreachable") == 2


def test_the_process_cache_answers_the_event_loop_in_its_own_thread():
    cache = LocalCache("lane-test", {})

    async def both():
        await cache.aset("arrival", 12.5, 60)
        return await cache.aget("arrival"), await cache.aget("missing", "default")

    assert asyncio.run(both()) == (12.5, "default")
    assert cache.get("arrival") == 12.5  # one store, whichever side asks


def test_the_event_loops_rate_check_counts_with_the_throttle():
    from tracking.api.throttling import partner_key_admitted

    cache = LocalCache("rate-test", {})
    throttle = PartnerRateThrottle()
    throttle.cache, throttle.num_requests, throttle.duration = cache, 3, 60
    request = SimpleNamespace(user=SimpleNamespace(key=SimpleNamespace(pk=9), is_authenticated=True))
    PartnerRateThrottle.THROTTLE_RATES, original = {"partner": "3/minute"}, PartnerRateThrottle.THROTTLE_RATES
    try:
        assert throttle.allow_request(request, None)
        assert asyncio.run(partner_key_admitted(9, cache)) and asyncio.run(partner_key_admitted(9, cache))
        assert asyncio.run(partner_key_admitted(9, cache)) is False
        assert throttle.allow_request(request, None) is False
        assert asyncio.run(partner_key_admitted(10, cache)) is True  # another key keeps its own rate
    finally:
        PartnerRateThrottle.THROTTLE_RATES = original
