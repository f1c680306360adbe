"""Bulk demo data for benchmarks: ``manage.py seed_demo --scale N``.

This is **not** how the application writes. Services (``meeting_log``,
``agreement_transition``...) validate, audit and refresh reminders row by row; at 10,000
meetings that takes hours. Seeding writes the same rows directly with ``bulk_create`` in
batches, and keeps every database constraint and the workflow's invariants by construction:

- meetings: end after start; past meetings are held, minutes approved or cancelled, future
  ones planned; attendance is a person (once per meeting) or a named group with a head-count;
  agenda and decision numbers are unique per meeting;
- action items: an owner (person or organisation); ``completed_at`` exactly when done;
- agreements: the status history is a walk along ``agreements.workflow.TRANSITIONS`` from
  draft (``status`` and ``status_changed_at`` are its last step); one first and one second
  party; 2–3 numbered versions, the last one current; every party approved the current
  text from «approved» on; signing, effective and expiry dates consistent with the status.

Skipped on purpose: audit rows (``MeetingEvent``, simple-history), reminders. Scale 1 is
about 200 organisations, 10,000 meetings, 50,000 action items and 2,000 agreements.
Everything comes from one ``random.Random(seed)`` and ``today``: same arguments, same rows.
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction

from .agreements import seed_agreements
from .common import SeedCounts
from .meetings import seed_meetings
from .organizations import seed_organizations, seed_users

__all__ = ["SeedCounts", "seed"]


@transaction.atomic
def seed(*, scale: float, seed: int = 1399, today: date) -> SeedCounts:
    """Write the demo rows for ``scale`` in one transaction; return the counts."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    # Demo data, reproducible on purpose: not a secret.
    rng = random.Random(seed)  # noqa: S311
    counts = SeedCounts()
    orgs = seed_organizations(rng, scale, counts)
    user = seed_users(orgs, counts)
    agreements = seed_agreements(rng, scale, today, orgs, user, counts)
    seed_meetings(rng, scale, today, orgs, agreements, user, counts)
    return counts
