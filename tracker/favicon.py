"""``/favicon.ico``: browsers and crawlers ask for it at the root whatever the pages link
(the pages link ``static/img/favicon.svg``), and each 404 filled the logs. It serves the
static icon ``static/img/favicon.ico`` itself (an ICO drawn from the SVG), read once, with a
day's caching. Whitenoise serves only ``STATIC_URL`` (and ``WHITENOISE_ROOT``, which would
need a directory of its own for one file)."""

from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

ICON = "img/favicon.ico"


@cache
def _icon() -> bytes | None:
    path = finders.find(ICON)
    if not path or isinstance(path, list):
        return None
    with open(path, "rb") as handle:
        return handle.read()


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    icon = _icon()
    if icon is None:
        raise Http404
    return HttpResponse(icon, content_type="image/x-icon")
