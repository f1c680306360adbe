"""Default API permission: signed in, and a read-only token may only read."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request


class IsAuthenticatedAndTokenAllows(permissions.IsAuthenticated):
    message = "برای این کار باید وارد شوید."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        token = request.auth
        if getattr(token, "read_only", False) and request.method not in permissions.SAFE_METHODS:
            self.message = "این توکن فقط خواندنی است."
            return False
        return True
