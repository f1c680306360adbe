"""The date reader on small phrases: every digit form, weekdays, relative dates, deadlines."""

from __future__ import annotations

from datetime import date, time

import pytest

from meetings.intake.dates import find_dates, find_deadline, find_relative, find_time, weekday_of
from meetings.intake.fold import fold

SAT_11_MORDAD_1399 = date(2020, 8, 1)


@pytest.mark.parametrize(
    "phrase",
    [
        "۱۱ مرداد ۱۳۹۹",
        "11 مرداد 1399",
        "١١ مرداد ١٣٩٩",
        "شنبه ۱۱ مرداد ۱۳۹۹",
        "شنبه، ۱۱ مرداد ماه ۱۳۹۹",
        "۱۱ امرداد سال ۱۳۹۹",
        "1399/5/11",
        "۱۳۹۹/۰۵/۱۱",
        "١٣٩٩-٥-١١",
        "مورخ 1399.05.11",
    ],
)
def test_every_form_of_a_jalali_date_is_read(phrase: str) -> None:
    found = find_dates(fold(f"جلسه {phrase} برگزار شد"))
    assert [f.value for f in found] == [SAT_11_MORDAD_1399]


def test_the_weekday_is_read_alongside_the_date() -> None:
    (found,) = find_dates(fold("سه‌شنبه ۱۱ مرداد ۱۳۹۹"))
    assert found.weekday == 3
    assert weekday_of(found.value) == 0  # the date is a Saturday: the caller flags it


def test_an_impossible_date_is_not_read() -> None:
    assert find_dates(fold("1400/12/30")) == []


def test_the_span_points_at_the_original_text() -> None:
    text = "آرشیو شنبه ۱۱ مرداد ۱۳۹۹، شماره ۹۸۲۷"
    folded = fold(text)
    (found,) = find_dates(folded)
    start, end = folded.span(found.start, found.end)
    assert text[start:end] == "شنبه ۱۱ مرداد ۱۳۹۹"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("امروز", SAT_11_MORDAD_1399),
        ("صبح امروز", SAT_11_MORDAD_1399),
        ("روز گذشته", date(2020, 7, 31)),
        ("دیروز", date(2020, 7, 31)),
        ("عصر دیروز", date(2020, 7, 31)),
        ("پریروز", date(2020, 7, 30)),
        ("پنجشنبه گذشته", date(2020, 7, 30)),
        ("پنج شنبه گذشته", date(2020, 7, 30)),
        ("شنبه گذشته", date(2020, 7, 25)),
        ("دوشنبه آینده", date(2020, 8, 3)),
    ],
)
def test_relative_dates_count_from_the_report_date(phrase: str, expected: date) -> None:
    text = fold(f"جلسه {phrase} برگزار شد").text
    found = find_relative(text, 0, len(text), SAT_11_MORDAD_1399)
    assert found is not None
    assert found[0] == expected


def test_nowadays_is_not_today() -> None:
    text = fold("امروزه برای رشد و توسعه").text
    assert find_relative(text, 0, len(text), SAT_11_MORDAD_1399) is None


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("ساعت ۱۰", time(10)),
        ("ساعت ۱۰:۳۰", time(10, 30)),
        ("ساعت 9", time(9)),
        ("ساعت ٤ بعدازظهر", time(16)),
        ("ساعت ۵ عصر", time(17)),
    ],
)
def test_times(phrase: str, expected: time) -> None:
    text = fold(phrase).text
    found = find_time(text, 0, len(text))
    assert found is not None
    assert found[0] == expected


def test_an_impossible_time_is_not_read() -> None:
    text = fold("ساعت ۲۵").text
    assert find_time(text, 0, len(text)) is None


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("ظرف دو هفته", date(2020, 8, 15)),
        ("ظرف ۱۰ روز", date(2020, 8, 11)),
        ("ظرف یک ماه", date(2020, 9, 1)),  # 11 Shahrivar 1399
        ("حداکثر تا سه ماه", date(2020, 11, 1)),  # 11 Aban 1399
        ("تا پایان آذر ماه", date(2020, 12, 20)),  # 30 Azar 1399
        ("تا پایان تیر", date(2021, 7, 22)),  # Tir has passed: 31 Tir 1400
        ("تا پایان سال", date(2021, 3, 20)),  # 30 Esfand 1399 (a leap year)
        ("تا ۱۵ شهریور", date(2020, 9, 5)),
    ],
)
def test_deadlines_count_from_the_meeting_date(phrase: str, expected: date) -> None:
    text = fold(f"مقرر شد شهرداری {phrase} گزارش دهد").text
    found = find_deadline(text, 0, len(text), SAT_11_MORDAD_1399)
    assert found is not None
    assert found[0] == expected
