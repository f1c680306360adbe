"""The acting user of a request, typed for the services' ``actor: User``.

``request.user`` is ``User | AnonymousUser``. Every way in that writes is behind a login
(``login_required`` pages, the API's authenticated-only permission, the staff-only admin),
so an anonymous user reaching a service would be a wiring mistake: it is refused here with
a 403 instead of travelling into a service that assumes a real user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.http import HttpRequest
    from rest_framework.request import Request


def actor_of(request: HttpRequest | Request) -> User:
    """The signed-in user of ``request``; 403 for an anonymous one."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        return user
    raise PermissionDenied("برای این کار ابتدا وارد سامانه شوید.")
