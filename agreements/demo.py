# ruff: noqa: E501 - the demo MoU text keeps one clause per line, as it is typed.
"""Demo agreement: the draft MoU between Qods municipality and the Tehran province
industrial towns and estates company that the seed meeting (Resalat, 11 Mordad 1399)
was held to prepare, with two versions of its text. The meetings demo links the seed meeting
to it (meetings sit above agreements in the layers)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from organizations.models import Organization
from tracker.jalali import TEHRAN, jalali_to_gregorian
from tracker.text import normalize

from . import services
from .choices import PartyRole
from .models import Agreement

REFERENCE = "ت/۱۳۹۹/۰۰۱"
TITLE = "تفاهم‌نامه همکاری شهرداری قدس و شرکت شهرک‌های صنعتی استان تهران"
SUBJECT = (
    "خدمات‌رسانی شهرداری به شهرک‌های صنعتی شهرستان قدس در چارچوب قانون، تعامل دوسویه، "
    "برندسازی و گردشگری صنعتی و تأمین قطعات خودرو"
)

TEXT_V1 = """\
تفاهم‌نامه همکاری میان شهرداری قدس و شرکت شهرک‌های صنعتی استان تهران

ماده ۱ – طرفین
این تفاهم‌نامه میان شهرداری قدس (طرف اول) و شرکت شهرک‌های صنعتی استان تهران (طرف دوم) و با حضور شهرک‌های صنعتی شهرستان قدس (ناظر) منعقد می‌شود.

ماده ۲ – موضوع
همکاری طرفین در خدمات‌رسانی شهری به شهرک‌های صنعتی شهرستان قدس و تعامل دوسویه برای رشد تولید.

ماده ۳ – تعهدات طرف اول
۳-۱ ارائه خدمات شهری به شهرک‌های صنعتی، بر مبنای قانون و شرایط مندرج در قوانین.
۳-۲ همکاری در برندسازی شهر قدس در حوزه صنعت.

ماده ۴ – تعهدات طرف دوم
۴-۱ معرفی نیازهای خدماتی شهرک‌ها به شهرداری.
۴-۲ همکاری در معرفی توان تولیدی شهرک‌ها.

ماده ۵ – مدت
این تفاهم‌نامه از تاریخ امضا به مدت یک سال معتبر است.
"""

TEXT_V2 = """\
تفاهم‌نامه همکاری میان شهرداری قدس و شرکت شهرک‌های صنعتی استان تهران

ماده ۱ – طرفین
این تفاهم‌نامه میان شهرداری قدس (طرف اول) و شرکت شهرک‌های صنعتی استان تهران (طرف دوم) و با حضور شهرک‌های صنعتی شهرستان قدس (ناظر) منعقد می‌شود.

ماده ۲ – موضوع
همکاری طرفین در خدمات‌رسانی شهری به شهرک‌های صنعتی شهرستان قدس، تعامل دوسویه برای جهش تولید، و برندسازی و جذب گردشگر صنعتی.

ماده ۳ – تعهدات طرف اول
۳-۱ ارائه خدمات شهری به شهرک‌های صنعتی، از وظایف ذاتی شهرداری، بر مبنای قانون و شرایط مندرج در قوانین.
۳-۲ همکاری در برندسازی و اطلاع‌رسانی شهر قدس در حوزه تأمین قطعات خودرو و صنایع پایه.
۳-۳ پیش‌بینی مسیرهای بازدید گردشگری صنعتی در طرح‌های شهری.

ماده ۴ – تعهدات طرف دوم
۴-۱ معرفی نیازهای خدماتی شهرک‌ها به شهرداری، هر شش ماه یک بار.
۴-۲ همکاری در معرفی توان تولیدی شهرک‌ها و صنایع های‌تک مستقر در شهر قدس.

ماده ۵ – کارگروه مشترک
کارگروهی با نمایندگان طرفین و ناظر، هر سه ماه یک بار، پیشرفت این تفاهم‌نامه را بررسی می‌کند؛ صورت‌جلسه آن برای طرفین فرستاده می‌شود.

ماده ۶ – مدت
این تفاهم‌نامه از تاریخ امضا به مدت دو سال معتبر است و با توافق طرفین تمدید می‌شود.
"""


def _at(jy: int, jm: int, jd: int, hour: int) -> datetime:
    return datetime.combine(jalali_to_gregorian(jy, jm, jd), datetime.min.time()).replace(
        hour=hour, tzinfo=TEHRAN
    )


def _org(name: str) -> Organization:
    return Organization.objects.get(name_key=normalize(name))


@transaction.atomic
def load() -> Agreement:
    """Create the demo MoU once (the organisations' demo must be loaded); returns it."""
    municipality = _org("شهرداری قدس")
    estates_company = _org("شرکت شهرک‌های صنعتی استان تهران")
    qods_estates = _org("شهرک‌های صنعتی شهرستان قدس")
    users = get_user_model().objects
    karshenas = users.get(username="karshenas")

    agreement = Agreement.objects.filter(
        owning_organization=municipality, reference_key=normalize(REFERENCE)
    ).first()
    if agreement is None:
        agreement = services.agreement_create(
            actor=karshenas,
            owning_organization=municipality,
            reference_number=REFERENCE,
            title=TITLE,
            subject=SUBJECT,
            parties=[
                (municipality, PartyRole.FIRST_PARTY),
                (estates_company, PartyRole.SECOND_PARTY),
                (qods_estates, PartyRole.WITNESS),
            ],
            text=TEXT_V1,
            change_note="پیش‌نویس نخست بر پایه جلسه هماهنگی ۱۱ مرداد ۱۳۹۹",
            review_deadline=jalali_to_gregorian(1399, 6, 15),
            target_signing_date=jalali_to_gregorian(1399, 7, 15),
            notice_period_days=30,
            now=_at(1399, 5, 11, 12),
        )
        services.agreement_version_create(
            actor=karshenas,
            agreement=agreement,
            text=TEXT_V2,
            change_note=("افزودن گردشگری صنعتی، تأمین قطعات خودرو و کارگروه مشترک؛ مدت دو سال"),
            now=_at(1399, 5, 25, 10),
        )
    return agreement
