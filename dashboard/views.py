"""Pages of the top layer: the home page, the API tokens of the signed-in user and the
dashboard."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from organizations import services as org_services
from organizations.models import ApiToken
from tracker.actors import actor_of

from . import cache as stats_cache
from . import selectors, stats
from .forms import ApiTokenForm, DashboardFilterForm, end_of_day

# The plain key lives in the session between the POST and the redirected GET, and is
# popped there: it is shown exactly once and never stored anywhere else.
_NEW_KEY_SESSION = "dashboard_new_api_key"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = selectors.home_for_user(user=request.user)
    return render(request, "home.html", {**context, "today": timezone.localdate()})


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        try:
            token, key = org_services.api_token_create(
                actor=actor_of(request),
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
                expires_at=end_of_day(expires_on) if expires_on else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session[_NEW_KEY_SESSION] = {"id": token.pk, "key": key}
            messages.success(request, f"توکن «{token.name}» ساخته شد.")
            return redirect("dashboard:token_list")
    new_key = request.session.pop(_NEW_KEY_SESSION, None)
    return render(
        request,
        "dashboard/apitoken_list.html",
        {
            "form": form,
            "tokens": list(selectors.api_token_list_for_user(user=request.user)),
            "new_key": new_key,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = selectors.api_token_get_for_user(user=request.user, pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    org_services.api_token_revoke(actor=actor_of(request), token=token)
    messages.success(request, f"توکن «{token.name}» باطل شد.")
    return redirect("dashboard:token_list")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The one screen: the aggregates of the stats API drawn as charts, with the filters.

    With invalid filters (an impossible date, a reversed range) the page shows the form and
    its Persian errors only: drawing unfiltered numbers under a filter the user believes is
    applied would mislead.
    """
    form = DashboardFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return render(request, "dashboard/dashboard.html", {"form": form, "stats": None})
    filters = stats.StatsFilters()
    if form.is_bound:
        data = form.cleaned_data
        filters = stats.StatsFilters(
            organization=data["organization"].pk if data["organization"] else None,
            province=data["province"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    today = stats.today().isoformat()
    sections = {}
    for name, compute in stats.AGGREGATES.items():
        key = stats_cache.cache_key(name, request.user, filters.as_dict(), today)
        sections[name.replace("-", "_")] = stats_cache.cached(
            key, functools.partial(compute, user=request.user, filters=filters)
        )
    return render(request, "dashboard/dashboard.html", {"form": form, "stats": sections})
