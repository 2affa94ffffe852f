"""CACHE_URL puts the rate limits in a Redis every server process shares; unreachable, they let requests through."""

import time
from types import SimpleNamespace

from hub.cache import TolerantRedisCache
from tests.unit.hub.settings_process import production_value
from tracking.api.throttling import PartnerRateThrottle

NOWHERE = "redis://127.0.0.1:1/0"  # port 1: nothing listens, the connection is refused at once


def cache_backend(**env: str) -> str:
    return production_value("s.CACHES['default']['BACKEND']", **env)


def test_without_cache_url_each_process_counts_in_its_own_memory():
    assert cache_backend() == "django.core.cache.backends.locmem.LocMemCache"


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
