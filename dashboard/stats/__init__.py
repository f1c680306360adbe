"""The aggregates behind /api/v1/stats/ and the dashboard page: reads only, always scoped.

One module per aggregate (``by_status``, ``durations``, ``timeline``, ``action_items``,
``upcoming``), the filters, answer frame and scoped rows they share in ``common``, and the
links to the list pages behind the numbers in ``links``. Each aggregate runs a fixed
number of grouped queries whatever the number of rows; PostgreSQL is the only engine, so
each has one implementation. Every answer names its calendar and time zone
(see :func:`envelope`).
"""

from __future__ import annotations

from .action_items import action_item_stats
from .by_status import agreements_by_status
from .commitments import commitment_stats
from .common import (
    StatsFilters,
    action_items_for,
    agreements_for,
    envelope,
    meetings_for,
    today,
)
from .durations import state_durations
from .timeline import timeline
from .upcoming import upcoming_deadlines

__all__ = [
    "AGGREGATES",
    "StatsFilters",
    "action_item_stats",
    "action_items_for",
    "agreements_by_status",
    "agreements_for",
    "commitment_stats",
    "envelope",
    "meetings_for",
    "state_durations",
    "timeline",
    "today",
    "upcoming_deadlines",
]

#: Every aggregate by the name of its API path (``/api/v1/stats/<name>/``), its cache key
#: and its dashboard section: the API views and the dashboard page read this one table.
AGGREGATES = {
    "agreements-by-status": agreements_by_status,
    "state-durations": state_durations,
    "timeline": timeline,
    "action-items": action_item_stats,
    "upcoming": upcoming_deadlines,
    "commitments": commitment_stats,
}
