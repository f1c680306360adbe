"""Reads of the maintained summaries (dashboard/models.py, issue 17), scoped to a viewer.

A viewer's scope (the exact set of organisations they see) is registered the first time
they ask (:func:`scope_id_for`): its counts are built from the facts once, under a lock
that lets no writer commit in between (waited for briefly: else that request reads the
rows), and from then on the triggers keep them, appending delta rows that a read sums and
:func:`compact` folds. Then an
answer reads only that scope's rows: their number follows the statuses, the days and the
owners in the viewer's scope, not the number of agreements, meetings or items.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Sum

from organizations.scoping import org_scope_for_user

from .models import (
    ActionItemFact,
    AgreementFact,
    MeetingFact,
    ScopeDayCount,
    ScopeItemCount,
    ScopeItemTotal,
    ScopeStatusCount,
    SummaryScope,
)

_ITEM_COUNTS = (ScopeItemCount, ScopeItemTotal)

_ATTR = "_tracker_summary_scope_id"


def _signature(user: Any) -> tuple[str, list[int], bool]:
    scope = org_scope_for_user(user)
    if scope.everything:
        return "all", [], True
    ids = sorted(scope.ids)
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest(), ids, False


def scope_id_for(user: Any) -> int | None:
    """The summary scope of ``user``'s organisations: one query once registered (cached on
    the user object, keyed by the scope's signature, so a changed scope looks again).

    ``None`` when the scope is new and could not be registered now (a writer held the facts
    past :data:`REGISTER_LOCK_TIMEOUT`, or a deadlock): the caller reads the rows for this
    request (the same answer), and a later request registers it."""
    signature, ids, everything = _signature(user)
    cached = getattr(user, _ATTR, None)
    if cached is not None and cached[0] == signature:
        return int(cached[1])
    found = _lookup(signature)
    if found is None:
        found = register_scope(signature, ids, everything)
        if found is None:
            return None
    setattr(user, _ATTR, (signature, found))
    return found


#: A scope nobody has looked up for this long is dropped (:func:`drop_unused_scopes`).
SCOPE_UNUSED_DAYS = 30


def _lookup(signature: str) -> int | None:
    """The scope's id (one query), its ``last_used_at`` touched if older than a day."""
    table = SummaryScope._meta.db_table
    sql = f"""
        WITH s AS (SELECT id, last_used_at FROM {table} WHERE signature = %s),
        touched AS (
            UPDATE {table} t SET last_used_at = now() FROM s
            WHERE t.id = s.id AND s.last_used_at < now() - interval '1 day'
        )
        SELECT id FROM s
    """  # noqa: S608  (our own table; the value is a param)
    with connection.cursor() as cursor:
        cursor.execute(sql, [signature])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def drop_unused_scopes(days: int = SCOPE_UNUSED_DAYS) -> int:
    """Drop the scopes nobody looked up for ``days`` days and their counts (every write
    stops paying for them; a viewer coming back registers theirs again); how many.

    Under the facts' SHARE lock (waited for briefly, else nothing is done this time): a
    writer in flight commits first, a later one no longer sees the dropped scopes."""
    tables = ", ".join(
        connection.ops.quote_name(m._meta.db_table)
        for m in (AgreementFact, MeetingFact, ActionItemFact)
    )
    counts = [m._meta.db_table for m in (ScopeStatusCount, ScopeDayCount, *_ITEM_COUNTS)]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', '1s', true)")
            cursor.execute(f"LOCK TABLE {tables} IN SHARE MODE")
            cursor.execute(
                f"DELETE FROM {SummaryScope._meta.db_table}"  # noqa: S608  (our table)
                " WHERE last_used_at < now() - make_interval(days => %s) RETURNING id",
                [days],
            )
            ids = [row[0] for row in cursor.fetchall()]
            for table in counts:
                cursor.execute(f"DELETE FROM {table} WHERE scope_id = ANY(%s)", [ids])  # noqa: S608
    except OperationalError:
        return 0
    return len(ids)


#: How long a request waits for the facts' locks to register a new scope before it gives
#: up and answers from the rows (a writer in flight, e.g. an import, keeps them meanwhile).
REGISTER_LOCK_TIMEOUT = "200ms"


def register_scope(signature: str, ids: list[int], everything: bool) -> int | None:
    """Add a scope and build its counts from the facts; ``None`` if the facts' locks were
    not had in :data:`REGISTER_LOCK_TIMEOUT` (or a deadlock): nothing is left behind.

    The facts are locked (SHARE) for the build: a writer in flight commits first (its rows
    are then in the facts), a later one waits and its triggers then see the new scope, so
    no change is lost or doubled. Within a savepoint with a short ``lock_timeout``, so a
    request never waits long for a writer, and a writer waits at most for the build."""
    tables = ", ".join(
        connection.ops.quote_name(m._meta.db_table)
        for m in (AgreementFact, MeetingFact, ActionItemFact)
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('lock_timeout')")
            previous = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [REGISTER_LOCK_TIMEOUT])
            cursor.execute(f"LOCK TABLE {tables} IN SHARE MODE")
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
            scope, created = SummaryScope.objects.get_or_create(
                signature=signature, defaults={"org_ids": ids, "everything": everything}
            )
            if created:
                cursor.execute("SELECT dashboard_build_scope(%s)", [scope.pk])
    except OperationalError:
        # Lock timeout or deadlock: the savepoint (or transaction) is rolled back, its locks
        # and the setting with it.
        return None
    return int(scope.pk)


def rebuild() -> None:
    """Every fact and every registered scope's counts again from the rows, in one
    transaction (idempotent). It locks the facts (EXCLUSIVE) first: writers wait for it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT dashboard_rebuild_summaries()")


def compact() -> int:
    """Fold each count's delta rows into one (and drop those that sum to 0), in one
    transaction; the number of rows folded (0 if another compaction or a rebuild runs)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT dashboard_compact_summaries()")
        return int(cursor.fetchone()[0])


def status_counts(scope_id: int) -> dict[str, int]:
    """Agreements per status in the scope (the sum of each status' delta rows)."""
    rows = (
        ScopeStatusCount.objects.filter(scope_id=scope_id)
        .values_list("status")
        .annotate(total=Sum("n"))
        .values_list("status", "total")
        .order_by()
    )
    return {status: int(total) for status, total in rows if total}


def timeline_counts(
    scope_id: int, start: date, end: date
) -> tuple[dict[date, int], dict[date, int]]:
    """Agreements signed and meetings held per day from ``start`` to ``end`` (one query)."""
    signed: dict[date, int] = {}
    held: dict[date, int] = {}
    rows = (
        ScopeDayCount.objects.filter(scope_id=scope_id, day__gte=start, day__lte=end)
        .values_list("series", "day")
        .annotate(total=Sum("n"))
        .values_list("series", "day", "total")
        .order_by()
    )
    for series, day, total in rows:
        if total:
            (signed if series == ScopeDayCount.SIGNED else held)[day] = int(total)
    return signed, held


_SNAPSHOTS = {
    "agreement facts": "SELECT agreement_id, vis, status, signed_day FROM dashboard_agreementfact",
    "meeting facts": "SELECT meeting_id, vis, held_day FROM dashboard_meetingfact",
    "action item facts": (
        "SELECT item_id, meeting_id, vis, org, person, status, due_date, on_time"
        " FROM dashboard_actionitemfact"
    ),
    # The counts are delta logs: each key's sum, the keys that sum to 0 left out.
    "status counts": (
        "SELECT scope_id, status, SUM(n)::bigint FROM dashboard_scopestatuscount"
        " GROUP BY 1, 2 HAVING SUM(n) <> 0"
    ),
    "day counts": (
        "SELECT scope_id, series, day, SUM(n)::bigint FROM dashboard_scopedaycount"
        " GROUP BY 1, 2, 3 HAVING SUM(n) <> 0"
    ),
    "item counts": (
        "SELECT scope_id, org, person, status, due_date, on_time, SUM(n)::bigint"
        " FROM dashboard_scopeitemcount GROUP BY 1, 2, 3, 4, 5, 6 HAVING SUM(n) <> 0"
    ),
    "item totals": (
        "SELECT scope_id, org, person, status, on_time, SUM(n)::bigint"
        " FROM dashboard_scopeitemtotal GROUP BY 1, 2, 3, 4, 5 HAVING SUM(n) <> 0"
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
