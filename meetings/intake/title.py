"""The meeting's title and kind, from the sentence that says the meeting was held.

A report names its meeting in the sentence that says it took place: «جلسه هماهنگی در خصوص
… با حضور … در محل … برگزار شد». The title is that noun phrase, up to «با حضور», «در محل»,
«در سالن», «در دفتر» or the verb; without such a sentence, the headline (:mod:`.headline`)
stands in, else the first line after the archive's date lines, with a lower confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.text import DELETED_CHARS, LETTER_MAP

from .fold import fold
from .headline import find_headline
from .publication import _header_end
from .types import Span

#: ``meetings.choices.MeetingKind`` values (the reader imports no Django models).
COORDINATION = "coordination"
NEGOTIATION = "negotiation"
SIGNING = "signing"
FOLLOW_UP = "follow_up"

# Words on one line (the folded text has single spaces); the phrase ends where the place,
# the attendance, the time or the verb begins.
TITLE = re.compile(
    r"(?P<t>(?:جلسه|نشست|گردهمایی)(?: [^\s.:]+){1,40}?)"
    r" (?=با حضور|با شرکت|در محل|در سالن|در دفتر|در تاریخ|برگزار|تشکیل|صبح|عصر|ظهر"
    r"|امروز|دیروز|روز گذشته|ساعت|(?:روز )?(?:شنبه|یکشنبه|دوشنبه|سه ?شنبه|چهارشنبه|پنجشنبه|جمعه) )"
)
KINDS = (
    (re.compile(r"امضا|انعقاد"), SIGNING),
    (re.compile(r"مذاکره"), NEGOTIATION),
    (re.compile(r"پیگیری"), FOLLOW_UP),
)
MAX_TITLE = 300


@dataclass(frozen=True)
class TitleReading:
    text: str
    kind: str
    confidence: float
    span: Span


def _clean(original: str) -> str:
    """The title as written, in Persian letters, one space between words; its half-spaces
    kept («تفاهم‌نامه»), unlike the folded copy the patterns search."""
    letters = "".join(LETTER_MAP.get(ch, ch) for ch in original if ch not in DELETED_CHARS)
    return " ".join(letters.split())[:MAX_TITLE]


def _kind(title: str) -> str:
    for pattern, kind in KINDS:
        if pattern.search(title):
            return kind
    return COORDINATION


def read_title(text: str) -> TitleReading | None:
    """The title and kind of the meeting the report tells of, or ``None``."""
    folded = fold(text)
    found = TITLE.search(folded.text)
    if found is not None:
        span = folded.span(*found.span("t"))
        title = _clean(text[span[0] : span[1]])
        return TitleReading(title, _kind(title), 0.7, span)
    headline = find_headline(folded)
    if headline is not None:
        span = folded.span(*headline)
        title = _clean(text[span[0] : span[1]])
        return TitleReading(title, _kind(title), 0.4, span)
    start = _header_end(folded.text) if folded.text.count("\n") >= 4 else 0
    for line in re.finditer(r"[^\n]+", folded.text[start:]):
        words = line.group().split()
        if 3 <= len(words) <= 30:
            span = folded.span(start + line.start(), start + line.end())
            title = _clean(text[span[0] : span[1]])
            return TitleReading(title, _kind(title), 0.4, span)
    return None
