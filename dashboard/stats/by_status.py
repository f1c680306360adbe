"""How many visible agreements are in each status now."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from agreements.choices import AgreementStatus

from .. import summaries
from .common import StatsFilters, agreements_for, envelope, summarised
from .links import agreement_list_params, list_url


def agreements_by_status(*, user: Any, filters: StatsFilters) -> dict[str, Any]:
    """How many visible agreements are in each status now (one query).

    Unfiltered, from the scope's maintained counts (:mod:`dashboard.summaries`); with an
    organisation or province filter, from the rows."""
    scope_id = summaries.scope_id_for(user) if summarised(filters) else None
    if scope_id is not None:
        counts = summaries.status_counts(scope_id)
    else:
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
            "url": list_url(
                "agreements:agreement_list", {**agreement_params, "status": status.value}
            ),
        }
        for status in AgreementStatus
    ]
    return envelope(filters, total=sum(counts.values()), results=rows)
