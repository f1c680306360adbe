"""Speech verbs, speakers by name, surname, title and «وی»; decisions; publication; signing."""

from __future__ import annotations

from datetime import date

import pytest

from meetings.intake import read_report

LEAD = "جلسه امروز در محل شهرداری کرج برگزار شد.\n"


@pytest.mark.parametrize(
    "verb", ["گفت", "افزود", "بیان کرد", "خاطر نشان کرد", "خاطرنشان کرد", "اظهار داشت",
             "تصریح کرد", "ادامه داد", "عنوان کرد"],
)  # fmt: skip
def test_every_speech_verb_starts_a_statement(verb: str) -> None:
    reading = read_report(f"{LEAD}علی رضایی شهردار کرج {verb}: شهر آماده است.")
    (statement,) = reading.statements
    assert statement.text == "شهر آماده است."
    assert statement.speaker == 0
    assert statement.verb == verb


def test_surname_title_and_he_point_at_the_same_speaker() -> None:
    text = (
        f"{LEAD}علی رضایی شهردار کرج و حسن موسوی مدیر شهرک صنعتی بهارستان حضور داشتند."
        "رضایی گفت: یک.\nموسوی افزود: دو.\nوی ادامه داد: سه.\nشهردار کرج تصریح کرد: چهار."
    )
    reading = read_report(text)
    assert [p.name for p in reading.people] == ["علی رضایی", "حسن موسوی"]
    assert [(s.speaker, s.text) for s in reading.statements] == [
        (0, "یک."),
        (1, "دو."),
        (1, "سه."),
        (0, "چهار."),
    ]


def test_a_statement_ends_where_the_next_sentence_with_a_speaker_starts() -> None:
    reading = read_report(f"{LEAD}علی رضایی شهردار کرج گفت: یک. دو.رضایی افزود: سه.")
    assert [s.text for s in reading.statements] == ["یک. دو.", "سه."]


def test_an_unknown_speaker_is_for_review() -> None:
    reading = read_report(f"{LEAD}یک مقام مسئول گفت: چیزی نیست.")
    assert reading.statements[0].speaker is None
    assert "statements" in {r.field for r in reading.review}


@pytest.mark.parametrize(
    ("sentence", "due"),
    [
        ("مقرر شد شهرداری کرج ظرف دو هفته طرح را آماده کند.", date(2023, 11, 25)),
        ("قرار شد شهرداری کرج تا پایان آذر ماه گزارش دهد.", date(2023, 12, 21)),
        ("بر اساس مصوبات این جلسه، شهرداری کرج تا ۱۵ شهریور پاسخ دهد.", date(2024, 9, 5)),
        ("مقرر گردید شهرداری کرج پیگیری کند.", None),
    ],
)
def test_decisions_with_their_due_date_and_owner(sentence: str, due: date | None) -> None:
    reading = read_report(f"جلسه شنبه ۲۰ آبان ۱۴۰۲ در محل شهرداری کرج برگزار شد.\n{sentence}")
    (decision,) = reading.decisions
    assert decision.due == due
    assert decision.owner_organisation is not None
    assert decision.owner_organisation.name == "شهرداری کرج"
    assert decision.text.startswith("شهرداری کرج")


def test_a_decision_names_its_owner_person_by_surname() -> None:
    text = f"{LEAD}علی رضایی شهردار کرج حضور داشت.\nمقرر شد رضایی ظرف ۱۰ روز پاسخ دهد."
    (decision,) = read_report(text).decisions
    assert decision.owner_person == 0


def test_numbered_resolutions_after_the_heading() -> None:
    text = f"{LEAD}مصوبات:\n1- شهرداری کرج ظرف یک ماه مجوز دهد.\n۲- نقشه تحویل شود.\n"
    assert [d.text for d in read_report(text).decisions] == [
        "شهرداری کرج ظرف یک ماه مجوز دهد",
        "نقشه تحویل شود",
    ]


@pytest.mark.parametrize(
    ("phrase", "title"),
    [
        ("تفاهم‌نامه همکاری میان شهرداری کرج و شهرک صنعتی بهارستان به امضای طرفین رسید.",
         "تفاهم‌نامه همکاری"),
        ("در پایان تفاهم نامه آموزش به امضا رسید.", "تفاهم نامه آموزش"),
        ("این سند امضا شد.", ""),
    ],
)  # fmt: skip
def test_the_signed_signal_and_the_mou_title(phrase: str, title: str) -> None:
    signed = read_report(f"{LEAD}{phrase}").signed
    assert signed is not None
    assert signed.signed
    assert signed.mou_title.replace("\u200c", " ") == title.replace("\u200c", " ")


def test_no_signature_no_signed_reading() -> None:
    assert read_report(f"{LEAD}پیش‌نویس تفاهم‌نامه بررسی شد.").signed is None


def test_a_text_with_nothing_to_read_is_empty() -> None:
    assert read_report("سلام").is_empty
    assert not read_report(LEAD).is_empty


def test_a_sentence_pasted_twice_is_one_statement() -> None:
    body = "علی رضایی شهردار کرج گفت: شهر آماده است.\nرضایی افزود: کار آغاز می‌شود.\n"
    reading = read_report(LEAD + body + body + body)
    assert [s.text for s in reading.statements] == ["شهر آماده است.", "کار آغاز می‌شود."]


def test_a_decision_pasted_twice_is_one_decision() -> None:
    body = "مقرر شد شهرداری کرج ظرف دو هفته طرح را آماده کند.\n"
    reading = read_report(LEAD + body + body, published_on=date(2023, 11, 11))
    assert len(reading.decisions) == 1


@pytest.mark.parametrize(
    "headline",
    [
        "شهردار کرج گفت: شهر آماده همکاری است",  # a speech verb, no full stop
        "همکاری شهرداری و شهرک صنعتی در کرج",  # no speech verb
    ],
)
def test_the_headline_is_the_title_candidate_never_a_statement(headline: str) -> None:
    from meetings.intake.title import read_title

    text = (
        "سه‌شنبه ۲۰ آبان ۱۴۰۲، شماره ۱۲۳۴\nاقتصادی\nصفحه ۷\n\n"
        f"{headline}\n\nعلی رضایی شهردار کرج در این دیدار گفت: شهر آماده همکاری است."
    )
    reading = read_report(text)
    assert [s.text for s in reading.statements] == ["شهر آماده همکاری است."]
    found = read_title(text)
    assert found is not None
    assert found.text == headline


def test_a_first_line_that_is_a_sentence_is_not_a_headline() -> None:
    reading = read_report("علی رضایی شهردار کرج گفت: شهر آماده است.\nرضایی افزود: دو.")
    assert [s.text for s in reading.statements] == ["شهر آماده است.", "دو."]
