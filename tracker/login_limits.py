"""Login protection with a limit per counter (django-axes' database handler, one method
overridden).

django-axes 8.3 counts failures under several lockout parameters (``AXES_LOCKOUT_PARAMETERS``:
here the username at one address, the username from anywhere, and the address) but compares
every counter with one ``AXES_FAILURE_LIMIT``. One limit for all fits none of them: 10
failures from one office address (many users behind one NAT) would lock everyone there,
and a limit high enough for an office lets one attacker guess a username for long. So each
counter gets its own limit (``LOGIN_FAILURE_LIMITS``, keyed by the parameter names), and
:meth:`TieredLimitsHandler.get_failures` reports the counters scaled to the one limit axes
compares with: ``failures * base // limit`` reaches ``base`` exactly when ``failures``
reaches ``limit``. Everything else (recording, cool-off, logs, admin, the lockout
response) is axes' own, but for one more override: a successful login clears only that
username's counters (:meth:`TieredLimitsHandler.reset_user_attempts`). Axes clears every
counter the login matched, the address's too, so anyone with an account could sign in
between guesses and wipe the counts of the usernames they guess at from the same address.
Checked: axes' ``AXES_FAILURE_LIMIT`` callable gets the request but
not the counter, and its cache handler has the same single limit; no other kept library
for Django does per-counter limits on the three doors.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _key(parameter: str | list[str]) -> str:
    return parameter if isinstance(parameter, str) else ",".join(parameter)


class TieredLimitsHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes' database handler with one failure limit per lockout parameter."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        base = get_failure_limit(request, credentials)
        limits: dict[str, int] = getattr(settings, "LOGIN_FAILURE_LIMITS", {})
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            limit = limits.get(_key(parameter)) or base
            worst = max(worst, failures * base // limit)
        return worst

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """After a successful login: forget that username's failures (at every address),
        never those of other usernames at the same address."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(count)
