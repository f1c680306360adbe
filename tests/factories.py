"""factory_boy factories for every app. Each app's factories stay in their own section."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.db import connection

from organizations.choices import OrganizationKind, Role
from organizations.models import Membership, Organization, Person
from tracker.text import normalize

# --- organizations -------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    password = factory.django.Password("pass-1234")


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"سازمان {n}")
    name_key = factory.LazyAttribute(lambda o: normalize(o.name))
    kind = OrganizationKind.MUNICIPALITY
    province = "تهران"
    county = "قدس"
    city = "قدس"


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"شخص {n}")
    name_key = factory.LazyAttribute(lambda o: normalize(o.full_name))
    position_title = "کارشناس"
    organization = factory.SubFactory(OrganizationFactory)


@contextmanager
def registered_before_the_name_index() -> Iterator[None]:
    """People created in the block are as rows written before names were compared: the
    unique name index (organizations 0006, ``id >`` the largest id when it was built) is
    dropped, then rebuilt to leave them out, as a migrated database's old duplicates are.
    For tests in a transaction (the DDL rolls back with the test)."""
    from organizations.services import PERSON_NAME_INDEX

    with connection.cursor() as cursor:
        cursor.execute(f'DROP INDEX "{PERSON_NAME_INDEX}"')
    try:
        yield
    finally:
        last = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with connection.cursor() as cursor:
            # The rows' deferred foreign-key checks first (an index is not built over a
            # table with pending trigger events), then deferred again as Django has them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                f'CREATE UNIQUE INDEX "{PERSON_NAME_INDEX}" ON {Person._meta.db_table}'
                f" (organization_id, name_key) WHERE id > {int(last)}"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.STAFF


def member(organization: Organization, role: str = Role.STAFF, **user_fields: Any) -> Any:
    """A new login user holding ``role`` in ``organization``."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organization=organization, role=role)
    return user


# --- meetings ------------------------------------------------------------------------------


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


def _meeting_day(meeting: Any) -> Any:
    from django.utils import timezone

    return timezone.localtime(meeting.start).date()


class MeetingFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = "meetings.Meeting"

    title = factory.Sequence(lambda n: f"جلسه هماهنگی {n}")
    kind = "coordination"
    status = "planned"
    start = factory.LazyFunction(_now)
    location = "محل شهرداری"
    host = factory.SubFactory(OrganizationFactory)
    # The database ties these times to their status (meeting_*_iff_* constraints).
    cancelled_at = factory.LazyAttribute(lambda o: o.start if o.status == "cancelled" else None)
    minutes_approved_at = factory.LazyAttribute(
        lambda o: o.start if o.status == "minutes_approved" else None
    )


class AttendanceFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = "meetings.Attendance"

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    organization = factory.LazyAttribute(lambda o: o.person.organization)
    position_title = factory.LazyAttribute(lambda o: o.person.position_title)


class ActionItemFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = "meetings.ActionItem"

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"اقدام {n}")
    owner_organization = factory.LazyAttribute(lambda o: o.meeting.host)
    due_date = factory.LazyAttribute(lambda o: _meeting_day(o.meeting))


# --- agreements ----------------------------------------------------------------------------


class AgreementFactory(factory.django.DjangoModelFactory[Any]):
    """A draft agreement row (no history rows: use agreements.services for behaviour)."""

    class Meta:
        model = "agreements.Agreement"

    owning_organization = factory.SubFactory(OrganizationFactory)
    reference_number = factory.Sequence(lambda n: f"ت/۱۴۰۳/{n:03d}")
    reference_key = factory.LazyAttribute(lambda o: normalize(o.reference_number))
    title = factory.Sequence(lambda n: f"تفاهم‌نامه همکاری {n}")
    subject = "همکاری شهرداری و شهرک صنعتی"


class AgreementPartyFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = "agreements.AgreementParty"

    agreement = factory.SubFactory(AgreementFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "second_party"


class AgreementVersionFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = "agreements.AgreementVersion"

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "ماده ۱ – موضوع تفاهم‌نامه: همکاری دوجانبه."
    is_current = True


# --- notifications -------------------------------------------------------------------------


class NotificationPreferenceFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = "notifications.NotificationPreference"
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)


class ApiTokenFactory(factory.django.DjangoModelFactory[Any]):
    """An API token; the notifications engine tests use its expiry as a reminder target."""

    class Meta:
        model = "organizations.ApiToken"

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"توکن {n}")
    prefix = factory.Sequence(lambda n: f"p{n:06d}")
    key_hash = factory.Sequence(lambda n: f"{n:064d}")
