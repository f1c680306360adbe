"""Organisations, people, titles, honorifics and groups on small phrases."""

from __future__ import annotations

import pytest

from meetings.intake import read_report
from meetings.intake.fold import fold, key
from meetings.intake.organisations import find_mentions
from meetings.intake.people import find_people
from meetings.intake.types import (
    ESTATES_COMPANY,
    GOVERNMENT,
    INDUSTRIAL_ESTATE,
    MUNICIPALITY,
    OTHER,
)
from organizations.choices import OrganizationKind

DIRECTORY = [
    (1, "شهرداری قدس"),
    (2, "شرکت شهرک‌های صنعتی استان تهران"),
    (3, "شهرک‌های صنعتی شهرستان قدس"),
]


def test_the_kinds_are_the_organisation_model_choices() -> None:
    assert {MUNICIPALITY, INDUSTRIAL_ESTATE, ESTATES_COMPANY, GOVERNMENT, OTHER} == set(
        OrganizationKind.values
    )


@pytest.mark.parametrize(
    ("phrase", "matched"),
    [
        ("شهرداری قدس", 1),
        ("شهرداري قدس", 1),
        ("شهرداری شهر قدس", 1),
        ("شرکت شهرک‌های صنعتی استان تهران", 2),
        ("شركت شهرك هاي صنعتي استان تهران", 2),
        ("شرکت شهرکهای صنعتی استان تهران", 2),
        ("شهر ها و شهرک های صنعتی استان تهران", 2),
        ("شهرک های صنعتی شهرستان قدس", 3),
        ("شهرک\u200cهای صنعتی شهرستان قدس", 3),
    ],
)
def test_organisations_match_the_directory_whatever_the_spelling(phrase: str, matched: int) -> None:
    (mention,) = find_mentions(fold(f"جلسه با حضور {phrase} برگزار شد"), DIRECTORY)
    assert mention.reading.matched_id == matched
    assert not mention.reading.is_new


@pytest.mark.parametrize(
    ("phrase", "name", "kind"),
    [
        ("شهرداری کرج", "شهرداری کرج", MUNICIPALITY),
        ("شهرک صنعتی عباس‌آباد", "شهرک صنعتی عباس‌آباد", INDUSTRIAL_ESTATE),
        ("شرکت شهرک‌های صنعتی استان البرز", "شرکت شهرک‌های صنعتی استان البرز", ESTATES_COMPANY),
        ("شورای اسلامی شهر قدس", "شورای اسلامی شهر قدس", OTHER),
        ("اتاق بازرگانی تهران", "اتاق بازرگانی تهران", OTHER),
        ("وزارت صنعت، معدن و تجارت", "وزارت صنعت، معدن و تجارت", GOVERNMENT),
        ("فرمانداری شهریار", "فرمانداری شهریار", GOVERNMENT),
    ],
)
def test_unknown_organisations_are_proposed_as_new_with_a_kind(
    phrase: str, name: str, kind: str
) -> None:
    (mention,) = find_mentions(fold(f"نشست با {phrase} برگزار شد"), DIRECTORY)
    assert mention.reading.is_new
    assert key(mention.reading.name) == key(name)
    assert mention.reading.kind == kind


@pytest.mark.parametrize("phrase", ["شهرداری‌ها", "شهرداری این", "شهرداری امری مهم است"])
def test_a_head_word_without_a_place_is_no_organisation(phrase: str) -> None:
    assert find_mentions(fold(phrase), DIRECTORY) == []


@pytest.mark.parametrize(
    ("phrase", "name", "honorific", "title", "org"),
    [
        ("مسعود مختاری شهردار قدس گفت", "مسعود مختاری", "", "شهردار قدس", "شهرداری قدس"),
        ("مسعود مختاری شهردارقدس گفت", "مسعود مختاری", "", "شهردار قدس", "شهرداری قدس"),
        ("دکتر علی رضایی شهردار کرج", "علی رضایی", "دکتر", "شهردار کرج", "شهرداری کرج"),
        (
            "مهندس مریم احمدی معاون شهرداری شهریار",
            "مریم احمدی",
            "مهندس",
            "معاون شهرداری شهریار",
            "شهرداری شهریار",
        ),
        (
            "سید حسن موسوی مدیرعامل شرکت شهرک‌های صنعتی استان البرز در جلسه",
            "سید حسن موسوی",
            "",
            "مدیرعامل شرکت شهرک‌های صنعتی استان البرز",
            "شرکت شهرک‌های صنعتی استان البرز",
        ),
        (
            "با بهزاد بهزادی مدیر فنی و پیمان های شهر ها و شهرک های صنعتی استان تهران و هیئت همراه",
            "بهزاد بهزادی",
            "",
            "مدیر فنی و پیمان‌های شهرها و شهرک‌های صنعتی استان تهران",
            "شرکت شهرک‌های صنعتی استان تهران",
        ),
        ("دکتر سید مهدی حسینی", "سید مهدی حسینی", "دکتر", "", None),
    ],
)  # fmt: skip
def test_people_their_honorifics_titles_and_organisations(
    phrase: str, name: str, honorific: str, title: str, org: str | None
) -> None:
    (person,) = [p.reading for p in find_people(fold(phrase), DIRECTORY, [])]
    assert person.name == name
    assert person.honorific == honorific
    assert key(person.title) == key(title)
    assert (key(person.organisation.name) if person.organisation else None) == (
        key(org) if org else None
    )


def test_a_title_without_a_name_is_no_person() -> None:
    assert find_people(fold("با حضور شهردار قدس برگزار شد"), DIRECTORY, []) == []


def test_people_match_the_directory_whatever_the_spelling() -> None:
    (person,) = find_people(fold("مهدي نوري شهردار قدس"), DIRECTORY, [(7, "مهدی نوری")])
    assert person.reading.matched_id == 7


def test_two_people_joined_by_and_keep_their_own_titles() -> None:
    text = "مریم احمدی معاون شهرداری شهریار و رضا کریمی مدیر شهرک صنعتی گلگون حضور داشتند"
    first, second = (p.reading for p in find_people(fold(text), DIRECTORY, []))
    assert first.title == "معاون شهرداری شهریار"
    assert second.name == "رضا کریمی"
    assert second.title == "مدیر شهرک صنعتی گلگون"


@pytest.mark.parametrize(
    ("phrase", "label", "org"),
    [
        ("بهزاد بهزادی مدیر شهرک صنعتی قدس و هیئت همراه", "هیئت همراه", "شهرک صنعتی قدس"),
        (
            "و اعضای هیئت مدیره شهرک های صنعتی شهرستان قدس",
            "اعضای هیئت مدیره شهرک‌های صنعتی شهرستان قدس",
            "شهرک‌های صنعتی شهرستان قدس",
        ),
        ("و اعضای شورای اسلامی شهر قدس", "اعضای شورای اسلامی شهر قدس", "شورای اسلامی شهر قدس"),
        ("و نمایندگان شهرداری کرج", "نمایندگان شهرداری کرج", "شهرداری کرج"),
    ],
)
def test_unnamed_groups_with_their_organisation(phrase: str, label: str, org: str) -> None:
    reading = read_report(f"جلسه با حضور {phrase} برگزار شد.", directory=DIRECTORY)
    (group,) = reading.groups
    assert key(group.label) == key(label)
    assert group.organisation is not None
    assert key(group.organisation.name) == key(org)
