"""Reads of the maintained summaries (dashboard/models.py, issue 17), scoped to a viewer.

A viewer's scope (the exact set of organisations they see) is registered the first time
they ask (:func:`scope_id_for`): its counts are built from the facts once, under a lock
that lets no writer commit in between, and from then on the triggers keep them. Then an
answer reads only that scope's rows: their number follows the statuses, the days and the
owners in the viewer's scope, not the number of agreements, meetings or items.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.db import connection, transaction

from organizations.scoping import org_scope_for_user

from .models import (
    ActionItemFact,
    AgreementFact,
    MeetingFact,
    ScopeDayCount,
    ScopeStatusCount,
    SummaryScope,
)

_ATTR = "_tracker_summary_scope_id"


def _signature(user: Any) -> tuple[str, list[int], bool]:
    scope = org_scope_for_user(user)
    if scope.everything:
        return "all", [], True
    ids = sorted(scope.ids)
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest(), ids, False


def scope_id_for(user: Any) -> int:
    """The summary scope of ``user``'s organisations: one query once registered (cached on
    the user object, keyed by the scope's signature, so a changed scope looks again)."""
    signature, ids, everything = _signature(user)
    cached = getattr(user, _ATTR, None)
    if cached is not None and cached[0] == signature:
        return int(cached[1])
    found = SummaryScope.objects.filter(signature=signature).values_list("pk", flat=True).first()
    if found is None:
        found = register_scope(signature, ids, everything)
    setattr(user, _ATTR, (signature, found))
    return found


def register_scope(signature: str, ids: list[int], everything: bool) -> int:
    """Add a scope and build its counts from the facts. The facts are locked (SHARE) for
    the build: a writer in flight commits first (its rows are then in the facts), a later
    one waits and its triggers then see the new scope, so no change is lost or doubled."""
    tables = ", ".join(
        connection.ops.quote_name(m._meta.db_table)
        for m in (AgreementFact, MeetingFact, ActionItemFact)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN SHARE MODE")
        scope, created = SummaryScope.objects.get_or_create(
            signature=signature, defaults={"org_ids": ids, "everything": everything}
        )
        if created:
            cursor.execute("SELECT dashboard_build_scope(%s)", [scope.pk])
    return int(scope.pk)


def rebuild() -> None:
    """Every fact and every registered scope's counts again from the rows, in one
    transaction (idempotent)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT dashboard_rebuild_summaries()")


def status_counts(scope_id: int) -> dict[str, int]:
    return dict(
        ScopeStatusCount.objects.filter(scope_id=scope_id, n__gt=0).values_list("status", "n")
    )


def timeline_counts(
    scope_id: int, start: date, end: date
) -> tuple[dict[date, int], dict[date, int]]:
    """Agreements signed and meetings held per day from ``start`` to ``end`` (one query)."""
    signed: dict[date, int] = {}
    held: dict[date, int] = {}
    rows = ScopeDayCount.objects.filter(
        scope_id=scope_id, day__gte=start, day__lte=end, n__gt=0
    ).values_list("series", "day", "n")
    for series, day, n in rows:
        (signed if series == ScopeDayCount.SIGNED else held)[day] = n
    return signed, held


_SNAPSHOTS = {
    "agreement facts": "SELECT agreement_id, vis, status, signed_day FROM dashboard_agreementfact",
    "meeting facts": "SELECT meeting_id, vis, held_day FROM dashboard_meetingfact",
    "action item facts": (
        "SELECT item_id, meeting_id, vis, org, person, status, due_date, on_time"
        " FROM dashboard_actionitemfact"
    ),
    "status counts": "SELECT scope_id, status, n FROM dashboard_scopestatuscount WHERE n <> 0",
    "day counts": "SELECT scope_id, series, day, n FROM dashboard_scopedaycount WHERE n <> 0",
    "item counts": (
        "SELECT scope_id, org, person, status, due_date, on_time, n"
        " FROM dashboard_scopeitemcount WHERE n <> 0"
    ),
    "item totals": (
        "SELECT scope_id, org, person, status, on_time, n"
        " FROM dashboard_scopeitemtotal WHERE n <> 0"
    ),
}


def snapshot() -> dict[str, set[tuple[Any, ...]]]:
    """Every fact and every non-zero count, as sets of tuples (for comparisons)."""
    out: dict[str, set[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for name, sql in _SNAPSHOTS.items():
            cursor.execute(sql)
            out[name] = {
                tuple(tuple(v) if isinstance(v, list) else v for v in row)
                for row in cursor.fetchall()
            }
    return out


def differences_from_rebuild() -> dict[str, int]:
    """How many rows of each kind differ between the maintained summaries and a rebuild
    from the rows (the rebuild is rolled back)."""
    before = snapshot()
    with transaction.atomic():
        rebuild()
        after = snapshot()
        transaction.set_rollback(True)
    return {name: len(before[name] ^ after[name]) for name in before if before[name] != after[name]}
