"""API authentication: ``Authorization: Token <key>`` against hashed, named tokens.

It lives with the tokens (``organizations.ApiToken``) rather than in ``tracker/api``: the
ground floor may not import organisations. ``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]``
names it by its dotted path, which is configuration, not an import.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from organizations.services import api_token_authenticate


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Token authentication against ``organizations.ApiToken`` (stored as SHA-256)."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("سرآیند توکن نامعتبر است.")
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("توکن نامعتبر است.") from exc
        token = api_token_authenticate(key=key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("توکن نامعتبر، منقضی یا باطل‌شده است.")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "organizations.api.auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; create one at POST /api/v1/auth/token/.",
        }
