"""Django's password rules with Persian messages.

Django 5.2 changed the text of these messages (``%d`` instead of ``%(min_length)d``) and
its Persian catalogue still has the old ones, so the password pages (the self-service
change, the admin) showed them in English. Same rules, Persian words, Persian digits; only
the message methods are overridden.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    UserAttributeSimilarityValidator,
)

from .text import to_persian_digits


class PersianMinimumLengthValidator(MinimumLengthValidator):
    def get_error_message(self) -> str:
        count = to_persian_digits(str(self.min_length))
        return f"این گذرواژه خیلی کوتاه است: دست‌کم {count} نویسه لازم است."

    def get_help_text(self) -> str:
        return f"گذرواژه دست‌کم {to_persian_digits(str(self.min_length))} نویسه باشد."


class PersianUserAttributeSimilarityValidator(UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        # ``verbose_name`` is filled in by Django (the field's Persian verbose name).
        return "این گذرواژه به «%(verbose_name)s» شما بیش از اندازه شبیه است."

    def get_help_text(self) -> str:
        return "گذرواژه نباید به نام کاربری، نام یا نشانی ایمیل شما شبیه باشد."
