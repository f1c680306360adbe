"""The reader on made-up reports in the seed's genre, one style each (see docs/intake.md).

Known misses are left out of the assertions and listed in docs/intake.md, not asserted as
if they were right.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from meetings.intake import ReportReading, read_report
from meetings.intake.dates import TEHRAN
from meetings.intake.fold import key

REPORTS = Path(__file__).parent / "reports"
DIRECTORY = [(1, "شهرداری کرج"), (5, "شهرداری شهریار"), (7, "شهرداری ورامین")]
PEOPLE = [(20, "علی رضایی")]


def _read(name: str) -> ReportReading:
    text = (REPORTS / name).read_text(encoding="utf-8")
    return read_report(text, directory=DIRECTORY, people=PEOPLE)


def _orgs(reading: ReportReading) -> list[tuple[str, int | None]]:
    return [(key(o.name), o.matched_id) for o in reading.organisations]


def test_press_item_karaj() -> None:
    r = _read("press-karaj.fa.txt")
    assert r.report_date is not None
    # The date line says Tuesday; 20 Aban 1402 is a Saturday: read, but flagged.
    assert r.report_date.value == date(2023, 11, 11)
    assert r.report_date.weekday_checked is False
    assert r.review[0].field == "report_date"
    assert r.meeting_start is not None
    assert (r.meeting_start.value, r.meeting_start.relative) == (date(2023, 11, 10), True)
    assert r.place is not None
    assert r.place.text == "سالن جلسات شهرداری کرج"
    assert _orgs(r) == [
        (key("شهرداری کرج"), 1),
        (key("شهرک صنعتی بهارستان"), None),
        (key("شرکت شهرک‌های صنعتی استان البرز"), None),
    ]
    rezaei, mousavi = r.people
    assert (rezaei.name, rezaei.honorific, rezaei.title, rezaei.matched_id) == (
        "علی رضایی", "دکتر", "شهردار کرج", 20,
    )  # fmt: skip
    assert mousavi.name == "سید حسن موسوی"
    assert mousavi.organisation is not None
    assert key(mousavi.organisation.name) == key("شرکت شهرک‌های صنعتی استان البرز")
    assert [(s.speaker, s.verb) for s in r.statements] == [
        (0, "گفت"), (0, "افزود"), (1, "اظهار داشت"),
    ]  # fmt: skip
    assert [d.due for d in r.decisions] == [date(2023, 11, 24), date(2023, 12, 21)]
    owners = [d.owner_organisation.name if d.owner_organisation else None for d in r.decisions]
    assert [key(o or "") for o in owners] == [
        key("شهرداری کرج"),
        key("شرکت شهرک‌های صنعتی استان البرز"),
    ]
    assert r.publication is not None
    assert (r.publication.paper, r.publication.issue, r.publication.page) == ("همشهری", "1234", "7")
    assert r.signed is None


def test_public_relations_item_shahriar() -> None:
    r = _read("pr-shahriar.fa.txt")
    assert r.report_date is None
    assert r.meeting_start is not None
    assert r.meeting_start.value == datetime(2023, 9, 7, 10, 30, tzinfo=TEHRAN)
    assert r.meeting_start.weekday_checked is True
    assert r.place is not None
    assert r.place.text == "دفتر شهردار"
    assert _orgs(r) == [
        (key("شهرداری شهریار"), 5),
        (key("شهرک صنعتی گلگون"), None),
        (key("شورای اسلامی شهر شهریار"), None),
    ]
    ahmadi, karimi = r.people
    assert (ahmadi.name, ahmadi.honorific, ahmadi.title) == (
        "مریم احمدی", "مهندس", "معاون شهرسازی شهرداری شهریار",
    )  # fmt: skip
    assert (karimi.name, karimi.title) == ("رضا کریمی", "مدیر شهرک صنعتی گلگون")
    (council,) = r.groups
    assert council.label == "اعضای شورای اسلامی شهر شهریار"
    assert [(s.speaker, s.verb) for s in r.statements] == [(0, "بیان کرد"), (1, "تصریح کرد")]
    assert r.decisions == []
    assert r.signed is not None
    assert key(r.signed.mou_title) == key("تفاهم‌نامه همکاری شهرداری شهریار و شهرک صنعتی گلگون")


def test_secretarys_minutes_varamin() -> None:
    r = _read("minutes-varamin.fa.txt")
    assert r.report_date is None
    assert r.meeting_start is not None
    assert r.meeting_start.value == datetime(2024, 4, 29, 9, 0, tzinfo=TEHRAN)
    assert r.place is not None
    assert r.place.text == "شهرک صنعتی خاوران"
    assert _orgs(r) == [(key("شهرداری ورامین"), 7), (key("شهرک صنعتی خاوران"), None)]
    assert [(p.name, p.title) for p in r.people] == [
        ("محمد نوری", "شهردار ورامین"),
        ("زهرا صادقی", "مدیر شهرک صنعتی خاوران"),
    ]
    (delegation,) = r.groups
    assert delegation.label == "هیئت همراه"
    assert delegation.organisation is not None
    assert delegation.organisation.name == "شهرک صنعتی خاوران"
    assert [s.speaker for s in r.statements] == [0]
    # 1403/2/10 + one month = 1403/3/10; «تا 15 خرداد» = 1403/3/15.
    assert [d.due for d in r.decisions] == [date(2024, 5, 30), date(2024, 6, 4)]
    assert r.publication is None


def test_arabic_letters_and_digits_eshtehard() -> None:
    r = _read("arabic-eshtehard.fa.txt")
    assert r.report_date is not None
    assert (r.report_date.value, r.report_date.weekday_checked) == (date(2023, 9, 25), True)
    assert r.meeting_start is not None
    assert r.meeting_start.value == date(2023, 9, 24)  # «دیروز»
    assert r.place is not None
    assert r.place.text == "شهرداری اشتهارد"  # folded to Persian letters
    (yazdani,) = r.people
    assert (yazdani.name, yazdani.title) == ("کامران یزدانی", "شهردار اشتهارد")
    assert [s.speaker for s in r.statements] == [0, 0]
    (decision,) = r.decisions
    assert decision.due == date(2023, 10, 4)  # ١٠ days after 2 Mehr 1402
    assert r.publication is not None
    assert r.publication.paper == "ایرنا"
