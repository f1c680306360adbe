"""The minutes document («صورتجلسه»): one HTML template, printed by browsers or WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Meeting

TEMPLATE = "meetings/meeting_minutes.html"


def minutes_context(meeting: Meeting, carried_over: list[Any]) -> dict[str, Any]:
    attendances = list(meeting.attendances.all())
    return {
        "meeting": meeting,
        "attendances": attendances,
        "present": [a for a in attendances if a.status == "present" and not a.is_group],
        "agenda_items": list(meeting.agenda_items.all()),
        "decisions": list(meeting.decisions.all()),
        "statements": list(meeting.statements.all()),
        "action_items": list(meeting.action_items.all()),
        "addenda": list(meeting.addenda.all()),
        "participants": list(meeting.participants.all()),
        "carried_over": carried_over,
        # An open item past its due date is «معوق» in the document as on the page.
        "today": timezone.localdate(),
    }


def minutes_pdf(
    meeting: Meeting, carried_over: list[Any], request: HttpRequest | None = None
) -> bytes:
    """The minutes as a PDF: Vazirmatn from the project's static files, right to left."""
    from weasyprint import HTML  # imported late: it loads Pango, which the web pages never need

    html = render_to_string(
        TEMPLATE, {**minutes_context(meeting, carried_over), "for_pdf": True}, request=request
    )
    static_dir = settings.BASE_DIR / "static"
    return bytes(HTML(string=html, base_url=static_dir.as_uri() + "/").write_pdf())
