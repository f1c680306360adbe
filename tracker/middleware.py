"""Request-size guard that answers before a view reads the body; private caching of the API."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers


class BodySizeLimitMiddleware:
    """Refuse bodies larger than the limit with 413, whatever parser would read them.

    Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only guards ``request.body`` and form parsing;
    DRF's JSON parser reads the stream directly, so the declared length is checked here.
    Multipart uploads (signed scans) get their own, larger limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        content_type = request.META.get("CONTENT_TYPE", "")
        limit = (
            settings.MAX_UPLOAD_BODY_SIZE
            if content_type.startswith("multipart/")
            else settings.MAX_REQUEST_BODY_SIZE
        )
        if length > limit:
            message = "حجم درخواست بیش از حد مجاز است."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PrivateApiCacheMiddleware:
    """Keep API answers out of shared caches: each depends on who asks.

    ConditionalGetMiddleware tags every GET answer with an ETag, but a tag alone lets a
    shared proxy keep one user's list and serve it to the next. Every answer under
    ``/api/`` (lists, details, errors, and the 304s) is therefore ``Cache-Control: private,
    no-cache`` unless the view chose its own, and varies on the credentials. It sits above
    ConditionalGetMiddleware in ``MIDDLEWARE``: answers pass through it after that one, so
    the 304 it makes from a 200 is marked too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ("Authorization", "Cookie"))
        return response
