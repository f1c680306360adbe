"""The next reference number an owner would give a new agreement in a Jalali year.

Municipal secretariats number their MoUs «<letter>/<year>/<serial>» («ت/۱۳۹۹/۰۰۱»); the
suggestion continues the owner's own pattern for the year (its prefix and zero padding) and
starts at «ت/<year>/۰۰۱». The form only proposes it: the number stays the user's to change,
and uniqueness per owner is still checked by the service and the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from organizations.choices import Role
from organizations.models import Organization
from organizations.scoping import org_scope_for_user
from tracker.jalali import to_jalali_date
from tracker.text import to_latin_digits, to_persian_digits

from ..models import Agreement
from .visibility import tehran_today

DEFAULT_PREFIX = "ت"

# Keys are normalize()d: Latin digits, ی/ک. «ت/1399/001», «ق-1399-12».
_PATTERN = re.compile(r"^(?P<prefix>.*?)(?P<sep>[/-])(?P<year>\d{4})(?P=sep)(?P<serial>\d+)$")


def current_jalali_year() -> int:
    return int(to_jalali_date(tehran_today()).year)


def agreement_next_references(
    *, owner_ids: Iterable[int], year: int | None = None
) -> dict[int, str]:
    """``{owner id: suggested number}`` for every owner given; one query for all of them
    (only the owners' numbers of that year are read)."""
    year = year or current_jalali_year()
    owners = sorted(set(owner_ids))
    best: dict[int, tuple[int, str, str, int]] = {}
    rows = Agreement.objects.filter(
        owning_organization_id__in=owners, reference_key__contains=str(year)
    ).values_list("owning_organization_id", "reference_number", "reference_key")
    for owner, number, key in rows:
        match = _PATTERN.match(key)
        if match is None or int(match["year"]) != year:
            continue
        serial = int(match["serial"])
        if owner not in best or serial > best[owner][0]:
            # The prefix as the owner wrote it (its letters), taken from the stored number.
            shown = _PATTERN.match(" ".join(to_latin_digits(number).split()))
            prefix = shown["prefix"] if shown else match["prefix"]
            best[owner] = (serial, prefix, match["sep"], len(match["serial"]))
    result = {}
    for owner in owners:
        serial, prefix, sep, width = best.get(owner, (0, DEFAULT_PREFIX, "/", 3))
        result[owner] = to_persian_digits(f"{prefix}{sep}{year}{sep}{serial + 1:0{width}d}")
    return result


def agreement_owner_choices(*, user: Any) -> QuerySet[Organization]:
    """The organisations ``user`` may open an agreement for (staff there; all for a
    superuser), by name: what the form's «سازمان مالک» offers."""
    scope = org_scope_for_user(user)
    owners = Organization.objects.order_by("name", "id")
    if scope.everything:
        return owners
    return owners.filter(pk__in=sorted(scope.ids_with_role(Role.STAFF)))


#: Above this many owners (a superuser) the form gets no per-owner suggestions: the map
#: would be as long as the directory, and a superuser types the number anyway.
MAX_SUGGESTED_OWNERS = 100


def agreement_form_initial(
    *, user: Any, owners: QuerySet[Organization], preferred_owner_id: int | None = None
) -> tuple[dict[str, Any], dict[int, str]]:
    """The create form's initial owner and number, and the per-owner suggestions.

    The owner is preselected when the user may own for exactly one organisation (or when
    ``preferred_owner_id``, e.g. a meeting's host, is one of them)."""
    owner_ids = list(owners.values_list("pk", flat=True)[: MAX_SUGGESTED_OWNERS + 1])
    if len(owner_ids) > MAX_SUGGESTED_OWNERS:
        suggestions: dict[int, str] = {}
        owner_ids = [preferred_owner_id] if preferred_owner_id is not None else []
        if owner_ids:
            suggestions = agreement_next_references(owner_ids=owner_ids)
    else:
        suggestions = agreement_next_references(owner_ids=owner_ids)
    initial: dict[str, Any] = {}
    if preferred_owner_id is not None and preferred_owner_id in owner_ids:
        initial["owning_organization"] = preferred_owner_id
    elif len(owner_ids) == 1:
        initial["owning_organization"] = owner_ids[0]
    if "owning_organization" in initial:
        initial["reference_number"] = suggestions[initial["owning_organization"]]
    return initial, suggestions
