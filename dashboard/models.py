"""Maintained summaries behind the aggregates (issue 17): see docs/performance.md,
"Maintained dashboard summaries".

Two layers, both kept by the database triggers of ``0002_summary_triggers`` in the same
transaction as the write that changes them (services, admin, imports, ``bulk_create``):

- **facts**, one row per source row (agreement, meeting, action item): what the row
  contributes to the aggregates and its *visibility set* (``vis``: the sorted ids of the
  organisations through which it is visible, by the same rules as the selectors);
- **counts per scope**: for every *scope* a viewer has asked with (the exact set of
  organisation ids they see, or "everything"), the counts per dimension, kept as an
  **insert-only log of deltas** (``n`` = +k or −k; no unique key, no upsert): a count is
  the ``SUM(n)`` of its key's rows. A writer only appends rows, so writers never wait on
  one another's counter rows nor lock them in opposite orders (no deadlock, no hot row);
  ``dashboard_compact_summaries()`` (Celery beat, and the rebuild) folds each key's rows
  into one. A fact is added
  once to every scope its visibility set meets (``vis && org_ids``), so a row visible
  through two of the viewer's organisations is counted once, and a cold answer reads the
  scope's few rows, not the source rows.

Scopes are registered on first use (:mod:`dashboard.summaries`); the rows here are never
written by Python except by that registration and ``rebuild_dashboard_summaries``.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models


class SummaryScope(models.Model):
    """A set of organisations some viewer sees (``everything``: a superuser)."""

    signature = models.CharField(max_length=64, unique=True)
    org_ids = ArrayField(models.BigIntegerField(), default=list)
    everything = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    #: Touched at most once a day by a lookup (:func:`dashboard.summaries.scope_id_for`);
    #: a scope unused for ``SCOPE_UNUSED_DAYS`` is dropped by the compaction.
    last_used_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [GinIndex(fields=["org_ids"], name="summaryscope_orgs_gin")]

    def __str__(self) -> str:
        return self.signature[:12]


class AgreementFact(models.Model):
    agreement_id = models.BigIntegerField(primary_key=True)
    vis = ArrayField(models.BigIntegerField())
    status = models.CharField(max_length=32)
    #: ``signed_date`` when the status is one reached only through signature, else null.
    signed_day = models.DateField(null=True)

    class Meta:
        indexes = [GinIndex(fields=["vis"], name="agreementfact_vis_gin")]

    def __str__(self) -> str:
        return f"agreement {self.agreement_id}"


class MeetingFact(models.Model):
    meeting_id = models.BigIntegerField(primary_key=True)
    vis = ArrayField(models.BigIntegerField())
    #: Tehran day of ``start`` when the meeting was held, else null.
    held_day = models.DateField(null=True)

    class Meta:
        indexes = [GinIndex(fields=["vis"], name="meetingfact_vis_gin")]

    def __str__(self) -> str:
        return f"meeting {self.meeting_id}"


class ActionItemFact(models.Model):
    """An open or done item (cancelled items count nowhere); ``vis`` is its meeting's."""

    item_id = models.BigIntegerField(primary_key=True)
    meeting_id = models.BigIntegerField(db_index=True)
    vis = ArrayField(models.BigIntegerField())
    #: ``owner_organization_id`` / ``owner_person_id``, 0 for none.
    org = models.BigIntegerField()
    person = models.BigIntegerField()
    status = models.CharField(max_length=16)
    due_date = models.DateField()
    on_time = models.BooleanField()

    class Meta:
        indexes = [GinIndex(fields=["vis"], name="actionitemfact_vis_gin")]

    def __str__(self) -> str:
        return f"action item {self.item_id}"


class ScopeStatusCount(models.Model):
    """Agreements per status visible in a scope."""

    scope = models.ForeignKey(SummaryScope, on_delete=models.CASCADE, db_constraint=False)
    status = models.CharField(max_length=32)
    n = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["scope", "status"], name="scopestatuscount_key")]

    def __str__(self) -> str:
        return f"{self.scope_id} {self.status}: {self.n}"


class ScopeDayCount(models.Model):
    """Per day: agreements signed (series 1) or meetings held (series 2) in a scope."""

    SIGNED = 1
    HELD = 2
    scope = models.ForeignKey(SummaryScope, on_delete=models.CASCADE, db_constraint=False)
    series = models.SmallIntegerField()
    day = models.DateField()
    n = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["scope", "series", "day"], name="scopedaycount_key")]

    def __str__(self) -> str:
        return f"{self.scope_id} {self.series} {self.day}: {self.n}"


class ScopeItemCount(models.Model):
    """Action items of a scope per owner (organisation, person), status, due day, on time."""

    scope = models.ForeignKey(SummaryScope, on_delete=models.CASCADE, db_constraint=False)
    org = models.BigIntegerField()
    person = models.BigIntegerField()
    status = models.CharField(max_length=16)
    due_date = models.DateField()
    on_time = models.BooleanField()
    n = models.BigIntegerField(default=0)

    class Meta:
        # The open items not yet due (``overdue`` = open − those) and the due-date filters.
        indexes = [
            models.Index(fields=["scope", "status", "due_date"], name="scopeitemcount_due"),
        ]

    def __str__(self) -> str:
        return f"{self.scope_id} {self.org}/{self.person} {self.status}: {self.n}"


class ScopeItemTotal(models.Model):
    """Action items of a scope per owner (organisation, person), status and on time, all
    due dates together: the unfiltered answer reads these (one row per owner and status)
    and subtracts the open items not yet due from :class:`ScopeItemCount`."""

    scope = models.ForeignKey(SummaryScope, on_delete=models.CASCADE, db_constraint=False)
    org = models.BigIntegerField()
    person = models.BigIntegerField()
    status = models.CharField(max_length=16)
    on_time = models.BooleanField()
    n = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["scope"], name="scopeitemtotal_scope")]

    def __str__(self) -> str:
        return f"{self.scope_id} {self.org}/{self.person} {self.status}: {self.n}"
