"""Demo meetings: the seed meeting exactly as reported, and one invented follow-up.

Source: روزنامه رسالت، شماره ۹۸۲۷، شنبه ۱۱ مرداد ۱۳۹۹، صفحه ۵ (شهرستان‌ها). The report gives
the date, place, people, groups and topics, and the mayor's points; it gives no hour and no
resolutions, so none are invented (the hour is a stated placeholder).

``load()`` is idempotent: it finds its rows by natural keys and updates them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from agreements import demo as agreements_demo
from organizations import demo as organizations_demo
from tracker.jalali import TEHRAN
from tracker.persian import text_key

from .choices import (
    ActionItemStatus,
    AttendanceRole,
    AttendanceStatus,
    MeetingKind,
    MeetingStatus,
)
from .models import ActionItem, AgendaItem, Attendance, Meeting, MeetingSeries
from .services import meeting_link_agreement

M = TypeVar("M", bound=models.Model)

SEED_TITLE = "جلسه هماهنگی آماده‌سازی پیش‌نویس تفاهم‌نامه شهرداری قدس و شهرک‌های صنعتی"
SEED_START = datetime(2020, 8, 1, 10, 0, tzinfo=TEHRAN)  # شنبه ۱۱ مرداد ۱۳۹۹
SERIES_TITLE = "تفاهم‌نامه شهرداری قدس و شهرک‌های صنعتی شهرستان قدس"
FOLLOW_UP_TITLE = "جلسه پیگیری پیش‌نویس تفاهم‌نامه شهرداری قدس و شهرک‌های صنعتی"

DIRECTOR_TITLE = "مدیر فنی و پیمان‌های شهرها و شهرک‌های صنعتی استان تهران"

SEED_AGENDA = (
    "خدمات‌دهی شهرداری به شهرک‌های صنعتی بر مبنای قانون و شرایط مندرج در قوانین",
    "تعامل دوسویه شهرک‌های صنعتی و شهرداری در راستای جهش تولید",
    "برندسازی و هویت‌سازی شهرک‌های صنعتی و جذب توریست (گردشگر) صنعتی",
    "برندسازی منطقه قدس در حوزه تأمین قطعات خودرویی و چند صنعت پایه‌ای دیگر",
)

#: The newspaper report the seed meeting comes from (a copy of ../shared/seed/): kept as the
#: meeting's source text, so reading it again in «ثبت از روی متن» finds this meeting.
SEED_TEXT = (
    Path(__file__).parent / "demo_data" / "qods-mou-coordination-meeting.fa.txt"
).read_text(encoding="utf-8")
SEED_MINUTES = "\n\n".join(
    (
        "مسعود مختاری، شهردار قدس و رئیس جلسه، در این جلسه هماهنگی و بحث و "
        "تبادل نظر درباره آماده‌سازی پیش‌نویس تفاهم‌نامه، این نکات را بیان کرد:",
        "۱. خدمات‌دهی شهرداری امری اجتناب‌ناپذیر و از وظایف ذاتی شهرداری است، "
        "اما این مهم بر مبنای قانون و شرایط مندرج در قوانین امکان‌پذیر است.",
        "۲. امروزه برای رشد و توسعه، هر یک از ما در هر جایگاه و مسئولیتی وظایفی "
        "بر عهده داریم که اگر به نحو احسن و در زمان مقرر انجام شود، اثربخشی آن "
        "به‌طور واضح و مشهود لمس می‌شود. در همین راستا تعامل دوسویه میان "
        "شهرک‌های صنعتی و شهرداری‌ها امری مهم و اثربخش است و سرفصل این اثرات بر "
        "مبنای شعار سال، در راستای جهش تولید و نگاه به اقتصاد درون، خود را نشان "
        "می‌دهد.",
        "۳. لازم است هر مجموعه بر مبنای قوانین وظایف خود را انجام دهد؛ شهرداری "
        "در حوزه خدماتی خود حرکت کند و شهرک صنعتی نیز تمام توان خود را در حوزه "
        "تولید به کار گیرد.",
        "۴. شهرها زمانی می‌توانند خود را به عنوان عاملی مؤثر و محرک نمایان کنند "
        "که هویت‌سازی دقیق و صحیح بر مبنای زیرساخت‌ها و داشته‌های آن شهر صورت "
        "گرفته باشد.",
        "۵. برندسازی نیاز امروز در حوزه رشد تولید و جذب توریست صنعتی است؛ اگر "
        "دقت در هویت‌سازی شهرک‌های صنعتی بالا باشد و برندسازی و اطلاع‌رسانی "
        "مناسبی در این حوزه صورت گیرد، شاهد رشد در تمام ابعاد مرتبط با آن "
        "خواهیم بود.",
        "۶. شهر قدس با وجود شهرک‌های صنعتی خود، آن‌گونه که باید در حوزه "
        "برندسازی ورود نکرده است؛ در حالی که با اطمینان و با وجود صنایع های‌تک "
        "متعددی که در شهر قدس مستقرند، می‌توان این منطقه را در حوزه تأمین قطعات "
        "خودرویی و چند صنعت پایه‌ای دیگر برندسازی کرد.",
    )
)

SEED_NOTES = (
    "ساعت جلسه در منبع نیامده است؛ ساعت ۱۰:۰۰ فرضی است. "
    "گزارش خبری مصوبه یا اقدامی ذکر نکرده و تعداد اعضای هیئت همراه و هیئت مدیره را نگفته است. "
    "وضعیت «برگزارشده» است و نه «صورتجلسه تأییدشده»، چون منبع گزارش خبری است و صورتجلسه "
    "امضاشده‌ای در دست نیست."
)


def get_seed_meeting() -> Meeting | None:
    """The seed meeting of the demo data, or None when the demo is not loaded."""
    return (
        Meeting.objects.filter(title=SEED_TITLE, start=SEED_START)
        .select_related("host")
        .order_by("id")
        .first()
    )


def _upsert(model: type[M], lookup: dict[str, Any], fields: dict[str, Any]) -> M:
    """Create the row, or update it only where it differs: a second load writes nothing
    (``updated_at`` stays, so calendars and dashboards see no change)."""
    row = model._default_manager.filter(**lookup).order_by("pk").first()
    if row is None:
        return model._default_manager.create(**lookup, **fields)
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, fields[name])
        row.save()
    return row


def _attendance(meeting: Meeting, rows: Sequence[tuple[Any, str, Any, str, str]]) -> None:
    """One present attendance per (person, group label, organisation, title, role), in
    order."""
    for order, (person, group_label, organization, title, role) in enumerate(rows):
        _upsert(
            Attendance,
            {"meeting": meeting, "order": order},
            {
                "person": person,
                "group_label": group_label,
                "head_count": None,
                "organization": organization,
                "position_title": title,
                "role": role,
                "status": AttendanceStatus.PRESENT,
            },
        )


def _agenda(meeting: Meeting, titles: tuple[str, ...]) -> None:
    for order, title in enumerate(titles):
        _upsert(AgendaItem, {"meeting": meeting, "order": order}, {"title": title})


def _participants(meeting: Meeting, organizations: list[Any]) -> None:
    if {o.pk for o in meeting.participants.all()} != {o.pk for o in organizations}:
        meeting.participants.set(organizations)


@transaction.atomic
def load() -> Meeting:
    """Create or refresh the demo meetings; returns the seed meeting."""
    orgs = organizations_demo.load()
    series, _ = MeetingSeries.objects.get_or_create(title=SERIES_TITLE)
    seed = _upsert(
        Meeting,
        {"title": SEED_TITLE, "start": SEED_START},
        {
            "kind": MeetingKind.COORDINATION,
            "status": MeetingStatus.HELD,
            "location": "محل شهرداری قدس",
            "host": orgs.municipality,
            "series": series,
            "minutes": SEED_MINUTES,
            "notes": SEED_NOTES,
            "source_publication": "روزنامه رسالت",
            "source_issue": "9827",
            "source_page": "5 (شهرستان‌ها)",
            "source_date": SEED_START.date(),
            "source_text": SEED_TEXT,
            "source_key": text_key(SEED_TEXT),
        },
    )
    _participants(seed, [orgs.estates_company, orgs.qods_estates])
    # Who sat at both meetings: the mayor in the chair and the estates company's director.
    principals = [
        (orgs.mayor, "", orgs.municipality, "شهردار قدس", AttendanceRole.CHAIR),
        (orgs.director, "", orgs.estates_company, DIRECTOR_TITLE, AttendanceRole.MEMBER),
    ]
    _attendance(
        seed,
        [
            *principals,
            (None, "هیئت همراه", orgs.estates_company, "", AttendanceRole.MEMBER),
            (
                None,
                "اعضای هیئت مدیره شهرک‌های صنعتی شهرستان قدس",
                orgs.qods_estates,
                "",
                AttendanceRole.MEMBER,
            ),
        ],
    )
    _agenda(seed, SEED_AGENDA)

    # The follow-up is invented for the demo: it sits ten days before today so that one of
    # its items is overdue and one is not, whenever the demo is loaded.
    today = timezone.localdate()
    follow_up_start = datetime.combine(today - timedelta(days=10), time(10, 0), tzinfo=TEHRAN)
    follow_up = _upsert(
        Meeting,
        {"title": FOLLOW_UP_TITLE, "series": series},
        {
            "kind": MeetingKind.FOLLOW_UP,
            "status": MeetingStatus.HELD,
            "start": follow_up_start,
            "end": follow_up_start + timedelta(hours=1, minutes=30),
            "location": "محل شهرداری قدس",
            "host": orgs.municipality,
            "minutes": "پیگیری تهیه پیش‌نویس تفاهم‌نامه و برنامه برندسازی (جلسه نمونه).",
            "notes": "جلسه نمونه برای نمایش؛ در منبع نیامده است.",
        },
    )
    _participants(follow_up, [orgs.estates_company, orgs.qods_estates])
    _attendance(follow_up, principals)
    _agenda(follow_up, ("بررسی پیشرفت پیش‌نویس تفاهم‌نامه", "برنامه برندسازی قطعات خودرو"))
    items = (
        (
            "ارسال نظر حقوقی شهرداری درباره پیش‌نویس تفاهم‌نامه",
            orgs.municipality,
            today - timedelta(days=3),  # overdue
        ),
        (
            "تهیه فهرست صنایع های‌تک شهرک‌ها برای برنامه برندسازی قطعات خودرو",
            orgs.qods_estates,
            today + timedelta(days=14),
        ),
    )
    for description, owner, due in items:
        _upsert(
            ActionItem,
            {"meeting": follow_up, "description": description},
            {
                "owner_organization": owner,
                "due_date": due,
                "status": ActionItemStatus.OPEN,
                "completed_at": None,
            },
        )
    _link_demo_agreement(seed)
    return seed


def _link_demo_agreement(seed: Meeting) -> None:
    """Link the seed meeting to the draft MoU it was held to prepare. Done here, not in
    agreements' demo: meetings sit above agreements and may use them, not the reverse."""
    agreement = agreements_demo.load()
    if seed.agreements.filter(pk=agreement.pk).exists():
        return
    karshenas = get_user_model().objects.get(username="karshenas")
    meeting_link_agreement(actor=karshenas, meeting=seed, agreement=agreement)
