"""Bulk demo data for benchmarks: ``manage.py seed_demo --scale N``.

This is **not** how the application writes. Services (``meeting_log``,
``agreement_transition``...) validate, audit and refresh reminders row by row; at 10,000
meetings that takes hours. Seeding writes the same rows directly with ``bulk_create`` in
batches, and keeps every database constraint and the workflow's invariants by construction:

- meetings: end after start; past meetings are held, minutes approved or cancelled, future
  ones planned; attendance is a person (once per meeting) or a named group with a head-count;
  agenda and decision numbers are unique per meeting;
- action items: an owner (person or organisation); ``completed_at`` exactly when done;
- agreements: the status history is a walk along ``agreements.workflow.TRANSITIONS`` from
  draft (``status`` and ``status_changed_at`` are its last step); one first and one second
  party; 2–3 numbered versions, the last one current; every party approved the current
  text from «approved» on; signing, effective and expiry dates consistent with the status.

Skipped on purpose: audit rows (``MeetingEvent``, simple-history), reminders. Scale 1 is
about 200 organisations, 10,000 meetings, 50,000 action items and 2,000 agreements.
Everything comes from one ``random.Random(seed)`` and ``today``: same arguments, same rows.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import models, transaction

from agreements.choices import AgreementStatus as S
from agreements.choices import PartyRole
from agreements.models import (
    Agreement,
    AgreementApproval,
    AgreementParty,
    AgreementStatusChange,
    AgreementVersion,
)
from agreements.workflow import outgoing
from meetings.choices import (
    ActionItemStatus,
    AttendanceRole,
    AttendanceStatus,
    MeetingKind,
    MeetingStatus,
)
from meetings.models import ActionItem, AgendaItem, Attendance, Decision, Meeting
from organizations.choices import OrganizationKind, Role
from organizations.models import Membership, Organization, Person
from tracker.text import normalize

BATCH = 2000
TEHRAN = ZoneInfo("Asia/Tehran")
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


def _bulk(model: type[M], objs: Iterable[M], counts: SeedCounts) -> list[M]:
    objs = list(objs)
    created = model._default_manager.bulk_create(objs, batch_size=BATCH)
    counts.add(model._meta.label, len(created))
    return created


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TEHRAN)


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


@dataclass
class _Orgs:
    companies: list[Organization]
    municipalities: list[Organization]
    estates: list[Organization]
    others: list[Organization]
    people: dict[int, list[Person]]

    @property
    def all(self) -> list[Organization]:
        return self.companies + self.municipalities + self.estates + self.others

    @property
    def hosts(self) -> list[Organization]:
        return self.municipalities + self.companies


def _organizations(rng: random.Random, scale: float, counts: SeedCounts) -> _Orgs:
    total = max(16, round(200 * scale))
    companies = [
        Organization(
            name=f"شرکت شهرک‌های صنعتی استان {prov} (نمونه)",
            kind=OrganizationKind.ESTATES_COMPANY,
            province=prov,
            county=capital,
            city=capital,
        )
        for prov, capital, _ in PROVINCES
    ]
    others = [
        Organization(
            name="وزارت صنعت، معدن و تجارت (نمونه)",
            kind=OrganizationKind.GOVERNMENT,
            province="تهران",
            county="تهران",
            city="تهران",
        )
    ]
    for org in (*companies, *others):
        org.name_key = normalize(org.name)
    _bulk(Organization, [*companies, *others], counts)
    rest = total - len(companies) - len(others)
    municipalities: list[Organization] = []
    estates: list[Organization] = []
    for i in range(rest):
        prov_index = i % len(PROVINCES)
        prov, _, cities = PROVINCES[prov_index]
        city = cities[(i // len(PROVINCES)) % len(cities)]
        number = i // (len(PROVINCES) * len(cities)) + 1
        if i % 5 < 2:  # 40% municipalities, 60% estates under their province's company
            municipalities.append(
                Organization(
                    name=f"شهرداری {city} - ناحیه {number}",
                    kind=OrganizationKind.MUNICIPALITY,
                    province=prov,
                    county=city,
                    city=city,
                )
            )
        else:
            estates.append(
                Organization(
                    name=f"شهرک صنعتی {city} {number}",
                    kind=OrganizationKind.INDUSTRIAL_ESTATE,
                    province=prov,
                    county=city,
                    city=city,
                    parent=companies[prov_index],
                )
            )
    for org in (*municipalities, *estates):
        org.name_key = normalize(org.name)
    _bulk(Organization, [*municipalities, *estates], counts)

    people: dict[int, list[Person]] = {}
    rows: list[Person] = []
    for org in [*companies, *others, *municipalities, *estates]:
        for _ in range(3):
            name = _person_name(rng)
            rows.append(
                Person(
                    full_name=name,
                    name_key=normalize(name),
                    position_title=rng.choice(TITLES),
                    organization=org,
                    registered_by_organization=org,
                )
            )
    for person in _bulk(Person, rows, counts):
        people.setdefault(person.organization_id, []).append(person)
    return _Orgs(companies, municipalities, estates, others, people)


def _users(orgs: _Orgs, counts: SeedCounts) -> Any:
    """One manager of every provincial estates company (sees their estates): the bench user."""
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username="seed_manager", defaults={"first_name": "مدیر", "last_name": "استانی"}
    )
    _bulk(
        Membership,
        [Membership(user=user, organization=c, role=Role.MANAGER) for c in orgs.companies],
        counts,
    )
    return user


def _meetings(
    rng: random.Random,
    scale: float,
    today: date,
    orgs: _Orgs,
    agreements: Sequence[Agreement],
    user: Any,
    counts: SeedCounts,
) -> None:
    n = max(20, round(10_000 * scale))
    everyone = orgs.all
    meetings: list[Meeting] = []
    participants: list[list[Organization]] = []
    for i in range(n):
        host = rng.choice(orgs.hosts)
        day = today + timedelta(days=rng.randint(-1000, 60))
        start = _at(day, rng.choice((9, 10, 11, 13, 14)), rng.choice((0, 30)))
        if day >= today:
            status = MeetingStatus.PLANNED
        else:
            status = rng.choices(
                (MeetingStatus.MINUTES_APPROVED, MeetingStatus.HELD, MeetingStatus.CANCELLED),
                weights=(6, 3, 1),
            )[0]
        topic = rng.choice(TOPICS)
        meetings.append(
            Meeting(
                title=f"جلسه {topic} ({i + 1})",
                kind=rng.choice(MeetingKind.values),
                status=status,
                start=start,
                end=start + timedelta(minutes=rng.choice((60, 90, 120))),
                location=f"سالن جلسات {host.name}",
                host=host,
                minutes=(f"در این جلسه درباره {topic} گفت‌وگو شد." if status != "planned" else ""),
                minutes_approved_at=(
                    start + timedelta(days=3) if status == MeetingStatus.MINUTES_APPROVED else None
                ),
                minutes_approved_by=user if status == MeetingStatus.MINUTES_APPROVED else None,
                cancelled_at=start - timedelta(days=1)
                if status == MeetingStatus.CANCELLED
                else None,
                cancel_reason="عدم حضور طرف مقابل" if status == MeetingStatus.CANCELLED else "",
                created_by=user,
            )
        )
        others = [o for o in rng.sample(everyone, k=4) if o.pk != host.pk][: rng.randint(1, 3)]
        participants.append(others)
    meetings = _bulk(Meeting, meetings, counts)

    through = Meeting.participants.through
    _bulk(
        through,
        (
            through(meeting_id=m.pk, organization_id=o.pk)
            for m, ps in zip(meetings, participants, strict=True)
            for o in ps
        ),
        counts,
    )
    if agreements:
        link = Meeting.agreements.through
        _bulk(
            link,
            (
                link(meeting_id=m.pk, agreement_id=rng.choice(agreements).pk)
                for m in meetings
                if rng.random() < 0.2
            ),
            counts,
        )

    attendances: list[Attendance] = []
    agenda: list[AgendaItem] = []
    for m, ps in zip(meetings, participants, strict=True):
        order = 0
        for org in (m.host, *ps):
            for person in rng.sample(orgs.people[org.pk], k=1 if org is not m.host else 2):
                attendances.append(
                    Attendance(
                        meeting=m,
                        person=person,
                        organization=org,
                        position_title=person.position_title,
                        role=AttendanceRole.CHAIR if order == 0 else AttendanceRole.MEMBER,
                        status=(
                            AttendanceStatus.INVITED
                            if m.status == MeetingStatus.PLANNED
                            else AttendanceStatus.PRESENT
                        ),
                        order=order,
                    )
                )
                order += 1
        if rng.random() < 0.3:
            attendances.append(
                Attendance(
                    meeting=m,
                    group_label="هیئت همراه",
                    head_count=rng.randint(2, 6),
                    organization=ps[0],
                    role=AttendanceRole.GUEST,
                    order=order,
                )
            )
        for k in range(rng.randint(2, 4)):
            agenda.append(AgendaItem(meeting=m, order=k + 1, title=rng.choice(TOPICS)))
    _bulk(Attendance, attendances, counts)
    agenda = _bulk(AgendaItem, agenda, counts)
    first_agenda: dict[int, AgendaItem] = {}
    for item in agenda:
        first_agenda.setdefault(item.meeting_id, item)

    decisions: list[Decision] = []
    for m in meetings:
        if m.status == MeetingStatus.PLANNED or m.status == MeetingStatus.CANCELLED:
            continue
        for k in range(rng.randint(1, 3)):
            decisions.append(
                Decision(
                    meeting=m,
                    order=k + 1,
                    text=f"مقرر شد {rng.choice(ACTIONS)}.",
                    agenda_item=first_agenda.get(m.pk),
                )
            )
    decisions = _bulk(Decision, decisions, counts)
    by_meeting: dict[int, list[Decision]] = {}
    for d in decisions:
        by_meeting.setdefault(d.meeting_id, []).append(d)

    # Five action items per meeting on average (50,000 at scale 1).
    items: list[ActionItem] = []
    target = max(100, round(50_000 * scale))
    for i in range(target):
        m = meetings[i % len(meetings)]
        due = m.start.date() + timedelta(days=rng.randint(7, 90))
        ps = participants[i % len(meetings)]
        owner_org = rng.choice((m.host, *ps))
        by_person = rng.random() < 0.6
        item_status: str
        if m.status == MeetingStatus.CANCELLED:
            item_status = ActionItemStatus.CANCELLED
        elif due < today and rng.random() < 0.6:
            item_status = ActionItemStatus.DONE
        elif rng.random() < 0.05:
            item_status = ActionItemStatus.CANCELLED
        else:
            item_status = ActionItemStatus.OPEN
        done = item_status == ActionItemStatus.DONE
        ds = by_meeting.get(m.pk)
        items.append(
            ActionItem(
                meeting=m,
                decision=rng.choice(ds) if ds else None,
                description=rng.choice(ACTIONS),
                owner_person=rng.choice(orgs.people[owner_org.pk]) if by_person else None,
                owner_organization=owner_org,
                agreement=rng.choice(agreements) if agreements and rng.random() < 0.1 else None,
                due_date=due,
                status=item_status,
                completed_at=(
                    _at(min(due + timedelta(days=rng.randint(-5, 10)), today), 8) if done else None
                ),
                completed_by=user if done else None,
            )
        )
    _bulk(ActionItem, items, counts)


#: The statuses an agreement rests in at scale 1, weighted roughly like a real portfolio.
FINAL_WEIGHTS: dict[str, int] = {
    S.DRAFT: 10,
    S.INTERNAL_REVIEW: 8,
    S.LEGAL_REVIEW: 8,
    S.NEGOTIATION: 12,
    S.APPROVED: 6,
    S.SIGNED: 6,
    S.IN_FORCE: 25,
    S.EXPIRED: 10,
    S.WITHDRAWN: 8,
    S.TERMINATED: 7,
}
_MAIN_PATH = (
    S.DRAFT,
    S.INTERNAL_REVIEW,
    S.LEGAL_REVIEW,
    S.NEGOTIATION,
    S.APPROVED,
    S.SIGNED,
    S.IN_FORCE,
    S.EXPIRED,
)


def _walk(rng: random.Random, final: str) -> list[str]:
    """A path of workflow states from draft to ``final``, every step a declared transition."""
    path: list[str]
    if final in _MAIN_PATH:
        path = list(_MAIN_PATH[: _MAIN_PATH.index(final) + 1])
    else:  # an exit: walk the main path to a state that may leave that way, then leave
        sources = [t.source for t in _all_into(final)]
        stop = rng.choice(sources)
        path = [*_MAIN_PATH[: _MAIN_PATH.index(stop) + 1], final]
    # Sometimes a review sends the text back to draft once (a declared back-edge).
    reviews = [i for i, s in enumerate(path) if s in (S.INTERNAL_REVIEW, S.LEGAL_REVIEW)]
    if reviews and rng.random() < 0.2:
        i = rng.choice(reviews)
        path = [
            *path[: i + 1],
            S.DRAFT,
            *_MAIN_PATH[1 : _MAIN_PATH.index(path[i]) + 1],
            *path[i + 1 :],
        ]
    for a, b in itertools.pairwise(path):
        assert any(t.target == b for t in outgoing(a)), (a, b)  # noqa: S101
    return path


def _all_into(target: str) -> list[Any]:
    from agreements.workflow import TRANSITIONS

    return [t for t in TRANSITIONS if t.target == target]


def _agreements(
    rng: random.Random,
    scale: float,
    today: date,
    orgs: _Orgs,
    user: Any,
    counts: SeedCounts,
) -> list[Agreement]:
    n = max(20, round(2000 * scale))
    finals = list(FINAL_WEIGHTS)
    weights = list(FINAL_WEIGHTS.values())
    agreements: list[Agreement] = []
    paths: list[list[str]] = []
    starts: list[list[datetime]] = []
    for i in range(n):
        owner = rng.choice(orgs.hosts)
        path = _walk(rng, rng.choices(finals, weights=weights)[0])
        # Each step after the first takes 5–40 days; the whole walk ends before today.
        offsets = [0]
        for _ in path[1:]:
            offsets.append(offsets[-1] + rng.randint(5, 40))
        start = _at(today - timedelta(days=offsets[-1] + rng.randint(1, 60)), 10)
        times = [start + timedelta(days=d) for d in offsets]
        last = times[-1]
        signed = effective = expiry = None
        if S.SIGNED in path:
            signed = times[path.index(S.SIGNED)].date()
            effective = signed + timedelta(days=rng.randint(0, 5))
            if S.IN_FORCE in path:
                effective = times[path.index(S.IN_FORCE)].date()
            if path[-1] == S.EXPIRED:
                expiry = last.date() - timedelta(days=1)
            else:
                expiry = max(effective, today) + timedelta(days=rng.randint(30, 700))
        number = f"ت/{1400 + i % 5}/{i + 1:05d}"
        agreements.append(
            Agreement(
                owning_organization=owner,
                reference_number=number,
                reference_key=normalize(number),
                title=f"تفاهم‌نامه {rng.choice(TOPICS)}",
                subject=f"همکاری {owner.name} با شهرک‌های صنعتی",
                status=path[-1],
                status_changed_at=last,
                review_deadline=(start + timedelta(days=30)).date(),
                target_signing_date=(start + timedelta(days=rng.randint(60, 200))).date(),
                signed_date=signed,
                signed_scan="agreements/signed/seed.pdf" if signed else "",
                effective_date=effective,
                expiry_date=expiry,
                notice_period_days=rng.choice((None, 30, 60)),
                created_by=user,
            )
        )
        paths.append(path)
        starts.append(times)
    agreements = _bulk(Agreement, agreements, counts)

    changes: list[AgreementStatusChange] = []
    parties: list[AgreementParty] = []
    versions: list[AgreementVersion] = []
    for a, path, times in zip(agreements, paths, starts, strict=True):
        start = times[0]
        prev = ""
        for k, (state, at) in enumerate(zip(path, times, strict=True)):
            reason = "اصلاح متن" if state == S.DRAFT and k else ""
            if state in (S.WITHDRAWN, S.TERMINATED):
                reason = "توافق طرفین"
            changes.append(
                AgreementStatusChange(
                    agreement=a,
                    from_status=prev,
                    to_status=state,
                    actor=None if state == S.EXPIRED else user,
                    at=at,
                    reason=reason,
                )
            )
            prev = state
        second = rng.choice(
            [o for o in orgs.estates + orgs.companies if o.pk != a.owning_organization_id]
        )
        parties.append(
            AgreementParty(
                agreement=a, organization_id=a.owning_organization_id, role=PartyRole.FIRST_PARTY
            )
        )
        parties.append(
            AgreementParty(agreement=a, organization=second, role=PartyRole.SECOND_PARTY)
        )
        if rng.random() < 0.3:
            witness = rng.choice(orgs.others + orgs.companies)
            if witness.pk not in (a.owning_organization_id, second.pk):
                parties.append(
                    AgreementParty(agreement=a, organization=witness, role=PartyRole.WITNESS)
                )
        n_versions = rng.choice((2, 3))
        for v in range(1, n_versions + 1):
            versions.append(
                AgreementVersion(
                    agreement=a,
                    number=v,
                    text=f"ماده ۱ - موضوع: {a.title}.\nماده ۲ - تعهدات طرفین (نسخه {v}).",
                    change_note="" if v == 1 else "اصلاحات پس از بررسی",
                    is_current=v == n_versions,
                    author=user,
                    created_at=start + timedelta(days=v),
                )
            )
    _bulk(AgreementStatusChange, changes, counts)
    parties = _bulk(AgreementParty, parties, counts)
    versions = _bulk(AgreementVersion, versions, counts)

    current = {v.agreement_id: v for v in versions if v.is_current}
    approved_states = {S.APPROVED, S.SIGNED, S.IN_FORCE, S.EXPIRED, S.TERMINATED}
    statuses = {a.pk: (a.status, p) for a, p in zip(agreements, paths, strict=True)}
    approvals = [
        AgreementApproval(
            party=party,
            version=current[party.agreement_id],
            approved_by=user,
            approved_at=current[party.agreement_id].created_at + timedelta(days=1),
        )
        for party in parties
        if (approved_states & set(statuses[party.agreement_id][1]))
    ]
    _bulk(AgreementApproval, approvals, counts)
    return agreements


@transaction.atomic
def seed(*, scale: float, seed: int = 1399, today: date) -> SeedCounts:
    """Write the demo rows for ``scale`` in one transaction; return the counts."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    # Demo data, reproducible on purpose: not a secret.
    rng = random.Random(seed)  # noqa: S311
    counts = SeedCounts()
    orgs = _organizations(rng, scale, counts)
    user = _users(orgs, counts)
    agreements = _agreements(rng, scale, today, orgs, user, counts)
    _meetings(rng, scale, today, orgs, agreements, user, counts)
    return counts
