"""The active-filter chips of the cross-agreement commitments list: each applied filter by
its name (the agreement's reference and title, the organisation's name, the party, the
commitment's title, the status, the Jalali dates), each a link that removes it.

``party`` and ``commitment`` arrive as ids (links from the agreement page and the
dashboard); on the page they become hidden inputs, named here instead of shown as numbers.
Names are read through the user's scoped selectors: an id the user may not see is named
«نامعلوم», never by its row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest

from tracker.jalali import format_date
from tracker.text import to_persian_digits

from . import selectors

#: Filters given by id only: hidden on the page, named in their chip.
ID_ONLY = ("party", "commitment")
UNKNOWN = "نامعلوم"


def hide_id_filters(form: forms.Form) -> None:
    """The id-only filters become hidden inputs (they keep filtering; the chip names them)."""
    for name in ID_ONLY:
        if name in form.fields:
            form.fields[name].widget = forms.HiddenInput()


def _party_name(user: Any, pk: Any) -> str:
    row = (
        selectors.occurrence_list_for_user(user=user)
        .filter(commitment__party_id=pk)
        .values_list(
            "commitment__party__organization__name", "commitment__agreement__reference_number"
        )
        .first()
    )
    return f"{row[0]} در {row[1]}" if row else UNKNOWN


def _commitment_title(user: Any, pk: Any) -> str:
    title = (
        selectors.commitment_list_for_user(user=user).filter(pk=pk).values_list("title", flat=True)
    ).first()
    return title or UNKNOWN


def _shown(form: forms.Form, name: str, value: Any, user: Any) -> str:
    if name == "party":
        return _party_name(user, value)
    if name == "commitment":
        return _commitment_title(user, value)
    field = form.fields[name]
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(value) if value is not None else UNKNOWN
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    choices = dict(getattr(field, "choices", ()) or ())
    return to_persian_digits(str(choices.get(value, value)))


def active_filters(request: HttpRequest, filterset: Any) -> list[dict[str, str]]:
    """``[{label, value, remove_url}]`` for every filter applied (and valid)."""
    if not filterset.is_bound or not filterset.form.is_valid():
        return []
    form = filterset.form
    chips = []
    for name, field in form.fields.items():
        raw = request.GET.get(name, "")
        value = form.cleaned_data.get(name)
        if raw == "" or value in (None, ""):
            continue
        params = request.GET.copy()
        params.pop(name, None)
        params.pop("page", None)
        query = params.urlencode()
        chips.append(
            {
                "label": str(field.label).replace(" (شناسه)", ""),
                "value": _shown(form, name, value, request.user),
                "remove_url": f"?{query}" if query else "?",
            }
        )
    return chips
