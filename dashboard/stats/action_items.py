"""Open and overdue action items by owning organisation and by owner person, and the
on-time completion rate."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from meetings.choices import ActionItemStatus
from meetings.models import ActionItem
from organizations.models import Organization, Person
from tracker.jalali import jalali_string

from .. import summaries
from ..models import ScopeItemCount, ScopeItemTotal
from .common import TIME_ZONE, StatsFilters, action_items_for, envelope, summarised, today
from .links import action_item_list_params, list_url


def action_item_stats(*, user: Any, filters: StatsFilters) -> dict[str, Any]:
    """Open and overdue items by owning organisation and by owner person, and the on-time
    completion rate (done on or before the due date, Tehran time).

    With a date range, items are those *due* inside it. One pass over the visible items
    (:func:`item_counts`).
    """
    now_day = today()
    scope_id = summaries.scope_id_for(user) if summarised(filters) else None
    if scope_id is not None:
        pairs = summary_pairs(scope_id, now_day, filters)
    else:
        qs = action_items_for(user, filters)
        if filters.date_from:
            qs = qs.filter(due_date__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(due_date__lte=filters.date_to)
        pairs = row_pairs(qs, now_day)
    totals, by_org, by_owner = item_counts(pairs, filters.limit)
    item_params = action_item_list_params(filters)

    def counted(row: dict[str, Any], narrowed: dict[str, Any]) -> dict[str, Any]:
        """A row's counts, rate and the two lists behind them (``narrowed`` to its owner)."""
        params = {**item_params, **narrowed}
        return {
            "open": row["open"],
            "overdue": row["overdue"],
            "done": row["done"],
            "on_time_rate": _rate(row),
            "url": list_url(
                "meetings:action_item_list", {**params, "status": ActionItemStatus.OPEN}
            ),
            "overdue_url": list_url("meetings:action_item_list", {**params, "overdue": "true"}),
        }

    organizations = [
        {
            "organization": row["owner_organization_id"],
            "name": row["owner_organization__name"],
            **counted(row, {"organization": row["owner_organization_id"]}),
        }
        for row in by_org
    ]
    owners = [
        {
            "person": row["owner_person_id"],
            "name": row["owner_person__full_name"],
            "organization_name": row["owner_person__organization__name"],
            **counted(row, {"owner": row["owner_person_id"]}),
        }
        for row in by_owner
    ]
    return envelope(
        filters,
        today=now_day.isoformat(),
        today_jalali=jalali_string(now_day),
        totals={**totals, "on_time_rate": _rate(totals)},
        open_url=list_url(
            "meetings:action_item_list", {**item_params, "status": ActionItemStatus.OPEN}
        ),
        overdue_url=list_url("meetings:action_item_list", {**item_params, "overdue": "true"}),
        by_organization=organizations,
        by_owner=owners,
    )


def _rate(row: dict[str, Any]) -> float | None:
    """Share of the done items done on time (None when nothing is done yet)."""
    return round(row["done_on_time"] / row["done"], 4) if row["done"] else None


ItemCounts = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]
_MEASURES = ("open", "overdue", "done", "done_on_time")


Pairs = tuple[str, list[Any]]


def row_pairs(qs: QuerySet[ActionItem], now_day: date) -> Pairs:
    """The counts per (organisation, owner) pair read from the visible items (filtered
    answers). An item owned by a person alone counts under that person's organisation, so
    the organisations' rows add up to the totals (and to the action-item list's
    organisation filter, which matches the same way)."""
    items_sql, items_params = qs.values("pk").query.sql_with_params()
    # Our own constants (enum values), not input.
    open_ = f"i.status = '{ActionItemStatus.OPEN.value}'"
    done = f"i.status = '{ActionItemStatus.DONE.value}'"
    day = "(i.completed_at AT TIME ZONE %s)::date"
    sql = f"""
            SELECT COALESCE(i.owner_organization_id, op.organization_id) AS org,
                   i.owner_person_id AS person,
                   COUNT(*) FILTER (WHERE {open_}) AS open,
                   COUNT(*) FILTER (WHERE {open_} AND i.due_date < %s) AS overdue,
                   COUNT(*) FILTER (WHERE {done}) AS done,
                   COUNT(*) FILTER (WHERE {done} AND {day} <= i.due_date) AS done_on_time
            FROM {ActionItem._meta.db_table} i
            LEFT JOIN {Person._meta.db_table} op ON op.id = i.owner_person_id
            WHERE i.id IN ({items_sql})
            GROUP BY 1, 2
    """  # noqa: S608  (our SQL around the selector's compiled query; values are params)
    return sql, [now_day, TIME_ZONE, *items_params]


def summary_pairs(scope_id: int, now_day: date, filters: StatsFilters) -> Pairs:
    """The same pairs summed from the scope's maintained counts (dashboard/models.py).

    Without a due-date range: one row per (organisation, owner, status, on time) of the
    scope (:class:`~dashboard.models.ScopeItemTotal`), and «overdue» is the open count
    less the open items not yet due (due today or later: the planning horizon, not the
    history). With a range: the per-due-day counts inside it. The owner's organisation is
    read now, so a person who moved counts where the rows say."""
    open_ = f"c.status = '{ActionItemStatus.OPEN.value}'"
    done = f"c.status = '{ActionItemStatus.DONE.value}'"
    people = Person._meta.db_table
    if filters.date_from or filters.date_to:
        lo, hi = filters.date_from, filters.date_to
        source = f"""
            SELECT c.org, c.person,
                   CASE WHEN {open_} THEN c.n ELSE 0 END AS open,
                   CASE WHEN {open_} AND c.due_date < %s THEN c.n ELSE 0 END AS overdue,
                   CASE WHEN {done} THEN c.n ELSE 0 END AS done,
                   CASE WHEN {done} AND c.on_time THEN c.n ELSE 0 END AS done_on_time
            FROM {ScopeItemCount._meta.db_table} c
            WHERE c.scope_id = %s AND c.n <> 0
              AND (%s::date IS NULL OR c.due_date >= %s::date)
              AND (%s::date IS NULL OR c.due_date <= %s::date)
        """  # noqa: S608  (our own SQL; values are params)
        params: list[Any] = [now_day, scope_id, lo, lo, hi, hi]
    else:
        source = f"""
            SELECT c.org, c.person,
                   CASE WHEN {open_} THEN c.n ELSE 0 END AS open,
                   CASE WHEN {open_} THEN c.n ELSE 0 END AS overdue,
                   CASE WHEN {done} THEN c.n ELSE 0 END AS done,
                   CASE WHEN {done} AND c.on_time THEN c.n ELSE 0 END AS done_on_time
            FROM {ScopeItemTotal._meta.db_table} c WHERE c.scope_id = %s AND c.n <> 0
            UNION ALL
            SELECT c.org, c.person, 0, -c.n, 0, 0
            FROM {ScopeItemCount._meta.db_table} c
            WHERE c.scope_id = %s AND {open_} AND c.due_date >= %s AND c.n <> 0
        """  # noqa: S608  (our own SQL; values are params)
        params = [scope_id, scope_id, now_day]
    sql = f"""
            SELECT COALESCE(NULLIF(c.org, 0), op.organization_id) AS org,
                   NULLIF(c.person, 0) AS person,
                   SUM(c.open) AS open, SUM(c.overdue) AS overdue, SUM(c.done) AS done,
                   SUM(c.done_on_time) AS done_on_time
            FROM ({source}) c
            LEFT JOIN {people} op ON op.id = NULLIF(c.person, 0)
            GROUP BY 1, 2
    """  # noqa: S608  (our own SQL; values are params)
    return sql, params


def item_counts(pairs: Pairs, limit: int) -> ItemCounts:
    """Totals, the top ``limit`` organisations and the top ``limit`` owners (most overdue,
    then most open, ties by name) in one statement: the counts per (organisation, owner)
    pair (:func:`row_pairs` or :func:`summary_pairs`) are computed once; totals, the top
    organisations and the top owners are summed from those pairs (PostgreSQL keeps a CTE
    used three times in memory)."""
    pairs_sql, pairs_params = pairs
    org_table = Organization._meta.db_table
    person_table = Person._meta.db_table
    sql = f"""
        WITH pairs AS ({pairs_sql}
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
    params = [*pairs_params, limit, limit]
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
