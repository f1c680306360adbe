"""Commitments: fulfilment rate and late counts per party (one organisation on one
agreement), per organisation (across agreements) and per Jalali month of the due date.

Counted per occurrence (each due date of a commitment). «Late» is overdue whether or not
the late job has run yet (late, or open past its due date); the fulfilment rate is
done ÷ (done + late): what was due and what of it was kept; waived occurrences and open
ones not yet due do not count. Three grouped queries whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet

from commitments.choices import OccurrenceStatus
from commitments.models import CommitmentOccurrence
from commitments.selectors import occurrence_list_for_user, overdue_q
from tracker.jalali import MONTH_NAMES, jalali_string, month_bounds, to_jalali_date
from tracker.text import to_persian_digits

from .common import StatsFilters, envelope, today
from .links import list_url

LIST = "commitments:occurrence_list"
_MEASURES = ("done", "late", "open", "waived")


def occurrences_for(user: Any, filters: StatsFilters) -> QuerySet[CommitmentOccurrence]:
    """Visible occurrences of the filtered party organisation (or province), due in range."""
    qs = occurrence_list_for_user(user=user).select_related(None)
    if filters.organization:
        qs = qs.filter(commitment__party__organization_id=filters.organization)
    if filters.province:
        qs = qs.filter(commitment__party__organization__province=filters.province)
    if filters.date_from:
        qs = qs.filter(due_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(due_date__lte=filters.date_to)
    return qs.order_by()


def _counts(qs: QuerySet[Any], *group: str) -> QuerySet[Any]:
    late = overdue_q(today())
    return (
        qs.values(*group)
        .annotate(
            done=Count("pk", filter=Q(status=OccurrenceStatus.DONE)),
            late=Count("pk", filter=late),
            open=Count("pk", filter=Q(status=OccurrenceStatus.OPEN) & ~late),
            waived=Count("pk", filter=Q(status=OccurrenceStatus.WAIVED)),
        )
        .order_by(*group)
    )


def rate(row: dict[str, Any]) -> float | None:
    counted = row["done"] + row["late"]
    return round(row["done"] / counted, 4) if counted else None


def _measures(row: dict[str, Any]) -> dict[str, Any]:
    values = {name: int(row[name]) for name in _MEASURES}
    return {**values, "fulfilment_rate": rate(values)}


def _range_params(filters: StatsFilters) -> dict[str, Any]:
    return {
        "due_after": filters.date_from.isoformat() if filters.date_from else None,
        "due_before": filters.date_to.isoformat() if filters.date_to else None,
    }


def commitment_stats(*, user: Any, filters: StatsFilters) -> dict[str, Any]:
    qs = occurrences_for(user, filters)
    base = {"organization": filters.organization, **_range_params(filters)}

    def links(params: dict[str, Any]) -> dict[str, str]:
        merged = {**base, **params}
        return {
            "url": list_url(LIST, merged),
            "late_url": list_url(LIST, {**merged, "overdue": "true"}),
        }

    totals: dict[str, Any] = dict.fromkeys(_MEASURES, 0)
    by_party = []
    by_org: dict[int, dict[str, Any]] = {}
    party_rows = _counts(
        qs,
        "commitment__party_id",
        "commitment__party__organization_id",
        "commitment__party__organization__name",
        "commitment__agreement_id",
        "commitment__agreement__reference_number",
    )
    for row in party_rows:
        org_id = row["commitment__party__organization_id"]
        for name in _MEASURES:
            totals[name] += row[name]
            org = by_org.setdefault(
                org_id,
                {
                    "name": row["commitment__party__organization__name"],
                    **dict.fromkeys(_MEASURES, 0),
                },
            )
            org[name] += row[name]
        by_party.append(
            {
                "party": row["commitment__party_id"],
                "organization": org_id,
                "name": row["commitment__party__organization__name"],
                "agreement": row["commitment__agreement_id"],
                "agreement_reference": row["commitment__agreement__reference_number"],
                **_measures(row),
                **links(
                    {
                        "agreement": row["commitment__agreement_id"],
                        "party": row["commitment__party_id"],
                    }
                ),
            }
        )
    by_party.sort(key=lambda r: (-r["late"], r["name"], r["agreement_reference"]))
    organizations = sorted(
        (
            {
                "organization": org_id,
                "name": row["name"],
                **_measures(row),
                **links({"organization": org_id}),
            }
            for org_id, row in by_org.items()
        ),
        key=lambda r: (-r["late"], r["name"]),
    )
    months: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(_MEASURES, 0))
    for row in _counts(qs, "due_date"):
        j = to_jalali_date(row["due_date"])
        for name in _MEASURES:
            months[(j.year, j.month)][name] += row[name]
    by_month = []
    for (year, month), row in sorted(months.items()):
        start, end = month_bounds(year, month)
        by_month.append(
            {
                "year": year,
                "month": month,
                "month_name": MONTH_NAMES[month - 1],
                "label": f"{MONTH_NAMES[month - 1]} {to_persian_digits(str(year))}",
                **_measures(row),
                **links({"due_after": start.isoformat(), "due_before": end.isoformat()}),
            }
        )
    now_day = today()
    return envelope(
        filters,
        today=now_day.isoformat(),
        today_jalali=jalali_string(now_day),
        totals=_measures(totals),
        **links({}),
        by_party=by_party[: filters.limit],
        by_organization=organizations[: filters.limit],
        by_month=by_month,
    )
