"""What the seeding modules share: the vocabulary of the generated rows, the counts, the
batched ``bulk_create``."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TypeVar

from django.db import models

from tracker.jalali import TEHRAN

BATCH = 2000
M = TypeVar("M", bound=models.Model)

#: (province, its capital, counties/cities of its estates and municipalities)
PROVINCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("تهران", "تهران", ("قدس", "شهریار", "اسلامشهر", "ورامین", "پاکدشت", "ملارد", "رباط‌کریم")),
    ("اصفهان", "اصفهان", ("کاشان", "نجف‌آباد", "شاهین‌شهر", "مبارکه", "خمینی‌شهر", "لنجان")),
    ("خراسان رضوی", "مشهد", ("نیشابور", "سبزوار", "تربت حیدریه", "قوچان", "چناران")),
    ("فارس", "شیراز", ("مرودشت", "کازرون", "فسا", "جهرم", "لار")),
    ("آذربایجان شرقی", "تبریز", ("مراغه", "مرند", "اهر", "میانه", "بناب")),
)
FIRST_NAMES = (
    "محمد", "علی", "حسین", "رضا", "مهدی", "زهرا", "فاطمه", "مریم", "سارا", "نرگس",
    "مسعود", "بهزاد", "حمید", "کاوه", "لیلا", "الهام", "سعید", "امیر", "پریسا", "یوسف",
)  # fmt: skip
LAST_NAMES = (
    "محمدی", "حسینی", "احمدی", "رضایی", "کریمی", "موسوی", "جعفری", "صادقی", "رحیمی",
    "مختاری", "بهزادی", "نوری", "کاظمی", "قاسمی", "طاهری", "زارعی", "شریفی", "عباسی",
)  # fmt: skip
TITLES = (
    "شهردار", "معاون خدمات شهری", "مدیر فنی و پیمان‌ها", "مدیرعامل", "کارشناس حقوقی",
    "رئیس هیئت‌مدیره", "عضو هیئت‌مدیره", "مدیر برنامه‌ریزی", "کارشناس قراردادها",
)  # fmt: skip
TOPICS = (
    "ارائه خدمات شهری به شهرک‌های صنعتی در چارچوب قانون",
    "همکاری دوجانبه در توسعه زیرساخت‌ها",
    "برندسازی و گردشگری صنعتی",
    "تأمین قطعات خودرو از واحدهای تولیدی",
    "جمع‌آوری و مدیریت پسماند صنعتی",
    "ایمنی و آتش‌نشانی شهرک",
    "حمل‌ونقل عمومی کارکنان واحدهای صنعتی",
    "عوارض و صدور پروانه ساخت",
    "فضای سبز و کمربند حفاظتی",
    "آب و فاضلاب و تصفیه‌خانه",
)
ACTIONS = (
    "تهیه پیش‌نویس تفاهم‌نامه و ارسال برای طرفین",
    "برآورد هزینه خدمات و ارائه گزارش",
    "معرفی نماینده تام‌الاختیار",
    "بازدید میدانی و تهیه صورت‌وضعیت",
    "پیگیری مجوزهای لازم از استانداری",
    "ارسال فهرست واحدهای متقاضی",
    "برگزاری جلسه کارشناسی مشترک",
)


@dataclass
class SeedCounts:
    """How many rows of each kind were written."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.rows[name] = self.rows.get(name, 0) + n


def bulk(model: type[M], objs: Iterable[M], counts: SeedCounts) -> list[M]:
    objs = list(objs)
    created = model._default_manager.bulk_create(objs, batch_size=BATCH)
    counts.add(model._meta.label, len(created))
    return created


def tehran_at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TEHRAN)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
