"""Persian digit conversion, normalisation, and the database search built on it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.db.models.functions import Length
from hypothesis import given
from hypothesis import strategies as st

from tracker.text import (
    normalize,
    normalized_expression,
    search_filter,
    to_latin_digits,
    to_persian_digits,
)


def test_digit_conversion() -> None:
    assert to_persian_digits("1399/05/11") == "۱۳۹۹/۰۵/۱۱"
    assert to_persian_digits("١٢٣") == "۱۲۳"
    assert to_latin_digits("۱۳۹۹/۰۵/۱۱") == "1399/05/11"
    assert to_latin_digits("١٣٩٩") == "1399"
    assert to_latin_digits("abc") == "abc"


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("شهرك صنعتي", "شهرک صنعتی"),
        ("شهرک\u200cهای", "شهرک های"),
        ("شهرک\u200c\u200cهای", "شهرک های"),
        ("شهرک\u00a0\u00a0های", "شهرک های"),
        ("  شهرک \t\n های  ", "شهرک های"),
        ("مصطفى", "مصطفی"),
        ("شهرــداری", "شهرداری"),
        ("مُدیرِ عامِل", "مدیر عامل"),
        ("قُدس\u200f", "قدس"),
        ("۱۳۹۹ ١٣٩٩", "1399 1399"),
        ("Qods MUNICIPALITY", "qods municipality"),
        ("جلسة", "جلسه"),
        ("", ""),
    ],
)
def test_normalize_folds_variants(variant: str, canonical: str) -> None:
    assert normalize(variant) == normalize(canonical)


def test_normalize_output_form() -> None:
    assert normalize(" شهرك‌هاي  صنعتي ۱۴۰۲ ") == "شهرک های صنعتی 1402"


def test_normalize_keeps_hamza_yeh() -> None:
    # ئ is a letter of its own (مسئول); folding it would merge distinct words.
    assert normalize("مسئول") == "مسئول"


@given(st.text(max_size=40))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


ESTATES = [
    "شهرك صنعتي قدس",
    "شهرک‌های صنعتی استان تهران",
    "شهرداری قدس",
    "Tehran Industrial Estates ۱۴۰۲",
    "شركت شهرکهای صنعتی",
]


@pytest.fixture
def groups(db: None) -> None:
    Group.objects.bulk_create(Group(name=name) for name in ESTATES)


def _names(query: str, *fields: str) -> set[str]:
    return set(
        search_filter(Group.objects.all(), query, fields or ("name",)).values_list(
            "name", flat=True
        )
    )


@pytest.mark.usefixtures("groups")
def test_search_finds_arabic_spelling_with_persian_query() -> None:
    assert "شهرك صنعتي قدس" in _names("شهرک صنعتی")
    assert _names("شهرک صنعتی قدس") == {"شهرك صنعتي قدس"}


@pytest.mark.usefixtures("groups")
def test_search_treats_zwnj_as_space() -> None:
    assert "شهرک‌های صنعتی استان تهران" in _names("شهرک های")
    assert "شهرک‌های صنعتی استان تهران" in _names("شهرک‌های")


@pytest.mark.usefixtures("groups")
def test_search_folds_digits_and_case() -> None:
    assert _names("industrial 1402") == {"Tehran Industrial Estates ۱۴۰۲"}
    assert _names("ESTATES ۱۴۰۲") == {"Tehran Industrial Estates ۱۴۰۲"}


@pytest.mark.usefixtures("groups")
def test_search_every_term_must_match() -> None:
    assert _names("قدس") == {"شهرك صنعتي قدس", "شهرداری قدس"}
    assert _names("قدس شهرداری") == {"شهرداری قدس"}
    assert _names("قدس تهران") == set()


@pytest.mark.usefixtures("groups")
def test_search_escapes_like_wildcards() -> None:
    assert _names("%") == set()
    assert _names("_") == set()


@pytest.mark.usefixtures("groups")
def test_empty_query_returns_queryset_unchanged() -> None:
    qs = Group.objects.all()
    assert search_filter(qs, "", ["name"]) is qs
    assert search_filter(qs, " \u200c ", ["name"]) is qs


@pytest.mark.django_db
def test_search_across_to_many_relation_has_no_duplicates() -> None:
    estates = Group.objects.create(name="کاربران شهرک")
    for i in range(3):
        User.objects.create(username=f"u{i}", first_name="علي", last_name=f"رضايي {i}").groups.add(
            estates
        )
    User.objects.create(username="other", first_name="مریم")
    found = search_filter(
        Group.objects.all(), "علی رضایی", ["name", "user__first_name", "user__last_name"]
    )
    assert list(found) == [estates]
    assert found.count() == 1
    # Matches on the group's own field keep working next to the relation.
    assert list(search_filter(Group.objects.all(), "شهرك", ["name", "user__first_name"])) == [
        estates
    ]


@pytest.mark.django_db
def test_search_through_to_one_relation() -> None:
    estates = Group.objects.create(name="شهرک صنعتی")
    user = User.objects.create(username="reza")
    user.groups.add(estates)
    through = User.groups.through.objects.all()
    assert list(
        search_filter(through, "شهرك", ["group__name"]).values_list("user_id", flat=True)
    ) == [user.pk]


@pytest.mark.usefixtures("groups")
def test_search_can_be_chained() -> None:
    qs = search_filter(Group.objects.all(), "قدس", ["name"])
    assert set(search_filter(qs, "شهرداري", ["name"]).values_list("name", flat=True)) == {
        "شهرداری قدس"
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        "شهرك\u200cهاي  صنعتي",
        "  مُدیرِ\u00a0عامِل\t",
        "Qods ۱۴۰۲ ١٣٩٩ شهرــداری",
        "قُدس\u200f جلسة",
        "   ",
    ],
)
def test_database_expression_matches_python(raw: str) -> None:
    group = Group.objects.create(name=raw)
    value = Group.objects.annotate(n=normalized_expression("name")).get(pk=group.pk).n
    assert value == normalize(raw)


@pytest.mark.django_db
def test_database_expression_composes_with_other_functions() -> None:
    Group.objects.create(name="شهرك\u200cها")
    assert Group.objects.annotate(n=Length(normalized_expression("name"))).get().n == len("شهرک ها")


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["شهرکهای", "شهرک‌های", "شهرک های", "شهركهاي صنعتي"])
def test_search_ignores_zero_width_joiners_and_spaces_inside_words(query):
    from django.contrib.auth.models import Group

    wanted = Group.objects.create(name="شهرک‌های صنعتی قدس")
    Group.objects.create(name="شهرداری")
    found = list(search_filter(Group.objects.all(), query, ["name"]))
    assert found == [wanted]
