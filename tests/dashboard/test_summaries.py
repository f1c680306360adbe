"""The maintained dashboard summaries (issue 17) equal the counts from the rows after any
sequence of writes: services, plain ORM saves and ``update()``, ``bulk_create``, deletes,
participation changes and answers to invitations (the triggers see every writer).

The oracle is the row-based computation the aggregates use when filtered (and used for
everything before the summaries), and a rebuild from the rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from agreements import services as agreement_services
from agreements.choices import AgreementStatus
from agreements.models import Agreement, AgreementParty, AgreementStatusChange
from dashboard import summaries
from dashboard.stats.action_items import item_counts, row_pairs, summary_pairs
from dashboard.stats.common import StatsFilters, action_items_for, agreements_for, today
from dashboard.stats.timeline import _row_counts
from meetings.models import ActionItem, Meeting, ParticipantResponse
from meetings.services import action_items as item_services
from meetings.services import meetings as meeting_services
from organizations.models import Person
from organizations.scoping import forget_scope
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)
from tracker.exceptions import ApplicationError

MEETING_STATUSES = ("planned", "held", "minutes_approved", "cancelled")


class World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        a = OrganizationFactory(name="ریشه الف")
        a1 = OrganizationFactory(name="فرزند الف", parent=a)
        b = OrganizationFactory(name="ب", province="البرز")
        c = OrganizationFactory(name="ج")
        self.orgs = [a, a1, b, c]
        self.people = [PersonFactory(organization=o) for o in self.orgs for _ in range(2)]
        self.admin = UserFactory(username="summary-admin", is_superuser=True, is_staff=True)
        self.viewers = [self.admin]
        for orgs in ([a], [b], [a1, b], [c], []):
            user = UserFactory()
            for org in orgs:
                MembershipFactory(user=user, organization=org)
            self.viewers.append(user)
        # Every viewer's scope registered before the writes, half of them again after.
        for viewer in self.viewers[::2]:
            summaries.scope_id_for(viewer)

    def pick(self, model: Any) -> Any:
        ids = list(model.objects.values_list("pk", flat=True))
        return model.objects.get(pk=self.rng.choice(ids)) if ids else None

    def when(self) -> datetime:
        return timezone.now() + timedelta(
            days=self.rng.randint(-500, 60), hours=self.rng.randint(0, 23)
        )

    # --- the writes ---------------------------------------------------------------------

    def new_meeting(self) -> None:
        status = self.rng.choice(MEETING_STATUSES)
        meeting = MeetingFactory(
            host=self.rng.choice(self.orgs),
            status=status,
            start=self.when(),
            needs_review=self.rng.random() < 0.2,
        )
        meeting.participants.add(*self.rng.sample(self.orgs, self.rng.randint(0, 3)))

    def bulk_meetings(self) -> None:
        Meeting.objects.bulk_create(
            [
                Meeting(
                    title=f"انبوه {i}",
                    kind="coordination",
                    status="held",
                    start=self.when(),
                    location="-",
                    host=self.rng.choice(self.orgs),
                )
                for i in range(3)
            ]
        )

    def participation(self) -> None:
        meeting = self.pick(Meeting)
        if meeting is None:
            return
        org = self.rng.choice(self.orgs)
        if self.rng.random() < 0.5:
            meeting.participants.add(org)
        else:
            meeting.participants.remove(org)

    def answer(self) -> None:
        meeting = self.pick(Meeting)
        if meeting is None:
            return
        org = self.rng.choice(self.orgs)
        if self.rng.random() < 0.3:
            ParticipantResponse.objects.filter(meeting=meeting, organization=org).delete()
            return
        ParticipantResponse.objects.update_or_create(
            meeting=meeting,
            organization=org,
            defaults={
                "response": self.rng.choice(("declined", "accepted")),
                "responded_at": timezone.now(),
            },
        )

    def meeting_service(self) -> None:
        meeting = self.pick(Meeting)
        if meeting is None:
            return
        move = self.rng.choice(
            (meeting_services.meeting_cancel, meeting_services.meeting_mark_held)
        )
        move(actor=self.admin, meeting=meeting)

    def meeting_edit(self) -> None:
        meeting = self.pick(Meeting)
        if meeting is None:
            return
        choice = self.rng.random()
        if choice < 0.4:
            Meeting.objects.filter(pk=meeting.pk).update(start=self.when())
        elif choice < 0.6:
            Meeting.objects.filter(pk=meeting.pk).update(needs_review=not meeting.needs_review)
        elif choice < 0.8:
            meeting.host = self.rng.choice(self.orgs)
            meeting.save(update_fields=["host"])
        else:
            meeting.delete()

    def new_item(self) -> None:
        meeting = self.pick(Meeting)
        if meeting is None:
            return
        person = self.rng.choice([None, *self.people])
        org = self.rng.choice([None, *self.orgs]) if person else self.rng.choice(self.orgs)
        ActionItemFactory(
            meeting=meeting,
            owner_person=person,
            owner_organization=org,
            due_date=today() + timedelta(days=self.rng.randint(-60, 60)),
        )

    def item_service(self) -> None:
        item = self.pick(ActionItem)
        if item is None:
            return
        choice = self.rng.random()
        if choice < 0.4:
            item_services.action_item_complete(
                actor=self.admin,
                action_item=item,
                now=timezone.now() + timedelta(days=self.rng.randint(-70, 10)),
            )
        elif choice < 0.6:
            item_services.action_item_cancel(actor=self.admin, action_item=item)
        elif choice < 0.8:
            ActionItem.objects.filter(pk=item.pk).update(
                due_date=today() + timedelta(days=self.rng.randint(-60, 60))
            )
        elif choice < 0.9:
            ActionItem.objects.filter(meeting_id=item.meeting_id).update(status="open")
        else:
            item.delete()

    def person_moves(self) -> None:
        Person.objects.filter(pk=self.rng.choice(self.people).pk).update(
            organization=self.rng.choice(self.orgs)
        )

    def new_agreement(self) -> None:
        status = self.rng.choice(AgreementStatus.values)
        signed = today() - timedelta(days=self.rng.randint(0, 500))
        agreement = AgreementFactory(
            owning_organization=self.rng.choice(self.orgs), signed_date=signed, status=status
        )
        for org in self.rng.sample(self.orgs, self.rng.randint(0, 2)):
            AgreementParty.objects.create(agreement=agreement, organization=org, role="witness")

    def agreement_move(self) -> None:
        agreement = self.pick(Agreement)
        if agreement is None:
            return
        choice = self.rng.random()
        if choice < 0.3:
            agreement_services.agreement_transition(
                actor=self.admin, agreement=agreement, to=self.rng.choice(AgreementStatus.values)
            )
        elif choice < 0.6:
            Agreement.objects.filter(pk=agreement.pk).update(
                status=self.rng.choice(AgreementStatus.values)
            )
        elif choice < 0.75:
            AgreementStatusChange.objects.create(
                agreement=agreement,
                from_status=agreement.status,
                to_status=self.rng.choice(("negotiation", "withdrawn")),
                at=timezone.now(),
                lock_version=agreement.lock_version,
            )
        elif choice < 0.9:
            party = AgreementParty.objects.filter(agreement=agreement).first()
            if party is not None and self.rng.random() < 0.5:
                party.delete()
            else:
                org = self.rng.choice(self.orgs)
                if not AgreementParty.objects.filter(agreement=agreement, organization=org):
                    AgreementParty.objects.create(
                        agreement=agreement, organization=org, role="witness"
                    )
        else:
            agreement.delete()

    def step(self) -> None:
        ops: list[Callable[[], None]] = [
            self.new_meeting,
            self.new_meeting,
            self.bulk_meetings,
            self.participation,
            self.answer,
            self.meeting_service,
            self.meeting_edit,
            self.new_item,
            self.new_item,
            self.item_service,
            self.person_moves,
            self.new_agreement,
            self.agreement_move,
        ]
        op = self.rng.choice(ops)
        try:
            with transaction.atomic():
                op()
        except Exception as error:
            # A refused move (workflow, guard, protected row) changes nothing: still a
            # sequence of writes, and the savepoint rolled the triggers' work back too.
            if not _refusal(error):
                raise


def _refusal(error: Exception) -> bool:
    from django.core.exceptions import ValidationError
    from django.db.models import ProtectedError, RestrictedError

    return isinstance(error, ApplicationError | ValidationError | ProtectedError | RestrictedError)


def _assert_summaries_equal_rows(world: World) -> None:
    assert summaries.differences_from_rebuild() == {}
    now_day = today()
    lo, hi = now_day - timedelta(days=800), now_day + timedelta(days=100)
    for viewer in world.viewers:
        forget_scope(viewer)
        everything = StatsFilters()
        scope = summaries.scope_id_for(viewer)
        rows_by_status = dict(
            agreements_for(viewer, everything)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        assert summaries.status_counts(scope) == rows_by_status, viewer
        assert summaries.timeline_counts(scope, lo, hi) == _row_counts(viewer, everything, lo, hi)
        for filters in (
            everything,
            StatsFilters(date_from=now_day - timedelta(days=10)),
            StatsFilters(date_from=now_day - timedelta(days=30), date_to=now_day, limit=2),
        ):
            items = action_items_for(viewer, filters)
            if filters.date_from:
                items = items.filter(due_date__gte=filters.date_from)
            if filters.date_to:
                items = items.filter(due_date__lte=filters.date_to)
            from_rows = item_counts(row_pairs(items, now_day), filters.limit)
            assert item_counts(summary_pairs(scope, now_day, filters), filters.limit) == from_rows


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_summaries_equal_the_rows_after_random_writes(db: Any, seed: int) -> None:
    world = World(random.Random(seed))
    for _ in range(150):
        world.step()
    _assert_summaries_equal_rows(world)
    assert Meeting.objects.exists()
    assert ActionItem.objects.exists()
    assert Agreement.objects.exists()


def test_rebuild_command_is_idempotent_and_repairs(db: Any) -> None:
    world = World(random.Random(7))
    for _ in range(40):
        world.step()
    before = summaries.snapshot()
    # A write that goes around the triggers (raw SQL into a summary): the rebuild repairs it.
    from dashboard.models import ScopeStatusCount

    ScopeStatusCount.objects.update(n=99)
    assert summaries.differences_from_rebuild()
    call_command("rebuild_dashboard_summaries")
    call_command("rebuild_dashboard_summaries")
    assert summaries.snapshot() == before
    call_command("rebuild_dashboard_summaries", "--check")


def test_a_meeting_seen_through_two_of_the_viewers_organisations_counts_once(db: Any) -> None:
    a, b = OrganizationFactory(), OrganizationFactory()
    viewer = UserFactory()
    MembershipFactory(user=viewer, organization=a)
    MembershipFactory(user=viewer, organization=b)
    scope = summaries.scope_id_for(viewer)
    meeting = MeetingFactory(host=a, status="held", start=timezone.now() - timedelta(days=1))
    meeting.participants.add(b)
    ActionItemFactory(meeting=meeting, owner_organization=b, due_date=today())
    day = timezone.localdate(meeting.start, timezone.get_fixed_timezone(210))
    assert summaries.timeline_counts(scope, day, day)[1] == {day: 1}
    totals = item_counts(summary_pairs(scope, today(), StatsFilters()), 50)[0]
    assert totals["open"] == 1


def test_a_truncate_rebuilds_the_summaries(db: Any) -> None:
    from django.db import connection

    world = World(random.Random(5))
    for _ in range(30):
        world.step()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks (test transaction)
        cursor.execute("TRUNCATE meetings_meeting CASCADE")
    assert summaries.differences_from_rebuild() == {}
    assert not summaries.timeline_counts(
        summaries.scope_id_for(world.admin), today() - timedelta(days=900), today()
    )[1]
