"""The meeting's place: «در محل …», «در سالن جلسات …», «در دفتر …», «در ساختمان …»."""

from __future__ import annotations

import re

from .fold import Folded, tidy
from .types import PlaceReading

PLACE = re.compile(
    r"در\s+(?P<head>محل\s+دفتر|محل|سالن\s+(?:جلسات|اجتماعات|همایش ?های|کنفرانس)"
    r"|دفتر|ساختمان|اتاق\s+جلسات)"
    r"\s+(?P<rest>[^.،,:؛\n]{2,80}?)"
    r"(?=\s+(?:برگزار|تشکیل|با\s+حضور|با\s+شرکت|و\s+با)|\s+که\s|[.،,:؛\n]|$)"
)


def read_place(folded: Folded) -> PlaceReading | None:
    """The first place named; «در محل این شهرداری» (pointing back) gets a low confidence."""
    for m in PLACE.finditer(folded.text):
        head = m.group("head")
        rest = m.group("rest").strip()
        text = rest if head == "محل" else f"{head} {rest}"
        pointing_back = rest.startswith(("این ", "آن "))
        confidence = 0.5 if pointing_back else 0.85
        return PlaceReading(tidy(text), confidence, folded.span(m.start("head"), m.end("rest")))
    return None
