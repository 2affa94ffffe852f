"""The cache the rate limits count in, shared by every server process when ``CACHE_URL`` is set.

The API's throttles and the public tracking page's limit keep one small value per caller in
Django's default cache. Without ``CACHE_URL`` that is the process's memory (the embedded default:
one process); several Daphne processes behind a load balancer need one count, so production points
``CACHE_URL`` at a Redis they all reach. A rate limit must never take the platform down with it:
when that Redis cannot be reached the limits let requests through (and say so in the log) instead
of failing them.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class TolerantRedisCache(RedisCache):
    """Django's Redis cache whose reads miss and writes are dropped while Redis is unreachable."""

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except UNREACHABLE as exc:
            log.warning("cache unreachable, %s read as missing: %s", key, exc)
            return default

    def set(self, key: str, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as exc:
            log.warning("cache unreachable, %s not written: %s", key, exc)

    def add(self, key: str, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as exc:
            log.warning("cache unreachable, %s not added: %s", key, exc)
            return False

    def delete(self, key: str, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except UNREACHABLE as exc:
            log.warning("cache unreachable, %s not deleted: %s", key, exc)
            return False
