"""A folded copy of the text that remembers where each of its characters came from.

The readers search one canonical spelling (Persian ی/ک, Latin digits, one space for every
run of spaces, half-spaces and line breaks kept apart as ``\\n``) with plain regular
expressions, then map each match back to the original offsets. The folding tables are those
of :mod:`tracker.text`, so the reader and the database agree on what «the same» means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.text import DELETED_CHARS, DIGIT_MAP, LETTER_MAP, normalize

from .types import Span

_SPACES = "\u200b\u200c\u200d\u2060\ufeff\u00a0\u202f\u2007\t\r\v\f "


@dataclass(frozen=True)
class Folded:
    """``text`` folded; ``offsets[i]`` is the original index of ``text[i]``."""

    text: str
    offsets: tuple[int, ...]
    original: str

    def span(self, start: int, end: int) -> Span:
        """The original span of the folded slice ``[start, end)``."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return (pos, pos)
        return (self.offsets[start], self.offsets[end - 1] + 1)

    def source(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]


def fold(text: str) -> Folded:
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch in DELETED_CHARS:
            continue
        if ch == "\n":
            while out and out[-1] == " ":
                out.pop()
                offsets.pop()
            c = "\n"
        elif ch in _SPACES:
            if not out or out[-1] in " \n":
                continue
            c = " "
        else:
            c = LETTER_MAP.get(ch) or DIGIT_MAP.get(ch) or ch
        out.append(c)
        offsets.append(i)
    return Folded("".join(out), tuple(offsets), text)


def key(s: str) -> str:
    """Comparison key of a name: normalised, with every space and half-space taken out."""
    return "".join(normalize(s).split())


def tidy(s: str) -> str:
    """A name or title for display: one space between words, Persian ی/ک, no stray marks.

    The plural suffix written apart («پیمان های») is joined with a half-space, as standard
    spelling wants («پیمان‌های»).
    """
    words = " ".join(fold(s).text.split())
    return _SUFFIX.sub("\u200c\\1", words)


_SUFFIX = re.compile(r" (ها|های|هایی)(?=\s|$)")


#: Words that end a name, a title or a place: they start the rest of the sentence.
BREAK_WORDS = frozenset(
    {
        "و", "در", "با", "که", "به", "از", "برای", "گفت", "افزود", "را", "این", "آن", "طی",
        "پس", "ضمن", "جهت", "تا", "طرفین", "نیز",
    }
)  # fmt: skip

WORD = re.compile(r"[^\s.،,:؛;!؟?«»()\"\-]+")
