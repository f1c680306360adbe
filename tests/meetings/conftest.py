"""Fixtures of the meetings tests: a meeting of organisation A with two people."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from organizations.choices import OrganizationKind, Role
from tests.factories import OrganizationFactory, PersonFactory, member
from tracker.jalali import TEHRAN

START = datetime(2020, 8, 1, 10, 0, tzinfo=TEHRAN)  # Saturday 11 Mordad 1399, 10:00


@pytest.fixture
def person_a(org_a: Any) -> Any:
    return PersonFactory(full_name="مسعود مختاری", position_title="شهردار", organization=org_a)


@pytest.fixture
def person_a2(org_a: Any) -> Any:
    return PersonFactory(full_name="علی رضایی", position_title="معاون", organization=org_a)


@pytest.fixture
def log_meeting(staff_a: Any, org_a: Any, person_a: Any) -> Any:
    """``log_meeting(**overrides)``: a held meeting of A logged through the service."""
    from meetings import services

    def make(**overrides: Any) -> Any:
        fields: dict[str, Any] = {
            "actor": staff_a,
            "title": "جلسه هماهنگی",
            "host": org_a,
            "start": START,
            "status": "held",
            "attendances": [
                services.AttendanceInput(person=person_a, role="chair"),
            ],
            "agenda_items": [services.AgendaItemInput(title="خدمات شهرداری")],
            "decisions": [services.DecisionInput(text="تهیه پیش‌نویس", agenda_index=0)],
            "action_items": [
                services.ActionItemInput(
                    description="ارسال پیش‌نویس",
                    due_date=START.date(),
                    owner_organization=org_a,
                    decision_index=0,
                )
            ],
        }
        fields.update(overrides)
        return services.meeting_log(**fields)

    return make


@pytest.fixture
def qods(db: Any) -> dict[str, Any]:
    """The seed's three organisations (as the directory has them), its mayor, and staff of
    the municipality (``staff``) and of the estates company (``company_staff``)."""
    municipality = OrganizationFactory(name="شهرداری قدس", kind=OrganizationKind.MUNICIPALITY)
    company = OrganizationFactory(
        name="شرکت شهرک‌های صنعتی استان تهران", kind=OrganizationKind.ESTATES_COMPANY
    )
    estates = OrganizationFactory(
        name="شهرک‌های صنعتی شهرستان قدس", kind=OrganizationKind.INDUSTRIAL_ESTATE
    )
    mayor = PersonFactory(
        full_name="مسعود مختاری", position_title="شهردار قدس", organization=municipality
    )
    return {
        "municipality": municipality,
        "company": company,
        "estates": estates,
        "mayor": mayor,
        "staff": member(municipality, Role.STAFF, username="k"),
        "company_staff": member(company, Role.STAFF, username="c"),
    }
