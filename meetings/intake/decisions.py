"""Decisions and action items: «مقرر شد …», «قرار شد …», «بر اساس مصوبات …», numbered items
after «مصوبات:», with due dates counted from the meeting date."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from .dates import find_deadline
from .fold import Folded, key
from .organisations import Mention
from .types import DecisionReading, PersonReading

MARKER = re.compile(
    r"(?:مقرر\s+(?:شد|گردید)|قرار\s+شد|بر\s+اساس\s+مصوبات(?:\s+(?:این\s+)?جلسه)?|مصوب\s+شد|توافق\s+شد)"
    r"[\s،,:]*(?:که\s+)?"
)
LIST_HEAD = re.compile(r"مصوبات(?:\s+جلسه)?\s*:?\s*\n")
ITEM = re.compile(r"^\s*\d{1,2}\s*[-.)]\s*(?P<body>.+)$", re.MULTILINE)
_END = re.compile(r"[.!؟\n]")


def _sentence_end(text: str, pos: int) -> int:
    m = _END.search(text, pos)
    return m.start() if m else len(text)


def find_decisions(
    folded: Folded,
    meeting_day: date | None,
    orgs: Sequence[Mention],
    people: Sequence[PersonReading],
) -> list[DecisionReading]:
    text = folded.text
    stretches: list[tuple[int, int, float]] = []
    for m in MARKER.finditer(text):
        stretches.append((m.end(), _sentence_end(text, m.end()), 0.8))
    head = LIST_HEAD.search(text)
    if head:
        for item in ITEM.finditer(text, head.end()):
            if any(a <= item.start("body") < b for a, b, _ in stretches):
                continue
            stretches.append((item.start("body"), item.end("body"), 0.7))
    decisions = []
    seen: set[str] = set()
    for start, end, confidence in sorted(stretches):
        if end - start < 3:
            continue
        # The same decision pasted twice (a long paste repeating the report) is one.
        said = key(text[start:end].strip(" .،"))
        if said in seen:
            continue
        seen.add(said)
        due = None
        if meeting_day is not None:
            found = find_deadline(text, start, end, meeting_day)
            due = found[0] if found else None
        owner_org = next((o.reading for o in orgs if start <= o.start < end), None)
        words = {key(w) for w in text[start:end].split()}
        owner_person = next((i for i, p in enumerate(people) if key(p.surname) in words), None)
        decisions.append(
            DecisionReading(
                folded.source(start, end).strip(" .،"), due, owner_org, owner_person, confidence,
                folded.span(start, end),
            )
        )  # fmt: skip
    return decisions
