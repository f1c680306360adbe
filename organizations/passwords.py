"""A changed password ends what the old one opened: the user's API tokens are revoked.

Django calls ``password_changed()`` of every configured password validator after any
password change is saved (the admin, ``changepassword``, the password-change page,
``set_password()`` + ``save()``), which no single view or service sees; this validator
checks nothing and uses only that hook. The user's other sessions end by Django's own
mechanism: a session remembers a hash of the password it was opened with, and
``AuthenticationMiddleware`` logs out a session whose hash no longer matches (the session
that changed the password keeps itself with ``update_session_auth_hash``).
"""

from __future__ import annotations

from typing import Any

from .services import api_tokens_revoke_all


class RevokeTokensOnPasswordChange:
    """Not a rule on passwords: revokes the user's API tokens once a new one is saved."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        api_tokens_revoke_all(user=user)

    def get_help_text(self) -> str:
        # Shown among the password rules: what a change does, rather than an empty item.
        return "با تغییر گذرواژه، همه توکن‌های API این کاربر باطل می‌شوند."
