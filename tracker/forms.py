"""Forms that belong to no domain app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError

from tracker.text import to_latin_digits, to_persian_digits


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "نام کاربری یا گذرواژه نادرست است.",
        "inactive": "این حساب غیرفعال است.",
    }


class LimitedCharField(forms.CharField):
    """A text field whose length limit is refused in Persian with Persian digits (Django's
    own message gives the numbers in Latin digits). The limits are in :mod:`tracker.limits`."""

    def __init__(self, *args: Any, max_length: int, **kwargs: Any) -> None:
        messages = {
            "max_length": f"این متن باید حداکثر {to_persian_digits(str(max_length))} نویسه باشد.",
            **kwargs.pop("error_messages", {}),
        }
        super().__init__(*args, max_length=max_length, error_messages=messages, **kwargs)


class PersianNumberInput(forms.TextInput):
    """A text input for a whole number: a phone shows its digit pad (inputmode), and Persian
    digits typed stay (a type=number input silently drops «۵»). Shown in Persian digits."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"inputmode": "numeric", "autocomplete": "off", "class": "number"}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        return to_persian_digits(str(value))


class PersianIntegerField(forms.IntegerField):
    """A whole number typed with Persian, Arabic-Indic or Latin digits; errors in Persian
    that repeat what was typed (in Persian digits)."""

    widget = PersianNumberInput

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = to_latin_digits(str(value)).strip().replace("٬", "").replace(",", "")
        if text in self.empty_values:
            return None
        try:
            return int(text)
        except ValueError:
            shown = to_persian_digits(str(value).strip())
            raise ValidationError(
                f"«{shown}» عدد نیست؛ یک عدد صحیح بنویسید، مثلاً ۵.", code="invalid"
            ) from None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(
                f"«{to_persian_digits(str(value))}» کمتر از حد مجاز است؛ "
                f"عددی از {to_persian_digits(str(self.min_value))} به بالا بنویسید.",
                code="min_value",
            )
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                f"«{to_persian_digits(str(value))}» بیشتر از حد مجاز است؛ "
                f"بیشترین مقدار {to_persian_digits(str(self.max_value))} است.",
                code="max_value",
            )

    def run_validators(self, value: Any) -> None:
        # The range is checked (in Persian) by validate(); Django's validators say it again
        # in Latin digits.
        return None


class AxesPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the old password checked through ``authenticate()``
    so that django-axes counts a wrong one like a failed login (and refuses the check while
    the username is locked out): the page is not a way around the login's lockout. Django's
    own form calls ``check_password()``, which axes never sees."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "گذرواژه فعلی نادرست است. دوباره وارد کنید.",
        "password_mismatch": "دو گذرواژه تازه یکسان نیستند.",
    }

    def __init__(self, user: Any, *args: Any, request: Any = None, **kwargs: Any) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        checked = authenticate(
            self.request, username=self.user.get_username(), password=old_password
        )
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password
