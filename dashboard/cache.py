"""Cache of the aggregates (Redis in production), invalidated by the writes that change them.

A cached answer's key names everything it depends on:

- the aggregate and its validated filters;
- who asks, as the *set of organisations they see* (users with the same scope share
  entries; a superuser is "all");
- today's Tehran date (overdue and upcoming move with the calendar);
- a **data fingerprint**: the newest ``updated_at`` and the highest id of agreements,
  meetings and action items, and the highest status-change id, read in one index-only
  query; plus a **generation** counter bumped by ``post_save``/``post_delete``/
  ``m2m_changed`` of the models the aggregates read (this catches deletes and changes of
  rows without ``updated_at``: parties, participants, organisations' provinces).

Any write through the services changes the fingerprint, so a stale answer is never
served; unchanged data is served from the cache, and its ETag (derived from the key) lets a
client revalidate with a 304 without any aggregate query running.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save

from organizations.scoping import org_scope_for_user

GENERATION_KEY = "dashboard:stats:generation"
#: A safety net: even a write that bypasses both the fingerprint and the signals (a raw SQL
#: UPDATE) is visible after this many seconds.
TIMEOUT = 300
#: Bumped when the shape of an answer changes, so that older cached answers are not served.
VERSION = 3


def bump_generation(**_: Any) -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    return int(value) if value is not None else 0


def connect_invalidation_signals() -> None:
    from agreements.models import Agreement, AgreementParty, AgreementStatusChange
    from commitments.models import Commitment, CommitmentOccurrence, OccurrenceStatusChange
    from meetings.models import ActionItem, Meeting, ParticipantResponse
    from organizations.models import Organization, Person

    for model in (
        Commitment,
        CommitmentOccurrence,
        OccurrenceStatusChange,
        Agreement,
        AgreementParty,
        AgreementStatusChange,
        Meeting,
        ActionItem,
        # A declined invitation takes the meeting out of that organisation's counts.
        ParticipantResponse,
        Organization,
        Person,
    ):
        post_save.connect(bump_generation, sender=model, dispatch_uid=f"stats-{model.__name__}")
        post_delete.connect(
            bump_generation, sender=model, dispatch_uid=f"stats-del-{model.__name__}"
        )
    m2m_changed.connect(
        bump_generation, sender=Meeting.participants.through, dispatch_uid="stats-participants"
    )


def fingerprint() -> str:
    """Newest change and highest id of each table the aggregates read (one query)."""
    from agreements.models import Agreement, AgreementStatusChange
    from commitments.models import Commitment, OccurrenceStatusChange
    from meetings.models import ActionItem, Meeting

    sql = []
    for model in (Agreement, Meeting, ActionItem, Commitment):
        table = connection.ops.quote_name(model._meta.db_table)
        sql.append(f"(SELECT MAX(updated_at) FROM {table})")  # noqa: S608 - table names only
        sql.append(f"(SELECT MAX(id) FROM {table})")  # noqa: S608
    # Every occurrence move (and creation) appends a status change row.
    for change_model in (AgreementStatusChange, OccurrenceStatusChange):
        table = connection.ops.quote_name(change_model._meta.db_table)
        sql.append(f"(SELECT MAX(id) FROM {table})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(sql))
        row = cursor.fetchone()
    return "|".join(str(value) for value in row)


def scope_signature(user: Any) -> str:
    scope = org_scope_for_user(user)
    if scope.everything:
        return "all"
    ids = ",".join(str(i) for i in sorted(scope.ids))
    return hashlib.sha256(ids.encode()).hexdigest()[:24]


def cache_key(name: str, user: Any, params: dict[str, Any], today: str) -> str:
    material = json.dumps(
        [VERSION, name, scope_signature(user), params, today, generation(), fingerprint()],
        sort_keys=True,
        default=str,
    )
    return "dashboard:stats:" + hashlib.sha256(material.encode()).hexdigest()


def cached(key: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=TIMEOUT)
    return value
