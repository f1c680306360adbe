"""Shared pieces of the meeting forms: the choices read once per page, the small textarea,
and the «پایان» field that takes a time alone or a full Jalali date and time."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from organizations.models import Organization
from organizations.selectors import person_list_for_user
from tracker.forms import LimitedCharField
from tracker.jalali import (
    JalaliDateError,
    parse_datetime,
)
from tracker.text import normalize, to_latin_digits, to_persian_digits

TEXTAREA_SMALL = forms.Textarea(attrs={"rows": 2})


def active_organizations() -> Any:
    return Organization.objects.filter(is_active=True).order_by("name")


class Choices:
    """The people and organisations offered in every row, read once per page (a select per
    row would otherwise run one query per row)."""

    def __init__(self, user: Any) -> None:
        empty = [("", "---------")]
        people = list(person_list_for_user(user=user).order_by("full_name", "id"))
        self.people = empty + [
            (
                p.pk,
                f"{p.full_name} ({p.position_title}، {p.organization.name})"
                if p.position_title
                else f"{p.full_name} ({p.organization.name})",
            )
            for p in people
        ]
        # What choosing a person fills in their row (static/js/meeting-form-widgets.js).
        self.person_details = {
            str(p.pk): {"title": p.position_title, "organization": p.organization_id}
            for p in people
        }
        self.organizations = empty + [(o.pk, o.name) for o in active_organizations()]


def use_choices(form: forms.Form, name: str, queryset: Any, choices: list[Any]) -> None:
    field = form.fields[name]
    field.queryset = queryset  # type: ignore[attr-defined]  # validation looks rows up here
    field.widget.choices = choices  # type: ignore[attr-defined]  # rendering reads no rows


# «۱۲:۰۰», «12:00», «ساعت ۱۲», «ساعت ۱۲:۳۰», «۱۲٫۳۰» (after normalize: Latin digits).
_TIME_ONLY_RE = re.compile(r"(?:ساعت\s*)?(?P<h>\d{1,2})(?:\s*[:٫.]\s*(?P<m>\d{1,2}))?")


class EndField(forms.Field):
    """The end of a meeting: a time alone («۱۲:۰۰», «ساعت ۱۲»), taken on the start's day in
    Tehran (see :meth:`MeetingForm.clean`), or a full Jalali date and time. ``to_python``
    gives a ``time`` for the first, an aware ``datetime`` for the second."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "placeholder": "۱۲:۰۰"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime | time):
            return value
        typed = str(value).strip()
        shown = to_persian_digits(typed)
        if m := _TIME_ONLY_RE.fullmatch(normalize(typed)):
            hour, minute = int(m["h"]), int(m["m"] or 0)
            if hour > 23 or minute > 59:
                raise ValidationError(
                    f"«{shown}» ساعت درستی نیست: ساعت از ۰ تا ۲۳ و دقیقه از ۰ تا ۵۹ است.",
                    code="invalid",
                )
            return time(hour, minute)
        try:
            return parse_datetime(typed)
        except JalaliDateError as exc:
            raise ValidationError(
                f"«{shown}» نه ساعت است نه تاریخ و ساعت؛ ساعت پایان را مثل ۱۲:۰۰ یا "
                f"تاریخ و ساعت را مثل ۱۳۹۹/۰۵/۱۱ ۱۲:۰۰ بنویسید. "
                f"({to_persian_digits(exc.message)})",
                code="invalid",
            ) from exc


class PersianDigitsInput(forms.TextInput):
    """A text input that shows its digits in Persian («۹۸۲۷», not «9827» as read)."""

    def format_value(self, value: Any) -> str | None:
        shown = super().format_value(value)
        return to_persian_digits(shown) if shown else shown


class DigitsCharField(LimitedCharField):
    """A short text of digits and words (a paper's issue or page number): shown in Persian
    digits, typed in Persian, Arabic-Indic or Latin digits, kept in Latin digits as the
    report reader and the API give it (so an untouched value is no change)."""

    widget = PersianDigitsInput

    def to_python(self, value: Any) -> str:
        return to_latin_digits(super().to_python(value) or "")
