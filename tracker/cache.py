"""Django's Redis cache, keeping one redis-py client per pool and surviving a Redis outage.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every cache
operation; each one fills a table of ~170 response callbacks before sending anything (a
dashboard answer makes four cache operations: throttle, generation, read, write). A client
object is safe to share between threads (each command takes a connection from the pool),
so one per pool is kept.

A cache is an optimisation, so its outage must not become the site's: when Redis does not
answer, every operation degrades (a read is a miss, a write is dropped, ``incr`` reports the
key as missing, which callers already handle) and a warning is logged; for a few seconds
after a failure Redis is not asked at all, so a dead server costs one timeout per process,
not one per operation. django-redis was checked: its ``IGNORE_EXCEPTIONS`` does the
degrading, but it would replace Django's backend (another client, another pickling and key
scheme) for this one feature, and it has no pause after a failure.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: Seconds during which Redis is not asked again after it failed.
PAUSE_AFTER_FAILURE = 5.0

T = TypeVar("T")


class _Outage:
    """Per-process memory of a Redis failure (shared by every cache and the throttles)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.down_until = 0.0

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def record(self, exc: BaseException, what: str) -> None:
        with self._lock:
            first = not self.is_down()
            self.down_until = time.monotonic() + PAUSE_AFTER_FAILURE
        if first:
            logger.warning(
                "Redis did not answer (%s: %s); %s degrades for %.0f s",
                type(exc).__name__,
                exc,
                what,
                PAUSE_AFTER_FAILURE,
            )


outage = _Outage()


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        this: Any = self  # Django's private helpers, not in the stubs
        pool = this._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = this._client(connection_pool=pool)
        return client

    def _safely(self, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        if outage.is_down():
            return fallback()
        try:
            return call()
        except RedisError as exc:
            outage.record(exc, "the cache")
            return fallback()

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return self._safely(lambda: super(_ReusingClient, self).add(key, value, timeout), _false)

    def get(self, key: Any, default: Any) -> Any:
        return self._safely(lambda: super(_ReusingClient, self).get(key, default), lambda: default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._safely(lambda: super(_ReusingClient, self).set(key, value, timeout), _none)

    def touch(self, key: Any, timeout: Any) -> bool:
        return self._safely(lambda: super(_ReusingClient, self).touch(key, timeout), _false)

    def delete(self, key: Any) -> bool:
        return self._safely(lambda: super(_ReusingClient, self).delete(key), _false)

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return self._safely(lambda: super(_ReusingClient, self).get_many(keys), dict)

    def has_key(self, key: Any) -> bool:
        return self._safely(lambda: super(_ReusingClient, self).has_key(key), _false)

    def incr(self, key: Any, delta: int) -> Any:
        return self._safely(lambda: super(_ReusingClient, self).incr(key, delta), _missing)

    def set_many(self, data: Any, timeout: Any) -> None:
        self._safely(lambda: super(_ReusingClient, self).set_many(data, timeout), _none)

    def delete_many(self, keys: Any) -> None:
        self._safely(lambda: super(_ReusingClient, self).delete_many(keys), _none)

    def clear(self) -> bool:
        return self._safely(lambda: super(_ReusingClient, self).clear(), _false)


def _false() -> bool:
    return False


def _none() -> None:
    return None


def _missing() -> Any:
    raise ValueError("the cache is unavailable")


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ReusingClient
