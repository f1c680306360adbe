"""Organisations named in a report, matched against a directory of ``(id, name)`` pairs.

A name is found by its head words («شهرداری …», «شهرک صنعتی …», «شرکت شهرک‌های صنعتی
استان …», «شورای اسلامی شهر …», «اتاق بازرگانی …», «وزارت …», «فرمانداری …») followed by
one place word; matching compares :func:`.fold.key`, so ي/ی, ك/ک, half-spaces and
«شهرک‌های»/«شهرک های» do not matter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .fold import BREAK_WORDS, Folded, key, tidy
from .types import (
    ESTATES_COMPANY,
    GOVERNMENT,
    INDUSTRIAL_ESTATE,
    MUNICIPALITY,
    OTHER,
    OrganisationReading,
)

Directory = Sequence[tuple[int, str]]

#: One place word; «عباس‌آباد» is two once its half-space is folded to a space.
_W = r"(?P<place>[^\s.،,:؛()«»\-]+(?: (?:آباد|شهر|دشت)(?![^\s.،,:؛]))?)"
#: (pattern, kind, canonical name template); the first pattern that matches a stretch wins.
PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(rf"(?:شرکت\s+)?شهر ?ها\s+و\s+شهرک ?های\s+صنعتی\s+استان\s+{_W}"),
        ESTATES_COMPANY,
        "شرکت شهرک‌های صنعتی استان {place}",
    ),
    (
        re.compile(rf"شرکت\s+شهرک ?های\s+صنعتی\s+استان\s+{_W}"),
        ESTATES_COMPANY,
        "شرکت شهرک‌های صنعتی استان {place}",
    ),
    (
        re.compile(rf"شهرک ?های\s+صنعتی\s+شهرستان\s+{_W}"),
        INDUSTRIAL_ESTATE,
        "شهرک‌های صنعتی شهرستان {place}",
    ),
    (re.compile(rf"شهرک\s+صنعتی\s+(?:شهر\s+)?{_W}"), INDUSTRIAL_ESTATE, "شهرک صنعتی {place}"),
    (re.compile(rf"شهرداری\s+(?:شهر\s+)?{_W}"), MUNICIPALITY, "شهرداری {place}"),
    (
        re.compile(rf"شورای\s+(?:اسلامی\s+)?شهر\s+{_W}"),
        OTHER,
        "شورای اسلامی شهر {place}",
    ),
    (
        re.compile(
            rf"اتاق\s+(?P<what>بازرگانی|اصناف|تعاون)(?:[\s،,]+صنایع[\s،,]+معادن\s+و\s+کشاورزی)?\s+{_W}"
        ),
        OTHER,
        "اتاق {what} {place}",
    ),
    (
        re.compile(
            r"وزارت\s+(?P<place>صنعت[\s،,]*معدن\s+و\s+تجارت|کشور|راه\s+و\s+شهرسازی|نیرو|اقتصاد)"
        ),
        GOVERNMENT,
        "وزارت {place}",
    ),
    (
        re.compile(rf"(?P<what>فرمانداری|استانداری)\s+(?:شهرستان\s+|استان\s+)?{_W}"),
        GOVERNMENT,
        "{what} {place}",
    ),
)

#: Words that follow a head word without being a place («شهرداری‌ها», «شهرداری این …»).
_NOT_PLACES = BREAK_WORDS | {
    "ها", "های", "هایی", "این", "آن", "مربوطه", "مذکور", "محترم", "شهرستان", "استان", "است",
    "بود", "بوده", "امری", "برگزار", "موظف", "مکلف", "باید", "می", "نمی", "خواهد", "نیز", "هم",
    "تا", "ظرف", "شد", "گردید", "کرد", "است،", "اعلام", "تاکید", "خدمات", "همچنین", "ضمن",
    "آماده", "امروز", "ها،",
}  # fmt: skip


@dataclass(frozen=True)
class Mention:
    """An organisation reading with its position in the folded text."""

    reading: OrganisationReading
    start: int
    end: int


def _match(name: str, directory: Directory) -> int | None:
    wanted = {key(name), key(name.replace(" شهر ", " "))}
    for org_id, org_name in directory:
        if key(org_name) in wanted or key(org_name.replace(" شهر ", " ")) in wanted:
            return org_id
    return None


def make_reading(
    name: str, kind: str, directory: Directory, span: tuple[int, int], confidence: float
) -> OrganisationReading:
    """A reading for ``name``: matched in the directory, else proposed as new."""
    matched = _match(name, directory)
    if matched is not None:
        display = next(n for i, n in directory if i == matched)
        return OrganisationReading(tidy(display), kind, matched, min(1.0, confidence + 0.05), span)
    return OrganisationReading(tidy(name), kind, None, confidence - 0.2, span)


def find_mentions(
    folded: Folded, directory: Directory, start: int = 0, end: int | None = None
) -> list[Mention]:
    """Every organisation named in ``folded.text[start:end]``, in order, overlaps removed."""
    end = len(folded.text) if end is None else end
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for rx, kind, template in PATTERNS:
        for m in rx.finditer(folded.text, start, end):
            if m.group("place") in _NOT_PLACES or any(
                a < m.end() and m.start() < b for a, b in taken
            ):
                continue
            groups = {k: v for k, v in m.groupdict().items() if v}
            name = template.format(**groups)
            taken.append((m.start(), m.end()))
            reading = make_reading(name, kind, directory, folded.span(m.start(), m.end()), 0.9)
            found.append(Mention(reading, m.start(), m.end()))
    return sorted(found, key=lambda x: x.start)


def unique(mentions: Sequence[Mention]) -> list[OrganisationReading]:
    """One reading per organisation (by directory id or name), the first mention kept."""
    seen: set[object] = set()
    result = []
    for m in mentions:
        ident: object = (
            m.reading.matched_id if m.reading.matched_id is not None else key(m.reading.name)
        )
        if ident not in seen:
            seen.add(ident)
            result.append(m.reading)
    return result
