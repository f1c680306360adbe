"""Who said what: each statement («… گفت:», «افزود:», «وی …») tied to its speaker.

A statement runs from its speech verb to the start of the next statement's sentence in the
same paragraph, or to the paragraph's end. The speaker is whoever the sentence before the
verb names first: a full name, a surname alone, a title («شهردار قدس»), or «وی»/«او» for the
last speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .fold import Folded, key
from .types import PersonReading, StatementReading

VERB = re.compile(
    r"(?P<verb>گفت|افزود|بیان\s+(?:کرد|داشت)|خاطر ?نشان\s+(?:کرد|ساخت|شد)|اظهار\s+(?:داشت|کرد)"
    r"|تصریح\s+(?:کرد|نمود)|ادامه\s+داد|عنوان\s+(?:کرد|داشت)|یادآور\s+شد|اضافه\s+کرد"
    r"|تاکید\s+کرد)\s*(?P<mark>:|که\s)"
)
_SENTENCE_END = re.compile(r"[.!؟?\n]")
#: A statement this long (letters and digits) or longer that another statement contains is
#: a repeat of it (a headline quoting the body, the same report pasted twice); shorter
#: ones («بله.») may well be said twice.
MIN_REPEAT = 20


def _words(text: str) -> str:
    """What a statement says, for comparison: its letters and digits, folded."""
    return "".join(ch for ch in key(text) if ch.isalnum())


def _without_repeats(statements: list[StatementReading]) -> list[StatementReading]:
    said = [_words(st.text) for st in statements]
    return [
        st
        for i, st in enumerate(statements)
        if len(said[i]) < MIN_REPEAT
        or not any(j != i and len(other) > len(said[i]) and said[i] in other
                   for j, other in enumerate(said))
    ]  # fmt: skip


def _clause_start(text: str, pos: int) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, pos)]
    return ends[-1] if ends else 0


def _paragraph_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def _speaker(
    clause: str, people: Sequence[PersonReading], last: int | None
) -> tuple[int | None, float]:
    words = clause.split()
    if words and words[0] in {"وی", "او", "ایشان"}:
        return last, 0.7
    flat = key(clause).replace("شهردارشهر", "شهردار")
    best: tuple[int, int, float] | None = None
    for index, person in enumerate(people):
        candidates = [(key(person.name), 0.9), (key(person.surname), 0.8)]
        if person.title:
            candidates.append((key(person.title), 0.75))
            # «شهردار قدس» may be written «شهردار شهر قدس» or stand for a longer title.
            candidates.append((key(" ".join(person.title.split()[:2])), 0.6))
        for needle, confidence in candidates:
            pos = flat.find(needle)
            if needle and pos >= 0 and (best is None or pos < best[0]):
                best = (pos, index, confidence)
    if best is None:
        return (last, 0.4) if last is not None else (None, 0.3)
    return best[1], best[2]


def find_statements(
    folded: Folded,
    people: Sequence[PersonReading],
    *,
    skip: tuple[int, int] | None = None,
) -> list[StatementReading]:
    """The statements in reading order. A speech verb inside ``skip`` (the headline's folded
    span: :mod:`.headline`) starts none; a statement whose words were already read (the
    same sentence pasted twice, a report repeated in a long paste), or that a longer one
    contains (a later copy's headline quoting the body), is read once."""
    text = folded.text
    verbs = [m for m in VERB.finditer(text) if skip is None or not skip[0] <= m.start() < skip[1]]
    starts = [_clause_start(text, m.start()) for m in verbs]
    statements: list[StatementReading] = []
    seen: set[str] = set()
    last: int | None = None
    for i, m in enumerate(verbs):
        end = _paragraph_end(text, m.end())
        if i + 1 < len(verbs) and starts[i + 1] < end:
            end = starts[i + 1]
        body_start = m.end()
        while body_start < end and text[body_start] in " :":
            body_start += 1
        body_end = end
        while body_end > body_start and text[body_end - 1] in " \n":
            body_end -= 1
        if body_end <= body_start:
            continue
        speaker, confidence = _speaker(text[starts[i] : m.start()], people, last)
        last = speaker if speaker is not None else last
        said = _words(text[body_start:body_end])
        if said in seen:
            continue
        seen.add(said)
        statements.append(
            StatementReading(
                speaker,
                folded.source(body_start, body_end).strip(),
                " ".join(m.group("verb").split()),
                confidence,
                folded.span(starts[i], body_end),
            )
        )  # fmt: skip
    return _without_repeats(statements)
