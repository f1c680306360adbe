"""The former home of the meeting writes, now split along their seams: ``log`` (log and its
checks), ``update`` (edit), ``lifecycle`` (held, cancel, approve, addendum, confirm) and
``links`` (agreement links). Kept so that ``from meetings.services.meetings import X``
still works; new code imports from ``meetings.services``."""

from .lifecycle import (
    meeting_cancel,
    meeting_confirm,
    meeting_mark_held,
    minutes_addendum_add,
    minutes_approve,
)
from .links import meeting_link_agreement
from .log import meeting_log, meeting_log_errors
from .update import meeting_update

__all__ = [
    "meeting_cancel",
    "meeting_confirm",
    "meeting_link_agreement",
    "meeting_log",
    "meeting_log_errors",
    "meeting_mark_held",
    "meeting_update",
    "minutes_addendum_add",
    "minutes_approve",
]
