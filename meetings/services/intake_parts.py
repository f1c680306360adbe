"""Pieces of ``meeting_from_text`` (:mod:`.intake`): the review list it builds, and the
place and the publication as meeting fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..intake import ReportReading

#: A reading below this confidence is put in the review list even when the reader did not.
REVIEW_BELOW = 0.75


@dataclass
class ReviewList:
    text: str
    items: list[dict[str, Any]]

    def add(
        self, field: str, value: Any, confidence: float, span: tuple[int, int], message: str
    ) -> None:
        start, end = span
        self.items.append(
            {
                "field": field,
                "value": value,
                "confidence": round(confidence, 2),
                "message": message,
                "span": [start, end],
                "excerpt": self.text[start:end],
            }
        )


def reader_message(reading: ReportReading, field: str, span: tuple[int, int]) -> str | None:
    for item in reading.review:
        if item.field == field and tuple(item.span) == tuple(span):
            return item.message
    return None


def location_field(reading: ReportReading, review: ReviewList) -> str:
    place = reading.place
    if place is None:
        return ""
    if place.confidence < REVIEW_BELOW:
        review.add(
            "location",
            place.text,
            place.confidence,
            place.span,
            reader_message(reading, "place", place.span) or "محل جلسه را بررسی کنید.",
        )
    return place.text[:300]


def publication_fields(reading: ReportReading, review: ReviewList) -> dict[str, Any]:
    pub = reading.publication
    if pub is None:
        return {}
    if pub.confidence < REVIEW_BELOW:
        review.add(
            "source_publication",
            pub.paper,
            pub.confidence,
            pub.span,
            "منبع گزارش را بررسی کنید.",
        )
    return {
        "source_publication": pub.paper[:200],
        "source_issue": pub.issue[:50],
        "source_page": pub.page[:100],
        "source_date": pub.published_on,
    }
