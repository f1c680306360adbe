"""A word-level diff of two Persian texts on top of :class:`difflib.SequenceMatcher`.

Tokens are words, runs of whitespace and single punctuation marks. A word keeps its
zero-width non-joiner (ZWNJ) and joiner inside it, so «شهرک‌ها» is one token and changing
«شهرک ها» to «شهرک‌ها» is one replaced word, not two; Arabic diacritics and tatweel belong
to the word too. Persian punctuation «،؛؟» and the guillemets are tokens of their own, so a
comma added after a word does not mark the whole word as changed.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import TypedDict

# \w covers Persian and Arabic letters and every kind of digit; the ranges add what \w
# leaves out but a word contains: ZWNJ/ZWJ, Arabic diacritics (U+064B–U+065F, U+0670).
_TOKEN_RE = re.compile(r"[\w\u200c\u200d\u064b-\u065f\u0670]+|\s+|[^\w\s]", re.UNICODE)


class Segment(TypedDict):
    op: str  # "equal", "insert" or "delete"
    text: str


class DiffResult(TypedDict):
    segments: list[Segment]
    inserted_words: int
    deleted_words: int


def tokenize(text: str) -> list[str]:
    """Split ``text`` into words, whitespace runs and punctuation marks (joined back, it is
    ``text`` again)."""
    return _TOKEN_RE.findall(text)


def _words(tokens: list[str]) -> int:
    return sum(1 for token in tokens if not token.isspace())


def _append(segments: list[Segment], op: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1]["op"] == op:
        segments[-1]["text"] += text
    else:
        segments.append({"op": op, "text": text})


def diff_texts(old: str, new: str) -> DiffResult:
    """Segments that rebuild ``old`` (equal + delete) and ``new`` (equal + insert)."""
    a, b = tokenize(old), tokenize(new)
    # autojunk off: in a long text, frequent words («و», «به») would otherwise be ignored
    # as junk and the diff would fall apart into large replaced blocks.
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    segments: list[Segment] = []
    inserted = deleted = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(segments, "equal", "".join(a[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _append(segments, "delete", "".join(a[i1:i2]))
            deleted += _words(a[i1:i2])
        if tag in ("insert", "replace"):
            _append(segments, "insert", "".join(b[j1:j2]))
            inserted += _words(b[j1:j2])
    return {"segments": segments, "inserted_words": inserted, "deleted_words": deleted}
