"""Seeded meetings with participants, attendance, agenda, decisions and action items."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from agreements.models import Agreement
from meetings.choices import (
    ActionItemStatus,
    AttendanceRole,
    AttendanceStatus,
    MeetingKind,
    MeetingStatus,
)
from meetings.models import ActionItem, AgendaItem, Attendance, Decision, Meeting
from organizations.models import Organization

from .common import ACTIONS, TOPICS, SeedCounts, bulk, tehran_at
from .organizations import Orgs


def seed_meetings(
    rng: random.Random,
    scale: float,
    today: date,
    orgs: Orgs,
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
        start = tehran_at(day, rng.choice((9, 10, 11, 13, 14)), rng.choice((0, 30)))
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
    meetings = bulk(Meeting, meetings, counts)

    through = Meeting.participants.through
    bulk(
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
        bulk(
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
    bulk(Attendance, attendances, counts)
    agenda = bulk(AgendaItem, agenda, counts)
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
    decisions = bulk(Decision, decisions, counts)
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
                    tehran_at(min(due + timedelta(days=rng.randint(-5, 10)), today), 8)
                    if done
                    else None
                ),
                completed_by=user if done else None,
            )
        )
    bulk(ActionItem, items, counts)
