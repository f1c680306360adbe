"""The headline: a newspaper's short line above the body, which is the meeting's title
candidate and never a statement (the seed's headline repeats the mayor's words, «شهردار شهر
قدس بیان کرد: برند سازی …», and would otherwise be read as statement 1).

The headline is the first line of three to :data:`MAX_WORDS` words that is not a date line
(the archive's «آرشیو شنبه ۱۱ مرداد ۱۳۹۹، شماره ۹۸۲۷»), does not end a sentence («.», «!»,
«؟»), does not say the meeting was held, and has more text after it. Lines of one or two
words before it (a section name, a page number, «صورتجلسه») are passed over.
"""

from __future__ import annotations

import re

from .fold import Folded
from .types import Span

#: A headline longer than this is the body's first sentence, not a headline.
MAX_WORDS = 30
#: Only the first few lines may hold the headline (the archive's lines come first).
MAX_LINE = 6
_HELD = re.compile(r"برگزار\s+(?:شد|گردید)|تشکیل\s+(?:شد|گردید)")
_DATE = re.compile(
    r"\d{1,4}\s*/\s*\d{1,2}\s*/\s*\d{1,4}"
    r"|\d{1,2}\s+(?:فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند)"
)
_END = ".!؟?:"


def find_headline(folded: Folded) -> tuple[int, int] | None:
    """The folded ``[start, end)`` of the headline line, or ``None``."""
    text = folded.text
    for number, line in enumerate(re.finditer(r"[^\n]+", text)):
        if number >= MAX_LINE:
            return None
        body = line.group().strip()
        words = body.split()
        if len(words) <= 2 or _DATE.search(body):
            continue
        if (
            len(words) > MAX_WORDS
            or body[-1] in _END
            or _HELD.search(body)
            or not text[line.end() :].strip()
        ):
            return None
        return line.start(), line.end()
    return None


def headline_span(folded: Folded) -> Span | None:
    """The headline's span in the original text."""
    found = find_headline(folded)
    return folded.span(*found) if found else None
