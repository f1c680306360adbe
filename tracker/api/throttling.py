"""The per-user rate limit: DRF throttling with a counter instead of a history list.

DRF's ``UserRateThrottle`` keeps every request's timestamp of the last minute in one cache
entry and reads and rewrites the whole list on every request: at 1,200 requests a minute
that is a pickled list of 1,200 floats, fetched and stored twice per request. This throttle
keeps the DRF contract (scope ``user``, rates from ``DEFAULT_THROTTLE_RATES``, 429 with
``Retry-After``, state in the default cache, shared through Redis in production) and counts
with a *sliding window counter*: one integer per window; the estimate is this window's count
plus the previous window's, weighted by the part of it still inside the sliding window. On
Redis that is one round trip per request (``INCR`` + ``EXPIRE`` + ``GET`` in a pipeline).
The anonymous throttle counts the same way. Both key a client by the address DRF's
``NUM_PROXIES`` gives (``TRUSTED_PROXY_COUNT``), so a forged X-Forwarded-For is ignored.

When Redis does not answer, the throttles fail open to a *per-process* count in local
memory (logged once by ``tracker.cache``): each web process then enforces the rate on its
own, which is looser than the shared count but still a limit, and the API keeps answering.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError
from rest_framework import throttling

from tracker.cache import outage

#: Where the counts go while Redis is down: this process's memory.
local_counts = LocMemCache("throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})


def _backend(cache: Any) -> Any:
    return caches[DEFAULT_CACHE_ALIAS] if cache is default_cache else cache  # the proxy's


def _hit(cache: Any, current: str, previous: str, ttl: int) -> tuple[int, int, Any]:
    """Count one request in ``current``; return (current, previous) counts and the cache
    that counted it."""
    cache = _backend(cache)
    if isinstance(cache, RedisCache):
        if not outage.is_down():
            try:
                return (*_hit_redis(cache, current, previous, ttl), cache)
            except RedisError as exc:
                outage.record(exc, "the API throttles (now counted per process)")
        cache = local_counts
    cache.add(current, 0, ttl)
    try:
        counted = cache.incr(current)
    except ValueError:  # expired between add and incr
        cache.set(current, 1, ttl)
        counted = 1
    return int(counted), int(cache.get(previous) or 0), cache


def _hit_redis(cache: Any, current: str, previous: str, ttl: int) -> tuple[int, int]:
    client = cache._cache.get_client(write=True)
    cur_key = cache.make_and_validate_key(current)
    pipe = client.pipeline(transaction=False)
    pipe.incr(cur_key)
    pipe.expire(cur_key, ttl)
    pipe.get(cache.make_and_validate_key(previous))
    counted, _, before = pipe.execute()
    return int(counted), int(before or 0)


def _unhit(cache: Any, current: str) -> None:
    """Take back the count of a refused request (only allowed requests count, as in DRF)."""
    with contextlib.suppress(ValueError):  # already expired, or the cache went away
        cache.decr(current)


def seconds_until_allowed(
    previous: int, current: int, into: float, duration: int, limit: int
) -> float:
    """How long until one more request fits: the estimate ``previous * (1 - t/duration) +
    current + 1`` must not exceed ``limit``. Within this window the previous window's weight
    fades; failing that, at the next window this window's count becomes the previous one."""
    room = limit - 1
    if previous > 0 and current <= room:
        at = duration * (1 - (room - current) / previous)
        if at < duration:
            return max(0.0, at - into) + _MARGIN
    next_at = duration * (1 - room / current) if current > room else 0.0
    return (duration - into) + max(0.0, next_at) + _MARGIN


#: Added to waits so that rounding never leaves the estimate a hair above the limit.
_MARGIN = 0.001


class SlidingWindowMixin:
    """A DRF ``SimpleRateThrottle`` counting in a sliding window of counters.

    Only allowed requests are counted (a refused one is taken back), as DRF counts them, so a
    client that keeps asking faster than its rate still gets its rate; ``Retry-After`` is the
    time until one more request fits."""

    # Supplied by the DRF throttle this is mixed into.
    rate: str | None
    cache: Any
    key: str | None
    timer: Any
    get_cache_key: Any

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        duration = int(self.duration)  # type: ignore[attr-defined]
        limit = int(self.num_requests)  # type: ignore[attr-defined]
        now = self.timer()
        window, into = divmod(now, duration)
        current_key = f"{self.key}:{int(window)}"
        current, previous, counted_in = _hit(
            self.cache, current_key, f"{self.key}:{int(window) - 1}", 2 * duration
        )
        if previous * (1 - into / duration) + current <= limit:
            return True
        _unhit(counted_in, current_key)
        self._retry_after = seconds_until_allowed(previous, current - 1, into, duration, limit)
        return False

    def wait(self) -> float | None:
        return getattr(self, "_retry_after", None)


class UserRateThrottle(SlidingWindowMixin, throttling.UserRateThrottle):
    """DRF's ``UserRateThrottle`` (scope ``user``), counted in a sliding window."""


class AnonRateThrottle(SlidingWindowMixin, throttling.AnonRateThrottle):
    """DRF's ``AnonRateThrottle`` (scope ``anon``, keyed by the client address), counted in
    a sliding window."""
