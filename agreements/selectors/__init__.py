"""Reads of agreements, always through :func:`agreement_list_for_user` (the one scope rule).

A package along the seams of the old module, re-exporting what callers use:
:mod:`.visibility` (the scope rule, one agreement, what a party sees of its past, who may
edit or approve), :mod:`.versions` (versions, diff, approvals), :mod:`.transitions` (the
workflow facts and the moves a user may make), :mod:`.history` (status and field history),
:mod:`.timeline` (all of it in one list, with the rows other apps register) and
:mod:`.home` (the home page card).
"""

from __future__ import annotations

from .history import agreement_field_history, agreement_status_changes
from .home import home_summary_for_user
from .references import (
    agreement_form_initial,
    agreement_next_references,
    agreement_owner_choices,
)
from .timeline import (
    TimelineRow,
    TimelineRowsProvider,
    agreement_timeline,
    register_timeline_rows,
)
from .transitions import (
    AvailableTransition,
    agreement_transitions_for_user,
    agreement_workflow_facts,
)
from .versions import (
    agreement_approvals,
    agreement_current_version,
    agreement_diff,
    agreement_version_get,
    agreement_versions,
)
from .visibility import (
    AGREEMENT_API_FIELDS,
    SEARCH_FIELDS,
    PartyWindow,
    agreement_api_list_for_user,
    agreement_get_for_user,
    agreement_list_for_user,
    agreement_parties,
    agreement_party_get,
    agreement_party_window,
    approvable_parties,
    tehran_today,
    user_can_edit,
)

__all__ = [
    "AGREEMENT_API_FIELDS",
    "SEARCH_FIELDS",
    "AvailableTransition",
    "PartyWindow",
    "TimelineRow",
    "TimelineRowsProvider",
    "agreement_api_list_for_user",
    "agreement_approvals",
    "agreement_current_version",
    "agreement_diff",
    "agreement_field_history",
    "agreement_form_initial",
    "agreement_get_for_user",
    "agreement_list_for_user",
    "agreement_next_references",
    "agreement_owner_choices",
    "agreement_parties",
    "agreement_party_get",
    "agreement_party_window",
    "agreement_status_changes",
    "agreement_timeline",
    "agreement_transitions_for_user",
    "agreement_version_get",
    "agreement_versions",
    "agreement_workflow_facts",
    "approvable_parties",
    "home_summary_for_user",
    "register_timeline_rows",
    "tehran_today",
    "user_can_edit",
]
