"""HTTP caching: weak ETags and conditional GET (304) for API answers.

Two ways to get an ETag:

- :class:`ConditionalGetMixin` on any DRF view hashes the rendered body of a 200 GET.
  It is always right (the tag changes exactly when the bytes change, per user, per query
  string) and saves the bandwidth and the client's parsing, not the server's queries.
- :func:`not_modified_or_none` with a tag computed *before* the work (the aggregates key
  their tag on the cache key, which names a data fingerprint), so a 304 costs no aggregate
  query at all.

Answers depend on who asks, so every tagged answer is ``Cache-Control: private, no-cache``
(a shared cache must not keep it, a browser must revalidate) and varies on the credentials.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from rest_framework.request import Request
from rest_framework.response import Response


def weak_etag(*parts: bytes | str) -> str:
    """``W/"<sha256 prefix>"`` of the parts."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\x00")
    return f'W/"{digest.hexdigest()[:32]}"'


def mark_private(response: HttpResponseBase) -> None:
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Authorization", "Cookie"))


def _django_request(request: HttpRequest | Request) -> HttpRequest:
    return request._request if isinstance(request, Request) else request


def not_modified_or_none(
    request: HttpRequest | Request, etag: str, response: HttpResponseBase | None = None
) -> HttpResponse | None:
    """A 304 carrying ``etag`` when the client's ``If-None-Match`` matches it, else None.

    Given the 200 ``response`` it stands for, the 304 carries that answer's ``Vary`` and
    ``Cache-Control`` too (RFC 9110: a cache updates the stored answer's headers from it)."""
    django_request = _django_request(request)
    if django_request.method not in ("GET", "HEAD"):
        return None
    answer = get_conditional_response(
        django_request,
        etag=etag,
        response=response,  # type: ignore[arg-type]
    )
    if answer is None:
        return None
    answer["ETag"] = etag
    mark_private(answer)
    return answer  # type: ignore[return-value]


class ConditionalGetMixin:
    """DRF view mixin: weak ETag from the rendered body of a 200 GET, 304 on a match."""

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming or response.has_header("ETag"):
            return response
        if hasattr(response, "render"):
            response.render()
        etag = weak_etag(response.content)  # type: ignore[attr-defined]
        response["ETag"] = etag
        mark_private(response)
        not_modified = not_modified_or_none(request, etag, response)
        if not_modified is not None:
            return not_modified  # type: ignore[return-value]
        return response
