"""The client's address, read the way DRF's throttles read it (``NUM_PROXIES``).

django-ipware (what django-axes would use) was checked: it ranks a list of headers and
guesses at private ranges, so it and DRF could disagree about one request, and an attacker
who sends an X-Forwarded-For of its own could pick the address it is counted under. Here
there is one rule, the one DRF's ``get_ident`` already applies: with
``TRUSTED_PROXY_COUNT = n > 0`` the address is the n-th entry from the right of
X-Forwarded-For (the one our nearest proxy appended); with 0 it is ``REMOTE_ADDR`` and the
header is ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(settings.TRUSTED_PROXY_COUNT)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",")]
    return addresses[-min(proxies, len(addresses))] or remote
