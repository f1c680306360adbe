"""Agreements signed and meetings held per Jalali month, quarter and fiscal year.

Jalali buckets are computed in Python from per-day SQL counts: a day belongs to exactly
one Jalali month, and there are at most a few hundred days in a range, so the database
does the counting and Python only relabels.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate

from tracker.jalali import (
    MONTH_NAMES,
    TEHRAN,
    fiscal_year_bounds,
    jalali_string,
    month_bounds,
    quarter_of,
    to_jalali_date,
)
from tracker.text import to_persian_digits

from .. import summaries
from .common import (
    HELD_STATUSES,
    SIGNED_STATUSES,
    StatsFilters,
    agreements_for,
    envelope,
    meetings_for,
    summarised,
    today,
)
from .links import agreement_list_params, list_url, meeting_list_params

QUARTER_NAMES = ("بهار", "تابستان", "پاییز", "زمستان")


def default_range(filters: StatsFilters) -> tuple[date, date]:
    """The filter's range, or the previous and the current fiscal year up to today."""
    end = filters.date_to or today()
    if filters.date_from:
        return filters.date_from, end
    jyear = to_jalali_date(end).year
    return fiscal_year_bounds(jyear - 1)[0], end


def _months_between(start: date, end: date) -> list[tuple[int, int]]:
    j = to_jalali_date(start)
    last = to_jalali_date(end)
    months = []
    year, month = j.year, j.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _fa(n: int) -> str:
    return to_persian_digits(str(n))


def _row_counts(
    user: Any, filters: StatsFilters, start: date, end: date
) -> tuple[dict[date, int], dict[date, int]]:
    """Signed agreements and held meetings per day, from the rows (filtered answers)."""
    signed = {
        day: n
        for day, n in agreements_for(user, filters)
        .filter(status__in=SIGNED_STATUSES, signed_date__gte=start, signed_date__lte=end)
        .values_list("signed_date")
        .annotate(n=Count("id"))
        .values_list("signed_date", "n")
        if day is not None  # never: the range excludes null; for the type checker
    }
    held: dict[date, int] = dict(
        meetings_for(user, filters)
        .filter(
            status__in=HELD_STATUSES,
            start__gte=datetime.combine(start, time.min, tzinfo=TEHRAN),
            start__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=TEHRAN),
        )
        .annotate(day=TruncDate("start", tzinfo=TEHRAN))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    return signed, held


def timeline(*, user: Any, filters: StatsFilters) -> dict[str, Any]:
    """Agreements signed and meetings held per Jalali month, quarter and fiscal year.

    Two grouped queries (signed agreements per ``signed_date``, held meetings per Tehran
    day of ``start``); the days are then bucketed by :func:`tracker.jalali.month_bounds`.
    """
    start, end = default_range(filters)
    scope_id = summaries.scope_id_for(user) if summarised(filters) else None
    if scope_id is not None:
        signed, held = summaries.timeline_counts(scope_id, start, end)
    else:
        signed, held = _row_counts(user, filters, start, end)
    series: dict[str, dict[Any, int]] = {"agreements_signed": signed, "meetings_held": held}
    agreement_params = agreement_list_params(filters)
    meeting_params = meeting_list_params(filters)
    months = []
    spans = [(jy, jm, *month_bounds(jy, jm)) for jy, jm in _months_between(start, end)]
    # Each series' days summed into their month in one sweep (days and months both sorted).
    per_month: dict[str, list[int]] = {}
    for name, per_day in series.items():
        totals = [0] * len(spans)
        index = 0
        for day, n in sorted(per_day.items()):
            while index < len(spans) and day > spans[index][3]:
                index += 1
            if index == len(spans):
                break
            if day >= spans[index][2]:
                totals[index] += n
        per_month[name] = totals
    for position, (jyear, jmonth, first, last) in enumerate(spans):
        row: dict[str, Any] = {
            "year": jyear,
            "month": jmonth,
            "month_name": MONTH_NAMES[jmonth - 1],
            "label": f"{MONTH_NAMES[jmonth - 1]} {_fa(jyear)}",
            "key": f"{jyear}-{jmonth:02d}",
            "start": first.isoformat(),
            "end": last.isoformat(),
            "start_jalali": jalali_string(first),
            "end_jalali": jalali_string(last),
            "quarter": quarter_of(jmonth),
            "fiscal_year": jyear,
        }
        for name in series:
            row[name] = per_month[name][position]
        # The part of the month inside the range: the first and last months may be partial.
        lo, hi = max(first, start).isoformat(), min(last, end).isoformat()
        row["agreements_url"] = list_url(
            "agreements:agreement_list",
            {
                **agreement_params,
                "status": SIGNED_STATUSES,
                "signed_date_from": lo,
                "signed_date_to": hi,
            },
        )
        row["meetings_url"] = list_url(
            "meetings:meeting_list",
            # "Held" is two statuses; the list takes several, so it counts what the chart does.
            {**meeting_params, "status": HELD_STATUSES, "date_from": lo, "date_to": hi},
        )
        months.append(row)
    quarters: dict[tuple[int, int], dict[str, Any]] = {}
    years: dict[int, dict[str, Any]] = {}
    for row in months:
        qkey = (row["year"], row["quarter"])
        fy_start, fy_end = fiscal_year_bounds(row["year"])
        quarter = quarters.setdefault(
            qkey,
            {
                "year": row["year"],
                "quarter": row["quarter"],
                "label": f"{QUARTER_NAMES[row['quarter'] - 1]} {_fa(row['year'])}",
                "key": f"{row['year']}-Q{row['quarter']}",
                "start": row["start"],
                "start_jalali": row["start_jalali"],
                "months": [],
                "agreements_signed": 0,
                "meetings_held": 0,
            },
        )
        year = years.setdefault(
            row["year"],
            {
                "fiscal_year": row["year"],
                "label": f"سال مالی {_fa(row['year'])}",
                "start": fy_start.isoformat(),
                "end": fy_end.isoformat(),
                "start_jalali": jalali_string(fy_start),
                "end_jalali": jalali_string(fy_end),
                "agreements_signed": 0,
                "meetings_held": 0,
            },
        )
        quarter["months"].append(row["month"])
        quarter["end"] = row["end"]
        quarter["end_jalali"] = row["end_jalali"]
        for name in series:
            quarter[name] += row[name]
            year[name] += row[name]
    return envelope(
        filters,
        range={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "start_jalali": jalali_string(start),
            "end_jalali": jalali_string(end),
        },
        months=months,
        quarters=list(quarters.values()),
        fiscal_years=list(years.values()),
    )
