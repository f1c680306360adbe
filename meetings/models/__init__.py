"""Meetings between organisations: who attended, the agenda, minutes, decisions, action items.

A package along the seams of the former ``models.py``: ``meeting`` (meetings and series),
``record`` (attendance, agenda, decisions, statements, addenda), ``action_items``,
``events`` (audit events, invitation responses) and ``calendar_feed``. Every model is
imported here, so Django finds them and callers import from here.
"""

from .action_items import ActionItem
from .calendar_feed import CalendarFeedToken
from .events import MeetingEvent, ParticipantResponse
from .meeting import Meeting, MeetingSeries
from .record import AgendaItem, Attendance, Decision, MinutesAddendum, Statement

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Attendance",
    "CalendarFeedToken",
    "Decision",
    "Meeting",
    "MeetingEvent",
    "MeetingSeries",
    "MinutesAddendum",
    "ParticipantResponse",
    "Statement",
]
