"""Seeded organisations (provincial estates companies, their estates, municipalities, a
ministry), three people each, and the bench user."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from organizations.choices import OrganizationKind, Role
from organizations.models import Membership, Organization, Person
from tracker.text import normalize

from .common import PROVINCES, TITLES, SeedCounts, bulk, person_name


@dataclass
class Orgs:
    """The seeded organisations by kind, and the people of each (by organisation id)."""

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


def _org(name: str, kind: str, province: str, city: str, **fields: Any) -> Organization:
    """An unsaved organisation in ``city`` (also its county), with its search key."""
    return Organization(
        name=name,
        name_key=normalize(name),
        kind=kind,
        province=province,
        county=city,
        city=city,
        **fields,
    )


def seed_organizations(rng: random.Random, scale: float, counts: SeedCounts) -> Orgs:
    total = max(16, round(200 * scale))
    companies = [
        _org(
            f"شرکت شهرک‌های صنعتی استان {prov} (نمونه)",
            OrganizationKind.ESTATES_COMPANY,
            prov,
            capital,
        )
        for prov, capital, _ in PROVINCES
    ]
    others = [
        _org("وزارت صنعت، معدن و تجارت (نمونه)", OrganizationKind.GOVERNMENT, "تهران", "تهران")
    ]
    bulk(Organization, [*companies, *others], counts)
    rest = total - len(companies) - len(others)
    municipalities: list[Organization] = []
    estates: list[Organization] = []
    for i in range(rest):
        prov_index = i % len(PROVINCES)
        prov, _, cities = PROVINCES[prov_index]
        city = cities[(i // len(PROVINCES)) % len(cities)]
        number = i // (len(PROVINCES) * len(cities)) + 1
        if i % 5 < 2:  # 40% municipalities, 60% estates under their province's company
            name = f"شهرداری {city} - ناحیه {number}"
            municipalities.append(_org(name, OrganizationKind.MUNICIPALITY, prov, city))
        else:
            name = f"شهرک صنعتی {city} {number}"
            estates.append(
                _org(
                    name,
                    OrganizationKind.INDUSTRIAL_ESTATE,
                    prov,
                    city,
                    parent=companies[prov_index],
                )
            )
    bulk(Organization, [*municipalities, *estates], counts)

    people: dict[int, list[Person]] = {}
    rows: list[Person] = []
    for org in [*companies, *others, *municipalities, *estates]:
        for _ in range(3):
            name = person_name(rng)
            rows.append(
                Person(
                    full_name=name,
                    name_key=normalize(name),
                    position_title=rng.choice(TITLES),
                    organization=org,
                    registered_by_organization=org,
                )
            )
    for person in bulk(Person, rows, counts):
        people.setdefault(person.organization_id, []).append(person)
    return Orgs(companies, municipalities, estates, others, people)


def seed_users(orgs: Orgs, counts: SeedCounts) -> Any:
    """One manager of every provincial estates company (sees their estates): the bench user."""
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username="seed_manager", defaults={"first_name": "مدیر", "last_name": "استانی"}
    )
    bulk(
        Membership,
        [Membership(user=user, organization=c, role=Role.MANAGER) for c in orgs.companies],
        counts,
    )
    return user
