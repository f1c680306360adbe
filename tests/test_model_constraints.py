"""The constraints the services assume are in the database too (issue 15, must-have 6).

Every field with choices has a check constraint that admits exactly its choices (a row
written around the services, by a migration or by hand in psql, cannot hold a status the
code does not know), and a meeting's status goes with its timestamps. Organisation names
unique within their parent are pinned in tests/organizations/test_services.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from meetings.choices import MeetingStatus
from meetings.models import Meeting

ROOT = Path(settings.BASE_DIR).resolve()


def _project_models() -> Iterator[type[models.Model]]:
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if not path.is_relative_to(ROOT) or ".venv" in path.parts:
            continue  # Django's and third-party apps keep their own rules
        for model in config.get_models():
            # simple-history's generated models copy a tracked model's fields; their own
            # history_type is written by simple-history alone.
            if model._meta.managed and not model._meta.proxy and not hasattr(model, "instance"):
                yield model


def _leaves(condition: Q) -> Iterator[tuple[str, Any]]:
    for child in condition.children:
        if isinstance(child, Q):
            yield from _leaves(child)
        else:
            yield child


def _choices_fields() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    return [
        (model, field)
        for model in _project_models()
        for field in model._meta.concrete_fields
        if field.choices
    ]


def test_the_walk_finds_the_choices_fields_of_every_app() -> None:
    labels = {model._meta.app_label for model, _field in _choices_fields()}
    assert {"organizations", "meetings", "agreements", "notifications", "commitments"} <= labels


@pytest.mark.parametrize(
    ("model", "field"),
    _choices_fields(),
    ids=lambda value: getattr(value, "__name__", None) or getattr(value, "name", str(value)),
)
def test_every_choices_field_has_a_check_constraint_that_admits_exactly_its_choices(
    model: type[models.Model], field: models.Field[Any, Any]
) -> None:
    values = {str(value) for value, _label in field.flatchoices}  # type: ignore[misc]
    admitted = [
        {str(v) for v in value}
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
        for lookup, value in _leaves(constraint.condition)  # type: ignore[arg-type]
        if lookup == f"{field.name}__in"
    ]
    assert values in admitted, (
        f"{model.__name__}.{field.name}: no CheckConstraint with {field.name}__in={values}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "cancelled", "approved"),
    [
        (MeetingStatus.CANCELLED, False, False),  # cancelled without its time
        (MeetingStatus.PLANNED, True, False),  # a time of cancelling, not cancelled
        (MeetingStatus.MINUTES_APPROVED, False, False),  # approved without its time
        (MeetingStatus.HELD, False, True),  # a time of approval, not approved
    ],
)
def test_the_database_ties_a_meeting_status_to_its_timestamp(
    org_a: Any, status: str, cancelled: bool, approved: bool
) -> None:
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            title="جلسه",
            host=org_a,
            start=now - timedelta(days=1),
            status=status,
            cancelled_at=now if cancelled else None,
            minutes_approved_at=now if approved else None,
        )


@pytest.mark.django_db
def test_the_database_takes_each_status_with_its_timestamp(org_a: Any) -> None:
    now = timezone.now()
    start = now - timedelta(days=1)
    Meeting.objects.create(
        title="لغو", host=org_a, start=start, status=MeetingStatus.CANCELLED, cancelled_at=now
    )
    Meeting.objects.create(
        title="تأیید",
        host=org_a,
        start=start,
        status=MeetingStatus.MINUTES_APPROVED,
        minutes_approved_at=now,
    )
    assert Meeting.objects.filter(host=org_a).count() == 2


@pytest.mark.django_db
def test_the_database_refuses_a_status_outside_the_choices(org_a: Any) -> None:
    meeting = Meeting.objects.create(title="جلسه", host=org_a, start=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(status="postponed")
