"""The meeting's title and kind from the sentence that says it was held, else the headline."""

from __future__ import annotations

import pytest

from meetings.intake.title import read_title


@pytest.mark.parametrize(
    ("text", "title", "kind"),
    [
        (
            "جلسه هماهنگی شهرداری قدس و شهرک صنعتی با حضور شهردار در محل شهرداری برگزار شد.",
            "جلسه هماهنگی شهرداری قدس و شهرک صنعتی",
            "coordination",
        ),
        (
            "نشست مشترک شهرداری کرج و شهرک صنعتی بهارستان صبح روز گذشته برگزار شد.",
            "نشست مشترک شهرداری کرج و شهرک صنعتی بهارستان",
            "coordination",
        ),
        (
            "جلسه امضای تفاهم‌نامه شهرداری و شهرک روز دوشنبه در سالن جلسات برگزار شد.",
            "جلسه امضای تفاهم‌نامه شهرداری و شهرک",
            "signing",
        ),
        (
            "جلسه پیگیری مصوبات کمیته در تاریخ ۱۴۰۳/۲/۱۰ تشکیل شد.",
            "جلسه پیگیری مصوبات کمیته",
            "follow_up",
        ),
        (
            "جلسه مذاکره شهرداري و شهرك صنعتي با شركت مدیران برگزار شد.",
            "جلسه مذاکره شهرداری و شهرک صنعتی",
            "negotiation",
        ),
    ],
)
def test_the_title_is_the_noun_phrase_of_the_held_sentence(
    text: str, title: str, kind: str
) -> None:
    found = read_title(text)
    assert found is not None
    assert (found.text, found.kind) == (title, kind)
    start, end = found.span
    assert text[start:end].startswith(text.split()[0])


def test_without_such_a_sentence_the_headline_stands_in_with_less_confidence() -> None:
    text = "آرشیو ۱\nشهرستان ها\n۵\n\nشهردار قدس: برندسازی نیاز امروز است\n\nمتن خبر."
    found = read_title(text)
    assert found is not None
    assert found.text == "شهردار قدس: برندسازی نیاز امروز است"
    assert found.confidence < 0.5


def test_no_title_in_an_empty_text() -> None:
    assert read_title("") is None
