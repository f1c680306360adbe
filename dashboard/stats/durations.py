"""Days spent in each workflow state: median and 90th percentile of completed stays.

PostgreSQL computes it in one grouped query (``LEAD`` over each agreement's status
changes, ``percentile_cont``), so eleven rows come back instead of every status change.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from agreements.choices import AgreementStatus
from tracker.jalali import TEHRAN

from .common import StatsFilters, agreements_for, envelope
from .links import agreement_list_params, list_url


def state_durations(*, user: Any, filters: StatsFilters) -> dict[str, Any]:
    """Days spent in each workflow state: median and 90th percentile of completed stays.

    A stay starts at a status change *into* the state and ends at the agreement's next
    change. Stays still going on are counted apart (``ongoing``) and left out of the
    percentiles, which describe how long a state took once it was over. With a date range,
    stays that ended inside it count. One grouped query (:func:`stays_per_state`).
    """
    visible = agreements_for(user, filters).values("pk")
    lo = datetime.combine(filters.date_from, time.min, tzinfo=TEHRAN) if filters.date_from else None
    hi = (
        datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=TEHRAN)
        if filters.date_to
        else None
    )
    per_state = stays_per_state(visible, lo, hi)
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
                "url": list_url(
                    "agreements:agreement_list", {**agreement_params, "status": status.value}
                ),
            }
        )
    return envelope(filters, results=rows)


Stays = dict[str, tuple[int, int, float | None, float | None]]


def stays_per_state(visible: QuerySet[Any], lo: datetime | None, hi: datetime | None) -> Stays:
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
