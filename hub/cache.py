"""The cache the rate limits count in, shared by every server process when ``CACHE_URL`` is set.

The API's throttles and the public tracking page's limit keep one small value per caller in
Django's default cache. Without ``CACHE_URL`` that is the process's memory (the embedded default:
one process); several Daphne processes behind a load balancer need one count, so production points
``CACHE_URL`` at a Redis they all reach. A rate limit must never take the platform down with it:
when that Redis cannot be reached the limits let requests through (and say so in the log) instead
of failing them.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisSerializer
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
#: The cache OPTIONS an asyncio client takes as the blocking one does.
ASYNC_CLIENT_OPTIONS = {"socket_timeout", "socket_connect_timeout", "db", "username", "password"}


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

    # Native asyncio reads and writes, for code on the server's event loop (the container answer's
    # throttle, tracking/fastlane.py). Django's own ``aget``/``aset`` run the blocking client in a
    # thread: a hop each way that costs more than the Redis round trip. One asyncio client per
    # event loop (its connections belong to that loop), the same keys, timeouts and serializer as
    # the blocking methods, and the same tolerance of an unreachable Redis.

    async def aget(self, key: str, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        try:
            value = await self._async_client().get(key)
        except UNREACHABLE as exc:
            log.warning("cache unreachable, %s read as missing: %s", key, exc)
            return default
        return default if value is None else self._serializer.loads(value)

    async def aset(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        key = self.make_and_validate_key(key, version=version)
        seconds = self.get_backend_timeout(timeout)
        try:
            if seconds == 0:
                await self._async_client().delete(key)
            else:
                await self._async_client().set(key, self._serializer.dumps(value), ex=seconds)
        except UNREACHABLE as exc:
            log.warning("cache unreachable, %s not written: %s", key, exc)

    @cached_property
    def _serializer(self) -> RedisSerializer:
        if "serializer" in self._options:
            raise ImproperlyConfigured("TolerantRedisCache's async methods use Django's default serializer only")
        return RedisSerializer()

    def _async_client(self):
        loop = asyncio.get_running_loop()
        client = self._async_clients.get(loop)
        if client is None:
            import redis.asyncio

            options = {k: v for k, v in self._options.items() if k in ASYNC_CLIENT_OPTIONS}
            client = self._async_clients[loop] = redis.asyncio.Redis.from_url(self._servers[0], **options)
        return client

    @cached_property
    def _async_clients(self) -> weakref.WeakKeyDictionary:
        return weakref.WeakKeyDictionary()


class LocalCache(LocMemCache):
    """Django's in-process cache whose ``aget``/``aset`` run in the caller's thread: they touch only
    this process's memory (under a lock held for a dictionary operation), so code on the event loop
    needs no thread hop for them. The embedded default's rate limits count here."""

    async def aget(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self.get(key, default, version)

    async def aset(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self.set(key, value, timeout, version)
