"""``read_report``: every reader run over one report, in the order their inputs need."""

from __future__ import annotations

import re
from datetime import date, datetime

from .dates import (
    FoundDate,
    combine,
    date_reading,
    find_dates,
    find_relative,
    find_time,
)
from .decisions import find_decisions
from .fold import Folded, fold
from .headline import find_headline
from .organisations import Directory, find_mentions, unique
from .people import People, find_groups, find_people, unique_people
from .places import read_place
from .publication import _header_end, read_publication, read_signed
from .statements import find_statements
from .types import DateReading, ReportReading, ReviewItem

HELD = re.compile(r"برگزار\s+(?:شد|گردید|می ?شود|خواهد\s+شد)|تشکیل\s+(?:شد|گردید)")


def _line_length(text: str, pos: int) -> int:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return (len(text) if end < 0 else end) - start


def _report_date(
    folded: Folded, dates: list[FoundDate], review: list[ReviewItem], published_on: date | None
) -> DateReading | None:
    header = _header_end(folded.text)
    # A date line is short («آرشیو شنبه ۱۱ مرداد ۱۳۹۹، شماره ۹۸۲۷»); a date inside a long
    # first sentence is the meeting's, not the report's.
    in_header = [d for d in dates if d.start < header and _line_length(folded.text, d.start) <= 60]
    if in_header:
        return date_reading(folded, in_header[0], review, "report_date")
    if published_on is not None:
        return DateReading(published_on, 1.0, (0, 0))
    return None


def _meeting_start(
    folded: Folded, dates: list[FoundDate], report: DateReading | None, review: list[ReviewItem]
) -> DateReading | None:
    text = folded.text
    held = HELD.search(text)
    s_start = (
        max(text.rfind(".", 0, held.start()), text.rfind("\n", 0, held.start())) + 1 if held else 0
    )
    s_end = held.end() if held else 0
    header = _header_end(text) if report and report.span != (0, 0) else 0
    at = find_time(text, s_start, s_end) if held else None
    at = at or find_time(text, header, len(text))
    clock = at[0] if at else None
    in_sentence = [d for d in dates if s_start <= d.start < s_end]
    if in_sentence:
        reading = date_reading(folded, in_sentence[0], review, "meeting_start")
        return DateReading(
            combine(reading.value, clock),
            reading.confidence,
            reading.span,
            weekday_checked=reading.weekday_checked,
        )  # type: ignore[arg-type]
    if report is not None:
        rel = find_relative(text, s_start, s_end, report.value) if held else None  # type: ignore[arg-type]
        if rel is not None:
            return DateReading(
                combine(rel[0], clock), 0.8, folded.span(rel[1], rel[2]), relative=True
            )
    body = [d for d in dates if d.start >= header]
    if body:
        reading = date_reading(folded, body[0], review, "meeting_start")
        review.append(
            ReviewItem(
                "meeting_start",
                "تاریخ جلسه از نخستین تاریخ متن برداشته شد؛ بررسی کنید.",
                reading.span,
            )
        )
        return DateReading(combine(reading.value, clock), 0.6, reading.span)  # type: ignore[arg-type]
    if report is not None:
        review.append(
            ReviewItem(
                "meeting_start", "تاریخ جلسه در متن نیامده؛ تاریخ گزارش گذاشته شد.", report.span
            )
        )
        return DateReading(combine(report.value, clock), 0.5, report.span, relative=True)  # type: ignore[arg-type]
    review.append(ReviewItem("meeting_start", "تاریخ جلسه پیدا نشد.", (0, 0)))
    return None


def read_report(
    text: str,
    *,
    directory: Directory = (),
    people: People = (),
    published_on: date | None = None,
) -> ReportReading:
    """Read a Persian news report or minutes text into a :class:`ReportReading`.

    ``directory`` and ``people`` are ``(id, name)`` pairs of known organisations and people;
    ``published_on`` stands in for a missing date line.
    """
    folded = fold(text)
    review: list[ReviewItem] = []
    dates = find_dates(folded)
    report_date = _report_date(folded, dates, review, published_on)
    meeting = _meeting_start(folded, dates, report_date, review)
    org_mentions = find_mentions(folded, directory)
    person_mentions = find_people(folded, directory, people)
    persons = unique_people(person_mentions)
    organisations = unique(org_mentions)
    known = {o.matched_id for o in organisations} | {o.name for o in organisations}
    for person in persons:
        org = person.organisation
        if org is not None and org.matched_id not in known and org.name not in known:
            organisations.append(org)
            known |= {org.matched_id, org.name}
    meeting_day: date | None = None
    if meeting is not None:
        value = meeting.value
        meeting_day = value.date() if isinstance(value, datetime) else value
    result = ReportReading(
        report_date=report_date,
        meeting_start=meeting,
        place=read_place(folded),
        organisations=organisations,
        people=persons,
        groups=find_groups(folded, org_mentions, person_mentions),
        statements=find_statements(folded, persons, skip=find_headline(folded)),
        decisions=find_decisions(folded, meeting_day, org_mentions, persons),
        publication=read_publication(folded, report_date.value if report_date else None),  # type: ignore[arg-type]
        signed=read_signed(folded),
        review=review,
    )
    _review(result)
    return result


def _review(result: ReportReading) -> None:
    """Add a review item for every reading the reader is not sure of."""
    for org in result.organisations:
        if org.is_new:
            result.review.append(
                ReviewItem(
                    "organisations",
                    f"سازمان «{org.name}» در فهرست نیست و تازه پیشنهاد می‌شود.",
                    org.span,
                )
            )
    for person in result.people:
        if person.matched_id is None:
            result.review.append(
                ReviewItem(
                    "people",
                    f"شخص «{person.name}» در فهرست نیست و تازه پیشنهاد می‌شود.",
                    person.span,
                )
            )
    for st in result.statements:
        if st.speaker is None:
            result.review.append(ReviewItem("statements", "گوینده این سخن شناخته نشد.", st.span))
    if result.place is not None and result.place.confidence < 0.6:
        result.review.append(
            ReviewItem("place", "محل جلسه به جای دیگری از متن اشاره دارد.", result.place.span)
        )
