"""Demo organisations, people and users, from the seed meeting's newspaper report.

Resalat, issue 9827, Saturday 11 Mordad 1399: a coordination meeting at Qods municipality
on a draft MoU with the industrial estates of Qods county.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from tracker.text import normalize

from .choices import OrganizationKind, Role
from .models import Membership, Organization, Person


@dataclass(frozen=True)
class DemoOrganizations:
    municipality: Organization
    estates_company: Organization
    qods_estates: Organization
    mayor: Person
    director: Person


def _org(name: str, **fields: object) -> Organization:
    org, _ = Organization.objects.update_or_create(
        name_key=normalize(name), defaults={"name": name, **fields}
    )
    return org


def _person(
    full_name: str, organization: Organization, title: str, registered_by: Organization
) -> Person:
    person, _ = Person.objects.update_or_create(
        name_key=normalize(full_name),
        organization=organization,
        defaults={
            "full_name": full_name,
            "position_title": title,
            "registered_by_organization": registered_by,
        },
    )
    return person


@transaction.atomic
def load() -> DemoOrganizations:
    """Create or refresh the demo organisations, people and users (idempotent)."""
    municipality = _org(
        "شهرداری قدس",
        kind=OrganizationKind.MUNICIPALITY,
        province="تهران",
        county="قدس",
        city="قدس",
    )
    estates_company = _org(
        "شرکت شهرک‌های صنعتی استان تهران",
        kind=OrganizationKind.ESTATES_COMPANY,
        province="تهران",
        county="تهران",
        city="تهران",
    )
    qods_estates = _org(
        "شهرک‌های صنعتی شهرستان قدس",
        kind=OrganizationKind.INDUSTRIAL_ESTATE,
        province="تهران",
        county="قدس",
        city="قدس",
        parent=estates_company,
    )
    mayor = _person("مسعود مختاری", municipality, "شهردار قدس", municipality)
    # The municipality's staff registered their counterpart, so they can pick him again.
    director = _person(
        "بهزاد بهزادی",
        estates_company,
        "مدیر فنی و پیمان‌های شهرها و شهرک‌های صنعتی استان تهران",
        municipality,
    )

    user_model = get_user_model()
    password = settings.DEMO_PASSWORD
    demo_users = (
        ("admin", "مدیر", "سامانه", None, True),
        ("modir", "مدیر", "قراردادها", Role.MANAGER, False),
        ("karshenas", "کارشناس", "شهرداری", Role.STAFF, False),
        ("nazer", "ناظر", "شهرداری", Role.VIEWER, False),
    )
    for username, first, last, role, is_super in demo_users:
        user, _ = user_model.objects.get_or_create(username=username)
        user.first_name = first
        user.last_name = last
        user.email = f"{username}@example.invalid"
        user.is_superuser = is_super
        user.is_staff = is_super
        user.set_password(password)
        user.save()
        if role is not None:
            Membership.objects.update_or_create(
                user=user, organization=municipality, defaults={"role": role}
            )
    return DemoOrganizations(municipality, estates_company, qods_estates, mayor, director)
