"""The text given to ``meeting_from_text``: its length limit, and the meeting already logged
from the same text for the same host (so reading a report twice does not log it twice)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError

from tracker.exceptions import ConflictError
from tracker.persian import text_key, to_persian_digits

from ..models import Meeting
from ..selectors import meeting_list_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from organizations.models import Organization


class DuplicateReportError(ConflictError):
    """The text was already logged as ``meeting`` for this host (HTTP 409, with its id)."""

    def __init__(self, meeting: Meeting) -> None:
        super().__init__(
            f"این متن پیش‌تر برای «{meeting.host.name}» ثبت شده است: «{meeting.title}» "
            f"(شماره {to_persian_digits(str(meeting.pk))}). برای ثبت دوباره، "
            "«allow_duplicate» را بفرستید.",
            field="text",
            extra={"meeting": meeting.pk},
        )
        self.meeting = meeting


def _number(n: int) -> str:
    return to_persian_digits(f"{n:,}").replace(",", "٬")


def check_text_length(text: str) -> None:
    """A Persian 400 on ``text`` past ``INTAKE_MAX_TEXT_LENGTH`` characters."""
    limit = settings.INTAKE_MAX_TEXT_LENGTH
    if len(text) > limit:
        raise ValidationError(
            {
                "text": f"متن گزارش حداکثر {_number(limit)} نویسه "
                f"است؛ این متن {_number(len(text))} نویسه دارد. فقط خبر یا "
                "صورتجلسه همین جلسه را بچسبانید."
            }
        )


def duplicate_of(*, actor: User, host: Organization, text: str) -> Meeting | None:
    """The meeting the actor still sees that was read from the same text for ``host``.

    «The same» is :func:`tracker.persian.text_key`, stored at write time
    (``Meeting.source_key``, indexed with the host): Arabic or Persian letters, digits of
    any script, spaces, half-spaces and line breaks do not make a second report of a pasted
    one, and no stored text is read or normalised to find it (one indexed query).
    """
    return (
        meeting_list_for_user(user=actor)
        .filter(host=host, source_key=text_key(text))
        .order_by("pk")
        .first()
    )
