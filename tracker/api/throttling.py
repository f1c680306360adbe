"""The per-user rate limit: DRF throttling with a counter instead of a history list.

DRF's ``UserRateThrottle`` keeps every request's timestamp of the last minute in one cache
entry and reads and rewrites the whole list on every request: at 1,200 requests a minute
that is a pickled list of 1,200 floats, fetched and stored twice per request. This throttle
keeps the DRF contract (scope ``user``, rates from ``DEFAULT_THROTTLE_RATES``, 429 with
``Retry-After``, state in the default cache, shared through Redis in production) and counts
with a *sliding window counter*: one integer per window; the estimate is this window's count
plus the previous window's, weighted by the part of it still inside the sliding window. On
Redis that is one round trip per request (``INCR`` + ``EXPIRE`` + ``GET`` in a pipeline).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling


def _hit(cache: Any, current: str, previous: str, ttl: int) -> tuple[int, int]:
    """Count one request in ``current``; return (current, previous) counts."""
    if cache is default_cache:  # the proxy: the backend behind it
        cache = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        cur_key = cache.make_and_validate_key(current)
        pipe = client.pipeline(transaction=False)
        pipe.incr(cur_key)
        pipe.expire(cur_key, ttl)
        pipe.get(cache.make_and_validate_key(previous))
        counted, _, before = pipe.execute()
        return int(counted), int(before or 0)
    cache.add(current, 0, ttl)
    try:
        counted = cache.incr(current)
    except ValueError:  # expired between add and incr
        cache.set(current, 1, ttl)
        counted = 1
    return int(counted), int(cache.get(previous) or 0)


class UserRateThrottle(throttling.UserRateThrottle):
    """``UserRateThrottle`` (scope ``user``) counting in a sliding window of counters."""

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        duration = int(self.duration)  # type: ignore[attr-defined]
        now = self.timer()
        window, into = divmod(now, duration)
        current, previous = _hit(
            self.cache, f"{self.key}:{int(window)}", f"{self.key}:{int(window) - 1}", 2 * duration
        )
        self._retry_after = duration - into
        estimate = previous * (1 - into / duration) + current
        return bool(estimate <= self.num_requests)  # type: ignore[attr-defined]

    def wait(self) -> float | None:
        return getattr(self, "_retry_after", None)
