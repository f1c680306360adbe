"""A Jalali date field bound to an ISO date (a dashboard link's ``due_from=2026-11-22``)
shows the Jalali date, not the Gregorian digits (found by a tester)."""

from __future__ import annotations

from django import forms

from tracker.jalali.forms import JalaliDateField


class _Form(forms.Form):
    due_from = JalaliDateField(required=False)


def test_an_iso_date_in_the_query_is_shown_in_jalali() -> None:
    html = str(_Form(data={"due_from": "2026-11-22"})["due_from"])
    assert 'value="۱۴۰۵/۰۹/۰۱"' in html


def test_what_was_typed_stays_as_typed_in_persian_digits() -> None:
    assert 'value="۱۴۰۵/۹/۱"' in str(_Form(data={"due_from": "1405/9/1"})["due_from"])
    assert 'value="۲۰۲۶-۱۳-۴۰"' in str(_Form(data={"due_from": "2026-13-40"})["due_from"])
