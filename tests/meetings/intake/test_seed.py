"""End to end on the seed report (Resalat 9827, Saturday 11 Mordad 1399): every field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from meetings.intake import ReportReading, read_report
from meetings.intake.fold import key

DIRECTORY = [
    (1, "شهرداری قدس"),
    (2, "شرکت شهرک‌های صنعتی استان تهران"),
    (3, "شهرک‌های صنعتی شهرستان قدس"),
]
PEOPLE = [(10, "مسعود مختاری"), (11, "بهزاد بهزادی")]


@pytest.fixture(scope="module")
def text() -> str:
    path = Path(__file__).parent / "reports" / "seed-qods.fa.txt"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reading(text: str) -> ReportReading:
    return read_report(text, directory=DIRECTORY, people=PEOPLE)


def test_the_report_date_is_saturday_11_mordad_1399(reading: ReportReading, text: str) -> None:
    assert reading.report_date is not None
    assert reading.report_date.value == date(2020, 8, 1)
    assert reading.report_date.weekday_checked is True
    start, end = reading.report_date.span
    assert text[start:end] == "شنبه ۱۱ مرداد ۱۳۹۹"


def test_the_meeting_date_is_taken_from_the_report_and_flagged(reading: ReportReading) -> None:
    assert reading.meeting_start is not None
    assert reading.meeting_start.value == date(2020, 8, 1)  # no time in the text: a date
    assert reading.meeting_start.confidence <= 0.5
    assert "meeting_start" in {r.field for r in reading.review}


def test_the_place(reading: ReportReading, text: str) -> None:
    assert reading.place is not None
    assert reading.place.text == "شهرداری قدس"
    start, end = reading.place.span
    assert text[start:end] == "محل شهرداری قدس"


def test_the_organisations_are_the_three_of_the_directory(reading: ReportReading) -> None:
    assert [(o.matched_id, o.kind) for o in reading.organisations] == [
        (1, "municipality"),
        (2, "estates_company"),
        (3, "industrial_estate"),
    ]


def test_the_mayor_and_the_director(reading: ReportReading, text: str) -> None:
    mayor, director = reading.people
    assert (mayor.name, mayor.matched_id, mayor.title) == ("مسعود مختاری", 10, "شهردار قدس")
    assert mayor.organisation is not None
    assert mayor.organisation.matched_id == 1
    assert text[mayor.span[0] : mayor.span[1]] == "مسعود مختاری شهردارقدس"
    assert (director.name, director.matched_id) == ("بهزاد بهزادی", 11)
    assert key(director.title) == key("مدیر فنی و پیمان‌های شهرها و شهرک‌های صنعتی استان تهران")
    assert director.organisation is not None
    assert director.organisation.matched_id == 2


def test_the_two_groups(reading: ReportReading) -> None:
    assert [(g.label, g.organisation and g.organisation.matched_id) for g in reading.groups] == [
        ("هیئت همراه", 2),
        ("اعضای هیئت مدیره شهرک‌های صنعتی شهرستان قدس", 3),
    ]


def test_every_statement_is_the_mayors(reading: ReportReading) -> None:
    # The headline («شهردار شهر قدس بیان کرد: …») repeats the last statement: not one itself.
    assert [(s.speaker, s.verb) for s in reading.statements] == [
        (0, "گفت"),
        (0, "افزود"),
        (0, "خاطر نشان کرد"),
        (0, "عنوان کرد"),
    ]
    texts = [s.text for s in reading.statements]
    assert texts[0].startswith("خدمات دهی توسط شهرداری")
    assert texts[0].endswith("امکان پذیر است.")
    assert texts[1].startswith("امروزه برای رشد و توسعه")
    assert texts[2].startswith("شهر ها زمانی می تواند")
    assert "تامین قطعات خودرویی" in texts[3]


def test_publication_and_no_signature(reading: ReportReading) -> None:
    assert reading.publication is not None
    publication = reading.publication
    assert (publication.paper, publication.issue, publication.page) == ("رسالت", "9827", "5")
    assert publication.published_on == date(2020, 8, 1)
    assert reading.signed is None
    assert reading.decisions == []


def test_only_the_meeting_date_needs_review(reading: ReportReading) -> None:
    assert [r.field for r in reading.review] == ["meeting_start"]


def test_the_seed_pasted_three_times_reads_as_once() -> None:
    text = (Path(__file__).parent / "reports" / "seed-qods.fa.txt").read_text("utf-8")
    once, thrice = read_report(text), read_report("\n\n".join([text] * 3))
    assert [s.text for s in thrice.statements] == [s.text for s in once.statements]
    assert len(thrice.people) == len(once.people)
    assert len(thrice.groups) == len(once.groups)
