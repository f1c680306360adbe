"""The two aggregates written in SQL (``percentile_cont``, a CTE counted three ways) agree
with a plain reduction of the same rows: the reference implementations below are the
test's oracle, deliberately naive (every row read, or three grouped ORM queries)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from agreements.models import AgreementStatusChange
from dashboard import stats
from dashboard.stats.action_items import ItemCounts, item_counts, row_pairs
from dashboard.stats.durations import Stays, stays_per_state
from meetings.choices import ActionItemStatus
from meetings.models import ActionItem
from tests.dashboard.test_stats_api import NOW, history
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
)
from tracker.jalali import TEHRAN

pytestmark = pytest.mark.django_db


def _percentile(sorted_values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (PostgreSQL's ``percentile_cont``)."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    position = (len(sorted_values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def _stays_reference(visible: QuerySet[Any], lo: datetime | None, hi: datetime | None) -> Stays:
    """What :func:`stays_per_state` must answer, reduced in Python from the changes in order."""
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


def _item_counts_reference(qs: QuerySet[ActionItem], now_day: date, limit: int) -> ItemCounts:
    """What :func:`item_counts` must answer, as three grouped ORM queries."""
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
    # An item owned by a person alone counts under the person's organisation.
    by_org = [
        {
            "owner_organization_id": row.pop("org_id"),
            "owner_organization__name": row.pop("org_name"),
            **row,
        }
        for row in with_day.annotate(
            org_id=Coalesce("owner_organization_id", "owner_person__organization_id"),
            org_name=Coalesce("owner_organization__name", "owner_person__organization__name"),
        )
        .filter(org_id__isnull=False)
        .values("org_id", "org_name")
        .annotate(**measures)
        .filter(Q(open__gt=0) | Q(done__gt=0))
        .order_by("-overdue", "-open", "org_name")[:limit]
    ]
    by_owner = (
        with_day.filter(owner_person__isnull=False)
        .values("owner_person_id", "owner_person__full_name", "owner_person__organization__name")
        .annotate(**measures)
        .filter(Q(open__gt=0) | Q(done__gt=0))
        .order_by("-overdue", "-open", "owner_person__full_name")[:limit]
    )
    return totals, list(by_org), list(by_owner)


@pytest.mark.parametrize("bounded", [False, True])
def test_state_durations_in_sql_equal_the_python_reduction(
    org_a: Any, org_b: Any, staff_a: Any, bounded: bool
) -> None:
    """The grouped query gives the numbers of the plain reduction over the changes in order:
    stays of several lengths, agreements still in a state, two changes at the same instant
    (ordered by id), another organisation's agreement left out, a date range on the end."""
    base = NOW - timedelta(days=300)
    for i in range(12):
        agreement = AgreementFactory(owning_organization=org_a if i != 5 else org_b)
        steps = [("draft", base + timedelta(days=i))]
        steps.append(("internal_review", steps[-1][1] + timedelta(hours=5 + 7 * i)))
        if i % 3:
            steps.append(("legal_review", steps[-1][1] + timedelta(days=i % 4, minutes=i)))
        if i % 4 == 0:
            steps.append(("negotiation", steps[-1][1]))  # the same instant
            steps.append(("signed", steps[-1][1] + timedelta(days=20 + i)))
        history(agreement, *steps)
    filters = stats.StatsFilters(
        date_from=(base + timedelta(days=2)).date() if bounded else None,
        date_to=(base + timedelta(days=9)).date() if bounded else None,
    )
    visible = stats.agreements_for(staff_a, filters).values("pk")
    midnight = datetime.min.time()
    lo = datetime.combine(filters.date_from, midnight, tzinfo=TEHRAN) if bounded else None
    hi = (
        datetime.combine(filters.date_to + timedelta(days=1), midnight, tzinfo=TEHRAN)
        if bounded
        else None
    )

    in_sql = stays_per_state(visible, lo, hi)
    in_python = _stays_reference(visible, lo, hi)

    nothing = (0, 0, None, None)  # what the answer shows for a state absent from either
    for status in set(in_sql) | set(in_python):
        completed, ongoing, median, p90 = in_python.get(status, nothing)
        sql_row = in_sql.get(status, nothing)
        assert sql_row[:2] == (completed, ongoing), status
        for got, want in zip(sql_row[2:], (median, p90), strict=True):
            assert (got is None) == (want is None), status
            if want is not None:
                assert got == pytest.approx(want, abs=1e-9), status
    assert sum(row[1] for row in in_sql.values()) == 11  # one ongoing stay per visible one
    assert sum(row[0] for row in in_sql.values()) >= 8


@pytest.mark.parametrize("limit", [50, 2])
def test_action_item_counts_in_one_sql_pass_equal_the_orm_queries(
    org_a: Any, staff_a: Any, limit: int
) -> None:
    """The one-statement counts and three plain grouped ORM queries agree:
    totals, the top organisations and owners in the same order (ties broken by name),
    items without an owner, done late and on time (Tehran day), overdue."""
    today = stats.today()
    others = [OrganizationFactory(parent=org_a, name=f"واحد {n}") for n in ("ب", "الف", "ج")]
    people = [PersonFactory(organization=o, full_name=f"کارشناس {i}") for i, o in enumerate(others)]
    meeting = MeetingFactory(host=org_a)
    plan = [
        # (owner org index or None, person index or None, status, due offset, done offset)
        (0, 0, ActionItemStatus.OPEN, -3, None),
        (0, 0, ActionItemStatus.OPEN, 5, None),
        (1, 1, ActionItemStatus.OPEN, -1, None),
        (1, None, ActionItemStatus.DONE, -10, -12),
        (2, 2, ActionItemStatus.DONE, -10, -2),
        (2, 2, ActionItemStatus.OPEN, 2, None),
        (None, 0, ActionItemStatus.OPEN, -4, None),
        (None, 1, ActionItemStatus.DONE, 0, 0),
    ]
    for org_i, person_i, status, due, done in plan:
        ActionItemFactory(
            meeting=meeting,
            owner_organization=others[org_i] if org_i is not None else None,
            owner_person=people[person_i] if person_i is not None else None,
            status=status,
            due_date=today + timedelta(days=due),
            completed_at=(
                datetime.combine(today + timedelta(days=done), datetime.min.time(), tzinfo=TEHRAN)
                + timedelta(hours=23, minutes=30)
                if done is not None
                else None
            ),
        )
    qs = stats.action_items_for(staff_a, stats.StatsFilters())

    in_sql = item_counts(row_pairs(qs, today), limit)
    with_orm = _item_counts_reference(qs, today, limit)

    assert in_sql == with_orm
    totals, by_org, by_owner = in_sql
    assert totals == {"open": 5, "overdue": 3, "done": 3, "done_on_time": 2}
    assert len(by_org) == min(limit, 3)
    assert len(by_owner) == min(limit, 3)
