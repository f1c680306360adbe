"""What the apps' server-rendered pages share: the pager's query string, the Persian 403 page,
and the POST action whose refusal by role is a 403, not a redirect with a flash message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tracker.exceptions import ApplicationError


def query_without_page(request: HttpRequest) -> str:
    """The list's query string without ``page``: the pager's links add their own."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """A 403 page that says in Persian why (the generic handler403 page gives no reason)."""
    return render(request, "errors/error.html", {"code": 403, "message": message}, status=403)


def refusal_messages(exc: ValidationError | ApplicationError) -> list[str]:
    """The Persian sentences of a service's refusal."""
    if isinstance(exc, ApplicationError):
        return [exc.message]
    return list(exc.messages)


def post_action(
    request: HttpRequest,
    *,
    run: Callable[[], Any],
    done: str | Callable[[Any], str],
    target: str,
) -> HttpResponse:
    """Run one service for a page's POST button and go back to ``target``.

    Done: a success message and a redirect. Refused because of the user's role (the
    service's 403, e.g. a viewer pressing «برگزار شد» in a copy of the page): the 403 page
    with the service's Persian reason, so the answer is a refusal, not a redirect that looks
    like it worked. Refused by a rule of the object's state (409, 400): the reason as an
    error message on the page the user came from, where they can act on it.
    """
    try:
        result = run()
    except ApplicationError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in refusal_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect(target)
