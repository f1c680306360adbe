"""HTTP caching: weak ETags and conditional GET (304), for the API and the pages.

Two ways to get an ETag:

- :class:`ConditionalGetMiddleware` (in ``MIDDLEWARE``) tags every GET and HEAD answer
  with a weak ETag of its rendered body and answers 304 on a match. It is always right
  (the tag changes exactly when the bytes change, per user, per query string) and saves
  the bandwidth and the client's parsing, not the server's queries.
- :func:`not_modified_or_none` with a tag computed *before* the work (the aggregates key
  their tag on the cache key, which names a data fingerprint), so a 304 costs no aggregate
  query at all.

Answers depend on who asks, so every API answer, tagged or not, 304s included, is
``Cache-Control: private, no-cache`` (a shared cache must not keep it, a browser must
revalidate) and varies on the credentials: ``tracker.middleware.PrivateApiCacheMiddleware``
marks them all, so nothing here does it again.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware
from django.utils.cache import get_conditional_response
from rest_framework.request import Request


def weak_etag(*parts: bytes | str) -> str:
    """``W/"<sha256 prefix>"`` of the parts."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\x00")
    return f'W/"{digest.hexdigest()[:32]}"'


def _django_request(request: HttpRequest | Request) -> HttpRequest:
    return request._request if isinstance(request, Request) else request


def not_modified_or_none(request: HttpRequest | Request, etag: str) -> HttpResponse | None:
    """A 304 carrying ``etag`` when the client's ``If-None-Match`` matches it, else None."""
    django_request = _django_request(request)
    if django_request.method not in ("GET", "HEAD"):
        return None
    answer = get_conditional_response(django_request, etag=etag)
    if answer is None:
        return None
    answer["ETag"] = etag
    return answer


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """Django's ``ConditionalGetMiddleware`` with two differences, so that this one
    mechanism tags every view alike (the inbox and token API views used to tag their own
    body with a view mixin, beside this middleware):

    - the tag is weak, ``W/"<sha256 prefix>"`` of the body (:func:`weak_etag`), rather
      than a strong MD5, like the aggregates' tags and as docs/api.md states: a weak tag
      promises the same content, which stays true if a proxy recompresses the bytes;
    - HEAD is answered as GET is (same tag, 304 on a match) when the view rendered the
      body for it, as Django's views and DRF's do; Django skips HEAD because a view may
      render an empty body for it, and an empty body still gets no tag here.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            return response
        if (
            isinstance(response, HttpResponse)  # not streamed: the whole body is here
            and response.content
            and self.needs_etag(response)
            and not response.has_header("ETag")
        ):
            response["ETag"] = weak_etag(response.content)
        if request.method == "HEAD" and isinstance(response, HttpResponse):
            etag = response.get("ETag")
            if etag:
                return get_conditional_response(request, etag=etag, response=response) or response
        return super().process_response(request, response)
