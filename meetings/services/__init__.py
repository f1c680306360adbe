"""Writes of meetings and action items. Each is one transaction that audits itself.

A package along the seams of the former ``services.py``: ``inputs`` (what the services
take), ``validation`` (the checks, all errors at once), ``rows`` (nested rows, participants,
audit events), the meeting writes (``log``, ``update``, ``lifecycle``: held, cancel,
approve, addendum, confirm; ``links``: agreements), ``action_items`` and ``calendar_feed``.
Callers import from here (``meetings`` re-exports the meeting writes for older imports).
"""

from .action_items import (
    action_item_cancel,
    action_item_complete,
    action_item_create,
    action_item_reassign,
    may_work_on_action_item,
)
from .agreement_draft import meeting_agreement_draft, meeting_signed_agreements_create
from .calendar_feed import calendar_feed_token_create, calendar_feed_token_revoke
from .inputs import (
    MEETING_FIELDS,
    ActionItemInput,
    AgendaItemInput,
    AttendanceInput,
    DecisionInput,
    StatementInput,
)
from .intake import meeting_from_text
from .intake_preview import FromTextPreview, meeting_from_text_preview
from .intake_source import DuplicateReportError
from .invitations import invitation_organization, meeting_invitation_respond
from .lifecycle import (
    meeting_cancel,
    meeting_confirm,
    meeting_mark_held,
    minutes_addendum_add,
    minutes_approve,
)
from .links import meeting_link_agreement
from .log import meeting_log, meeting_log_errors
from .review import meeting_review_confirm, meeting_review_save
from .update import meeting_update
from .update_errors import meeting_update_errors

__all__ = [
    "MEETING_FIELDS",
    "ActionItemInput",
    "AgendaItemInput",
    "AttendanceInput",
    "DecisionInput",
    "DuplicateReportError",
    "FromTextPreview",
    "StatementInput",
    "action_item_cancel",
    "action_item_complete",
    "action_item_create",
    "action_item_reassign",
    "calendar_feed_token_create",
    "calendar_feed_token_revoke",
    "invitation_organization",
    "may_work_on_action_item",
    "meeting_agreement_draft",
    "meeting_cancel",
    "meeting_confirm",
    "meeting_from_text",
    "meeting_from_text_preview",
    "meeting_invitation_respond",
    "meeting_link_agreement",
    "meeting_log",
    "meeting_log_errors",
    "meeting_mark_held",
    "meeting_review_confirm",
    "meeting_review_save",
    "meeting_signed_agreements_create",
    "meeting_update",
    "meeting_update_errors",
    "minutes_addendum_add",
    "minutes_approve",
]
