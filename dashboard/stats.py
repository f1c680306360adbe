"""The aggregates behind /api/v1/stats/ and the dashboard page: reads only, always scoped.

Every aggregate starts from the owning app's ``*_list_for_user`` selector (the one scope
rule of that app), narrows it by the common filters, and runs a fixed number of grouped
queries whatever the number of rows. Jalali buckets (month, quarter, fiscal year) are
computed in Python from per-day SQL counts: a day belongs to exactly one Jalali month, and
there are at most a few hundred days in a range, so the database does the counting and
Python only relabels.

Every answer names its calendar and time zone (see :func:`envelope`).
"""

from __future__ import annotations

import functools
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django_filters import FilterSet

from agreements.choices import AgreementStatus
from agreements.filters import AgreementFilter
from agreements.models import Agreement, AgreementParty, AgreementStatusChange
from agreements.selectors import agreement_list_for_user
from meetings.choices import ActionItemStatus, MeetingStatus
from meetings.filters import ActionItemFilter, MeetingFilter
from meetings.models import ActionItem, Meeting
from meetings.selectors import action_item_scope_for_user, meeting_list_for_user
from organizations.models import Organization, Person
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

CALENDAR = "jalali"
CALENDAR_CLDR = "persian"
TIME_ZONE = "Asia/Tehran"
HELD_STATUSES = (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
QUARTER_NAMES = ("بهار", "تابستان", "پاییز", "زمستان")
#: Agreements in these states have an expiry that still matters.
LIVE_STATUSES = (AgreementStatus.SIGNED, AgreementStatus.IN_FORCE)
#: States reached only through signature: the timeline counts these as signed (a draft with
#: a ``signed_date`` typed in ahead is not a signed agreement).
SIGNED_STATUSES = (
    AgreementStatus.SIGNED,
    AgreementStatus.IN_FORCE,
    AgreementStatus.EXPIRED,
    AgreementStatus.TERMINATED,
)
#: Per-state time limits when the notifications rules are not available.
DEFAULT_STATE_LIMITS = {"internal_review": 7, "legal_review": 14, "negotiation": 30}


@dataclass(frozen=True)
class StatsFilters:
    """The filters every aggregate accepts (already validated)."""

    organization: int | None = None
    province: str = ""
    date_from: date | None = None
    date_to: date | None = None
    days: int = 30
    limit: int = 50
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "organization": self.organization,
            "province": self.province or None,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_from_jalali": jalali_string(self.date_from),
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "date_to_jalali": jalali_string(self.date_to),
        }


def today() -> date:
    return timezone.localdate(timezone.now(), TEHRAN)


def envelope(filters: StatsFilters, **body: Any) -> dict[str, Any]:
    """The common frame of every answer: calendar, time zone, filters, then the body."""
    return {
        "calendar": CALENDAR,
        "calendar_cldr": CALENDAR_CLDR,
        "time_zone": TIME_ZONE,
        "generated_at": timezone.localtime(timezone.now(), TEHRAN).isoformat(),
        "filters": filters.as_dict(),
        **body,
    }


def _org_q(filters: StatsFilters, *paths: str) -> Q:
    """Rows whose organisation at any of ``paths`` matches the organisation/province filter."""
    q = Q()
    if filters.organization:
        org_q = Q(pk__in=[])
        for path in paths:
            org_q |= Q(**{f"{path}_id": filters.organization})
        q &= org_q
    if filters.province:
        prov_q = Q(pk__in=[])
        for path in paths:
            prov_q |= Q(**{f"{path}__province": filters.province})
        q &= prov_q
    return q


def _party_q(filters: StatsFilters) -> Q:
    """Agreements where the filtered organisation (or one of the province) is a party."""
    if not filters.organization and not filters.province:
        return Q()
    parties = AgreementParty.objects.filter(agreement_id=OuterRef("pk"))
    if filters.organization:
        parties = parties.filter(organization_id=filters.organization)
    if filters.province:
        parties = parties.filter(organization__province=filters.province)
    return Q(Exists(parties))


def agreements_for(user: Any, filters: StatsFilters) -> QuerySet[Agreement]:
    """Visible agreements owned by, or with as a party, the filtered organisation."""
    qs = agreement_list_for_user(user=user).select_related(None).prefetch_related(None)
    if filters.organization or filters.province:
        qs = qs.filter(_org_q(filters, "owning_organization") | _party_q(filters))
    return qs.order_by()


def meetings_for(user: Any, filters: StatsFilters) -> QuerySet[Meeting]:
    qs = meeting_list_for_user(user=user).select_related(None)
    if filters.organization or filters.province:
        participants = Meeting.participants.through.objects.filter(meeting_id=OuterRef("pk"))
        if filters.organization:
            participants = participants.filter(organization_id=filters.organization)
        if filters.province:
            participants = participants.filter(organization__province=filters.province)
        qs = qs.filter(_org_q(filters, "host") | Q(Exists(participants)))
    return qs.order_by()


def action_items_for(user: Any, filters: StatsFilters) -> QuerySet[ActionItem]:
    qs = action_item_scope_for_user(user=user)
    if filters.organization or filters.province:
        qs = qs.filter(_org_q(filters, "owner_organization", "meeting__host"))
    return qs.order_by()


#: Where the list and detail pages live, for when a URL name is not (yet) registered.
_FALLBACK_PATHS = {
    "agreements:agreement_list": "/agreements/",
    "meetings:meeting_list": "/meetings/",
    "meetings:action_item_list": "/meetings/action-items/",
    "agreements:agreement_detail": "/agreements/{}/",
    "meetings:meeting_detail": "/meetings/{}/",
}


def _reverse(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return _FALLBACK_PATHS[name].format(*args)


# Stands for the id in a reversed URL turned into a template (digits: matches <int:pk>).
_PK_MARK = "918273645"


@functools.lru_cache(maxsize=128)
def _url_template(name: str, with_pk: bool, _urlconf: Any, _root: str, _prefix: str) -> str:
    """``reverse`` once per URL name and URL configuration (the last three arguments are
    only the cache key): a ``str.format`` template with ``{}`` for the id, or "" when the
    mark cannot be found (then every URL is reversed)."""
    url = _reverse(name, int(_PK_MARK)) if with_pk else _reverse(name)
    escaped = url.replace("{", "{{").replace("}", "}}")
    if not with_pk:
        return escaped
    return escaped.replace(_PK_MARK, "{}", 1) if escaped.count(_PK_MARK) == 1 else ""


def _url(name: str, *args: Any) -> str:
    """``reverse(name, args=args)``; the reversing is done once per name (stats list up to
    hundreds of links per answer), each URL is then the template with the id formatted in."""
    if len(args) > 1 or (args and not isinstance(args[0], int)):
        return _reverse(name, *args)
    key = (get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())
    template = _url_template(name, bool(args), *key)
    if not template:
        return _reverse(name, *args)
    return template.format(*args)


def _list_url(name: str, params: dict[str, Any]) -> str:
    """The list page ``name`` with ``params`` (empty values dropped) as its query string; a
    list or tuple value repeats its parameter (``status=held&status=minutes_approved``)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    url = _url(name)
    return f"{url}?{query}" if query else url


# The links behind the numbers carry the filters, in the names each list's FilterSet accepts
# (a name it does not declare would be ignored silently and open an unfiltered list). The
# lists gain aliases over time (``organization`` = owner or party on agreements, ``province``),
# so their declared filters are read rather than assumed; the tests follow every link.


def _accepts(filterset: type[FilterSet], name: str) -> bool:
    return name in filterset.base_filters


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def agreement_list_params(filters: StatsFilters) -> dict[str, Any]:
    """The agreement list's parameters for the organisation/province filters."""
    params: dict[str, Any] = {}
    if filters.organization:
        # The stats count agreements the organisation owns *or* is a party to.
        name = (
            "organization" if _accepts(AgreementFilter, "organization") else "owning_organization"
        )
        params[name] = filters.organization
    if filters.province and _accepts(AgreementFilter, "province"):
        params["province"] = filters.province
    return params


def meeting_list_params(filters: StatsFilters) -> dict[str, Any]:
    """The meeting list's parameters: organisation (host or participant), province, dates."""
    params: dict[str, Any] = {"organization": filters.organization}
    if filters.province and _accepts(MeetingFilter, "province"):
        params["province"] = filters.province
    params["date_from"] = _iso(filters.date_from)
    params["date_to"] = _iso(filters.date_to)
    return params


def action_item_list_params(filters: StatsFilters) -> dict[str, Any]:
    """The action-item list's parameters: owning organisation, province, due-date range."""
    params: dict[str, Any] = {"organization": filters.organization}
    if filters.province and _accepts(ActionItemFilter, "province"):
        params["province"] = filters.province
    params["due_after"] = _iso(filters.date_from)
    params["due_before"] = _iso(filters.date_to)
    return params


# --- Agreements by status -----------------------------------------------------------------------


def agreements_by_status(*, user: Any, filters: StatsFilters) -> dict[str, Any]:
    """How many visible agreements are in each status now (one query)."""
    counts = dict(
        agreements_for(user, filters)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    agreement_params = agreement_list_params(filters)
    rows = [
        {
            "status": status.value,
            "label": status.label,
            "count": counts.get(status.value, 0),
            "url": _list_url(
                "agreements:agreement_list", {**agreement_params, "status": status.value}
            ),
        }
        for status in AgreementStatus
    ]
    return envelope(filters, total=sum(counts.values()), results=rows)


# --- Time in each workflow state ----------------------------------------------------------------


def _percentile(sorted_values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (PostgreSQL's ``percentile_cont``)."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    position = (len(sorted_values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def state_durations(*, user: Any, filters: StatsFilters) -> dict[str, Any]:
    """Days spent in each workflow state: median and 90th percentile of completed stays.

    A stay starts at a status change *into* the state and ends at the agreement's next
    change. Stays still going on are counted apart (``ongoing``) and left out of the
    percentiles, which describe how long a state took once it was over. With a date range,
    stays that ended inside it count. On PostgreSQL one grouped query does it all (``LEAD``
    over each agreement's changes, ``percentile_cont``): eleven rows come back instead of
    every status change; elsewhere (SQLite in development) the changes are read in order
    and reduced in Python, with the same results.
    """
    visible = agreements_for(user, filters).values("pk")
    lo = datetime.combine(filters.date_from, time.min, tzinfo=TEHRAN) if filters.date_from else None
    hi = (
        datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=TEHRAN)
        if filters.date_to
        else None
    )
    if connection.vendor == "postgresql":
        per_state = _stays_sql(visible, lo, hi)
    else:
        per_state = _stays_python(visible, lo, hi)
    agreement_params = agreement_list_params(filters)
    rows = []
    for status in AgreementStatus:
        completed, ongoing, median, p90 = per_state.get(status.value, (0, 0, None, None))
        rows.append(
            {
                "status": status.value,
                "label": status.label,
                "completed": completed,
                "ongoing": ongoing,
                "median_days": round(median, 2) if median is not None else None,
                "p90_days": round(p90, 2) if p90 is not None else None,
                "url": _list_url(
                    "agreements:agreement_list", {**agreement_params, "status": status.value}
                ),
            }
        )
    return envelope(filters, results=rows)


Stays = dict[str, tuple[int, int, float | None, float | None]]


def _stays_sql(visible: QuerySet[Any], lo: datetime | None, hi: datetime | None) -> Stays:
    """Per state: (completed, ongoing, median days, p90 days), computed by PostgreSQL."""
    visible_sql, visible_params = visible.query.sql_with_params()
    ended = "left_at IS NOT NULL AND (%s::timestamptz IS NULL OR left_at >= %s::timestamptz)"
    ended += " AND (%s::timestamptz IS NULL OR left_at < %s::timestamptz)"
    days = "EXTRACT(EPOCH FROM left_at - entered_at) / 86400.0"
    sql = f"""
        WITH stays AS (
            SELECT c.to_status AS status, c.at AS entered_at,
                   LEAD(c.at) OVER (PARTITION BY c.agreement_id ORDER BY c.at, c.id) AS left_at
            FROM agreements_agreementstatuschange c
            WHERE c.agreement_id IN ({visible_sql})
        )
        SELECT status,
               COUNT(*) FILTER (WHERE {ended}),
               COUNT(*) FILTER (WHERE left_at IS NULL),
               PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {days}) FILTER (WHERE {ended}),
               PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY {days}) FILTER (WHERE {ended})
        FROM stays GROUP BY status
    """  # noqa: S608  (only our own SQL and the selector's compiled query; values are params)
    bounds = [lo, lo, hi, hi]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*visible_params, *bounds, *bounds, *bounds])
        return {
            status: (completed, ongoing, _float(median), _float(p90))
            for status, completed, ongoing, median, p90 in cursor.fetchall()
        }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _stays_python(visible: QuerySet[Any], lo: datetime | None, hi: datetime | None) -> Stays:
    """:func:`_stays_sql` for databases without ``percentile_cont``: the changes in order."""
    changes = (
        AgreementStatusChange.objects.filter(agreement_id__in=visible)
        .order_by("agreement_id", "at", "id")
        .values_list("agreement_id", "to_status", "at")
    )
    durations: dict[str, list[float]] = defaultdict(list)
    ongoing: dict[str, int] = defaultdict(int)
    previous: tuple[int, str, datetime] | None = None
    for agreement_id, to_status, at in changes.iterator(chunk_size=5000):
        if previous is not None and previous[0] == agreement_id:
            ended = at
            if (lo is None or ended >= lo) and (hi is None or ended < hi):
                durations[previous[1]].append((ended - previous[2]).total_seconds() / 86400)
        elif previous is not None:
            ongoing[previous[1]] += 1
        previous = (agreement_id, to_status, at)
    if previous is not None:
        ongoing[previous[1]] += 1
    result: Stays = {}
    for status in set(durations) | set(ongoing):
        values = sorted(durations.get(status, []))
        result[status] = (
            len(values),
            ongoing.get(status, 0),
            statistics.median(values) if values else None,
            _percentile(values, 0.9) if values else None,
        )
    return result


# --- Per Jalali month, quarter and fiscal year --------------------------------------------------


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


def timeline(*, user: Any, filters: StatsFilters) -> dict[str, Any]:
    """Agreements signed and meetings held per Jalali month, quarter and fiscal year.

    Two grouped queries (signed agreements per ``signed_date``, held meetings per Tehran
    day of ``start``); the days are then bucketed by :func:`tracker.jalali.month_bounds`.
    """
    start, end = default_range(filters)
    signed = dict(
        agreements_for(user, filters)
        .filter(status__in=SIGNED_STATUSES, signed_date__gte=start, signed_date__lte=end)
        .values_list("signed_date")
        .annotate(n=Count("id"))
        .values_list("signed_date", "n")
    )
    held = dict(
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
        row["agreements_url"] = _list_url(
            "agreements:agreement_list",
            {
                **agreement_params,
                "status": SIGNED_STATUSES,
                "signed_date_from": lo,
                "signed_date_to": hi,
            },
        )
        row["meetings_url"] = _list_url(
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


# --- Action items ---------------------------------------------------------------------------------


def action_item_stats(*, user: Any, filters: StatsFilters) -> dict[str, Any]:
    """Open and overdue items by owning organisation and by owner person, and the on-time
    completion rate (done on or before the due date, Tehran time).

    With a date range, items are those *due* inside it. On PostgreSQL one pass over the
    visible items (:func:`_item_counts_sql`); elsewhere three grouped ORM queries
    (:func:`_item_counts_orm`), with the same answer.
    """
    now_day = today()
    qs = action_items_for(user, filters)
    if filters.date_from:
        qs = qs.filter(due_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(due_date__lte=filters.date_to)
    if connection.vendor == "postgresql":
        totals, by_org, by_owner = _item_counts_sql(qs, now_day, filters.limit)
    else:
        totals, by_org, by_owner = _item_counts_orm(qs, now_day, filters.limit)
    item_params = action_item_list_params(filters)

    def rate(row: dict[str, Any]) -> float | None:
        return round(row["done_on_time"] / row["done"], 4) if row["done"] else None

    organizations = [
        {
            "organization": row["owner_organization_id"],
            "name": row["owner_organization__name"],
            "open": row["open"],
            "overdue": row["overdue"],
            "done": row["done"],
            "on_time_rate": rate(row),
            "url": _list_url(
                "meetings:action_item_list",
                {
                    **item_params,
                    "organization": row["owner_organization_id"],
                    "status": ActionItemStatus.OPEN,
                },
            ),
            "overdue_url": _list_url(
                "meetings:action_item_list",
                {**item_params, "organization": row["owner_organization_id"], "overdue": "true"},
            ),
        }
        for row in by_org
    ]
    owners = [
        {
            "person": row["owner_person_id"],
            "name": row["owner_person__full_name"],
            "organization_name": row["owner_person__organization__name"],
            "open": row["open"],
            "overdue": row["overdue"],
            "done": row["done"],
            "on_time_rate": rate(row),
            "url": _list_url(
                "meetings:action_item_list",
                {**item_params, "owner": row["owner_person_id"], "status": ActionItemStatus.OPEN},
            ),
            "overdue_url": _list_url(
                "meetings:action_item_list",
                {**item_params, "owner": row["owner_person_id"], "overdue": "true"},
            ),
        }
        for row in by_owner
    ]
    return envelope(
        filters,
        today=now_day.isoformat(),
        today_jalali=jalali_string(now_day),
        totals={**totals, "on_time_rate": rate(totals)},
        open_url=_list_url(
            "meetings:action_item_list", {**item_params, "status": ActionItemStatus.OPEN}
        ),
        overdue_url=_list_url("meetings:action_item_list", {**item_params, "overdue": "true"}),
        by_organization=organizations,
        by_owner=owners,
    )


ItemCounts = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]
_MEASURES = ("open", "overdue", "done", "done_on_time")


def _item_counts_orm(qs: QuerySet[ActionItem], now_day: date, limit: int) -> ItemCounts:
    """Totals, top organisations and top owners: three grouped queries."""
    open_q = Q(status=ActionItemStatus.OPEN)
    overdue_q = Q(status=ActionItemStatus.OPEN, due_date__lt=now_day)
    done_q = Q(status=ActionItemStatus.DONE)
    on_time_q = done_q & Q(completed_day__lte=F("due_date"))
    measures = {
        "open": Count("id", filter=open_q),
        "overdue": Count("id", filter=overdue_q),
        "done": Count("id", filter=done_q),
        "done_on_time": Count("id", filter=on_time_q),
    }
    with_day = qs.annotate(completed_day=TruncDate("completed_at", tzinfo=TEHRAN))
    totals = with_day.aggregate(**measures)
    by_org = (
        with_day.filter(owner_organization__isnull=False)
        .values("owner_organization_id", "owner_organization__name")
        .annotate(**measures)
        .filter(Q(open__gt=0) | Q(done__gt=0))
        .order_by("-overdue", "-open", "owner_organization__name")[:limit]
    )
    by_owner = (
        with_day.filter(owner_person__isnull=False)
        .values("owner_person_id", "owner_person__full_name", "owner_person__organization__name")
        .annotate(**measures)
        .filter(Q(open__gt=0) | Q(done__gt=0))
        .order_by("-overdue", "-open", "owner_person__full_name")[:limit]
    )
    return totals, list(by_org), list(by_owner)


def _item_counts_sql(qs: QuerySet[ActionItem], now_day: date, limit: int) -> ItemCounts:
    """:func:`_item_counts_orm` in one statement: the visible items are read and counted
    once per (organisation, owner) pair; totals, the top organisations and the top owners
    are summed from those pairs (PostgreSQL keeps a CTE used three times in memory)."""
    items_sql, items_params = qs.values("pk").query.sql_with_params()
    item_table = ActionItem._meta.db_table
    org_table = Organization._meta.db_table
    person_table = Person._meta.db_table
    # Our own constants (enum values), not input.
    open_ = f"i.status = '{ActionItemStatus.OPEN.value}'"
    done = f"i.status = '{ActionItemStatus.DONE.value}'"
    day = "(i.completed_at AT TIME ZONE %s)::date"
    sql = f"""
        WITH pairs AS (
            SELECT i.owner_organization_id AS org, i.owner_person_id AS person,
                   COUNT(*) FILTER (WHERE {open_}) AS open,
                   COUNT(*) FILTER (WHERE {open_} AND i.due_date < %s) AS overdue,
                   COUNT(*) FILTER (WHERE {done}) AS done,
                   COUNT(*) FILTER (WHERE {done} AND {day} <= i.due_date) AS done_on_time
            FROM {item_table} i
            WHERE i.id IN ({items_sql})
            GROUP BY 1, 2
        ), orgs AS (
            SELECT org, SUM(open) AS open, SUM(overdue) AS overdue, SUM(done) AS done,
                   SUM(done_on_time) AS done_on_time
            FROM pairs WHERE org IS NOT NULL GROUP BY org
        ), owners AS (
            SELECT person, SUM(open) AS open, SUM(overdue) AS overdue, SUM(done) AS done,
                   SUM(done_on_time) AS done_on_time
            FROM pairs WHERE person IS NOT NULL GROUP BY person
        )
        (SELECT 'total', NULL::bigint, NULL, NULL, SUM(open), SUM(overdue), SUM(done),
                SUM(done_on_time), 0
         FROM pairs)
        UNION ALL
        (SELECT 'org', o.org, n.name, NULL, o.open, o.overdue, o.done, o.done_on_time,
                ROW_NUMBER() OVER (ORDER BY o.overdue DESC, o.open DESC, n.name ASC)
         FROM orgs o JOIN {org_table} n ON n.id = o.org
         WHERE o.open > 0 OR o.done > 0
         ORDER BY o.overdue DESC, o.open DESC, n.name ASC LIMIT %s)
        UNION ALL
        (SELECT 'owner', w.person, p.full_name, po.name, w.open, w.overdue, w.done,
                w.done_on_time,
                ROW_NUMBER() OVER (ORDER BY w.overdue DESC, w.open DESC, p.full_name ASC)
         FROM owners w JOIN {person_table} p ON p.id = w.person
         JOIN {org_table} po ON po.id = p.organization_id
         WHERE w.open > 0 OR w.done > 0
         ORDER BY w.overdue DESC, w.open DESC, p.full_name ASC LIMIT %s)
    """  # noqa: S608  (our SQL around the selector's compiled query; values are params)
    params = [now_day, TIME_ZONE, *items_params, limit, limit]
    totals: dict[str, Any] = dict.fromkeys(_MEASURES, 0)
    rows: dict[str, list[tuple[Any, ...]]] = {"org": [], "owner": []}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, pk, name, org_name, *counts, rank in cursor.fetchall():
            values = dict(zip(_MEASURES, (int(c or 0) for c in counts), strict=True))
            if kind == "total":
                totals = values
            else:
                rows[kind].append((rank, pk, name, org_name, values))
    by_org = [
        {"owner_organization_id": pk, "owner_organization__name": name, **values}
        for _, pk, name, _, values in sorted(rows["org"], key=lambda r: r[0])
    ]
    by_owner = [
        {
            "owner_person_id": pk,
            "owner_person__full_name": name,
            "owner_person__organization__name": org_name,
            **values,
        }
        for _, pk, name, org_name, values in sorted(rows["owner"], key=lambda r: r[0])
    ]
    return totals, by_org, by_owner


# --- Upcoming deadlines ---------------------------------------------------------------------------


def _state_limits() -> dict[str, int]:
    """Days allowed in each workflow state, from the reminder rules (admin-editable)."""
    try:
        from notifications.choices import RuleCode
        from notifications.rules import rule_configs
    except ImportError:  # pragma: no cover - the notifications app is part of the project
        return dict(DEFAULT_STATE_LIMITS)
    config = rule_configs().get(RuleCode.AGREEMENT_STAGE_LIMIT)
    if config is None or not config.is_active:
        return {}
    return dict(config.state_limits)


def _deadline(
    kind: str, label: str, when: date | datetime, title: str, url: str, org: str, obj_id: int
) -> dict[str, Any]:
    day = timezone.localtime(when, TEHRAN).date() if isinstance(when, datetime) else when
    return {
        "kind": kind,
        "kind_label": label,
        "id": obj_id,
        "date": day.isoformat(),
        "date_jalali": jalali_string(day),
        "at": timezone.localtime(when, TEHRAN).isoformat() if isinstance(when, datetime) else None,
        "title": title,
        "organization_name": org,
        "url": url,
    }


def upcoming_deadlines(*, user: Any, filters: StatsFilters) -> dict[str, Any]:
    """Everything due in the next ``days`` days, in one list sorted by date.

    Planned meetings, open action items, workflow states whose time limit runs out, review
    deadlines and expiries of signed or in-force agreements. Five bounded queries (plus
    the rules' one), each capped at ``limit`` rows before the merge.
    """
    start = today()
    end = start + timedelta(days=filters.days)
    limit = filters.limit
    start_at = datetime.combine(start, time.min, tzinfo=TEHRAN)
    end_at = datetime.combine(end + timedelta(days=1), time.min, tzinfo=TEHRAN)
    # Rows are gathered as (sort key, how to build the item) and only the first ``limit``
    # after the merge are built (Jalali date, link): up to five times ``limit`` are read.
    items: list[tuple[tuple[str, str, str, int], tuple[Any, ...]]] = []

    def add(kind: str, label: str, when: Any, title: str, url: Any, org: str, pk: int) -> None:
        day = timezone.localtime(when, TEHRAN).date() if isinstance(when, datetime) else when
        at = when.isoformat() if isinstance(when, datetime) else ""
        items.append(((day.isoformat(), at, kind, pk), (kind, label, when, title, url, org, pk)))

    meetings = (
        meetings_for(user, filters)
        .filter(status=MeetingStatus.PLANNED, start__gte=timezone.now(), start__lt=end_at)
        .order_by("start", "id")
        .values_list("id", "title", "start", "host__name")[:limit]
    )
    for pk, title, at, host in meetings:
        add("meeting", "جلسه", at, title, ("meetings:meeting_detail", pk, ""), host, pk)
    actions = (
        action_items_for(user, filters)
        .filter(status=ActionItemStatus.OPEN, due_date__gte=start, due_date__lte=end)
        .order_by("due_date", "id")
        .values_list("id", "description", "due_date", "owner_organization__name", "meeting_id")[
            :limit
        ]
    )
    for pk, text, due, org, meeting_id in actions:
        url = ("meetings:meeting_detail", meeting_id, f"#action-{pk}")
        add("action_item", "مهلت اقدام", due, text[:200], url, org or "", pk)
    agreements = agreements_for(user, filters)
    limits = _state_limits()
    if limits:
        state_q = Q(pk__in=[])
        for status, days in limits.items():
            state_q |= Q(
                status=status,
                status_changed_at__gte=start_at - timedelta(days=days),
                status_changed_at__lt=end_at - timedelta(days=days),
            )
        for pk, title, status, changed, org in (
            agreements.filter(state_q)
            .order_by("status_changed_at", "id")
            .values_list("id", "title", "status", "status_changed_at", "owning_organization__name")[
                :limit
            ]
        ):
            label = f"پایان مهلت «{AgreementStatus(status).label}»"
            url = ("agreements:agreement_detail", pk, "")
            add("state_limit", label, changed + timedelta(days=limits[status]), title, url, org, pk)
    for kind, label, field_name, extra in (
        ("review_deadline", "مهلت بررسی تفاهم‌نامه", "review_deadline", Q()),
        ("expiry", "انقضای تفاهم‌نامه", "expiry_date", Q(status__in=LIVE_STATUSES)),
    ):
        rows = (
            agreements.filter(extra, **{f"{field_name}__gte": start, f"{field_name}__lte": end})
            .order_by(field_name, "id")
            .values_list("id", "title", field_name, "owning_organization__name")[:limit]
        )
        for pk, title, day, org in rows:
            add(kind, label, day, title, ("agreements:agreement_detail", pk, ""), org, pk)
    items.sort(key=lambda item: item[0])
    results = [
        _deadline(kind, label, when, title, _url(name, url_pk) + anchor, org, pk)
        for _, (kind, label, when, title, (name, url_pk, anchor), org, pk) in items[:limit]
    ]
    return envelope(
        filters,
        days=filters.days,
        start=start.isoformat(),
        end=end.isoformat(),
        start_jalali=jalali_string(start),
        end_jalali=jalali_string(end),
        count=len(results),
        truncated=len(items) > limit,
        results=results,
    )


def summary(*, user: Any, filters: StatsFilters) -> dict[str, Iterable[Any]]:
    """Everything the dashboard page draws, in one call."""
    return {
        "by_status": agreements_by_status(user=user, filters=filters),
        "durations": state_durations(user=user, filters=filters),
        "timeline": timeline(user=user, filters=filters),
        "actions": action_item_stats(user=user, filters=filters),
        "upcoming": upcoming_deadlines(user=user, filters=filters),
    }
