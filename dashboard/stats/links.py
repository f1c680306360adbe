"""The links behind the numbers: list and detail pages, with the aggregate's filters as the
list's query string.

An answer carries up to hundreds of links, so each URL name is reversed once per URL
configuration and then formatted with the id (see :func:`page_url`).
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django_filters import FilterSet

from agreements.filters import AgreementFilter
from meetings.filters import ActionItemFilter, MeetingFilter

from .common import StatsFilters

#: Where the list and detail pages live, for when a URL name is not (yet) registered.
_FALLBACK_PATHS = {
    "agreements:agreement_list": "/agreements/",
    "meetings:meeting_list": "/meetings/",
    "meetings:action_item_list": "/meetings/action-items/",
    "agreements:agreement_detail": "/agreements/{}/",
    "meetings:meeting_detail": "/meetings/{}/",
}


def _reverse(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return _FALLBACK_PATHS[name].format(*args)


# Stands for the id in a reversed URL turned into a template (digits: matches <int:pk>).
_PK_MARK = "918273645"


@functools.lru_cache(maxsize=128)
def _url_template(name: str, with_pk: bool, _urlconf: Any, _root: str, _prefix: str) -> str:
    """``reverse`` once per URL name and URL configuration (the last three arguments are
    only the cache key): a ``str.format`` template with ``{}`` for the id, or "" when the
    mark cannot be found (then every URL is reversed)."""
    url = _reverse(name, int(_PK_MARK)) if with_pk else _reverse(name)
    escaped = url.replace("{", "{{").replace("}", "}}")
    if not with_pk:
        return escaped
    return escaped.replace(_PK_MARK, "{}", 1) if escaped.count(_PK_MARK) == 1 else ""


def page_url(name: str, *args: Any) -> str:
    """``reverse(name, args=args)``; the reversing is done once per name (stats list up to
    hundreds of links per answer), each URL is then the template with the id formatted in."""
    if len(args) > 1 or (args and not isinstance(args[0], int)):
        return _reverse(name, *args)
    key = (get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())
    template = _url_template(name, bool(args), *key)
    if not template:
        return _reverse(name, *args)
    return template.format(*args)


def list_url(name: str, params: dict[str, Any]) -> str:
    """The list page ``name`` with ``params`` (empty values dropped) as its query string; a
    list or tuple value repeats its parameter (``status=held&status=minutes_approved``)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    url = page_url(name)
    return f"{url}?{query}" if query else url


# The links behind the numbers carry the filters, in the names each list's FilterSet accepts
# (a name it does not declare would be ignored silently and open an unfiltered list). The
# lists gain aliases over time (``organization`` = owner or party on agreements, ``province``),
# so their declared filters are read rather than assumed; the tests follow every link.


def _accepts(filterset: type[FilterSet], name: str) -> bool:
    return name in filterset.base_filters


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def agreement_list_params(filters: StatsFilters) -> dict[str, Any]:
    """The agreement list's parameters for the organisation/province filters."""
    params: dict[str, Any] = {}
    if filters.organization:
        # The stats count agreements the organisation owns *or* is a party to.
        name = (
            "organization" if _accepts(AgreementFilter, "organization") else "owning_organization"
        )
        params[name] = filters.organization
    if filters.province and _accepts(AgreementFilter, "province"):
        params["province"] = filters.province
    return params


def _params_with_dates(
    filterset: type[FilterSet], filters: StatsFilters, date_from: str, date_to: str
) -> dict[str, Any]:
    """Organisation, province (where the list takes it) and the date range, under the
    names the list gives the range's two ends."""
    params: dict[str, Any] = {"organization": filters.organization}
    if filters.province and _accepts(filterset, "province"):
        params["province"] = filters.province
    params[date_from] = _iso(filters.date_from)
    params[date_to] = _iso(filters.date_to)
    return params


def meeting_list_params(filters: StatsFilters) -> dict[str, Any]:
    """The meeting list's parameters: organisation (host or participant), province, dates."""
    return _params_with_dates(MeetingFilter, filters, "date_from", "date_to")


def action_item_list_params(filters: StatsFilters) -> dict[str, Any]:
    """The action-item list's parameters: owning organisation, province, due-date range."""
    return _params_with_dates(ActionItemFilter, filters, "due_after", "due_before")
