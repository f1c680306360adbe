"""``load_demo`` holds the seed meeting's organisations and people, and is idempotent."""

import pytest
from django.core.management import call_command

from organizations.models import Membership, Organization, Person

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[int, int, int]:
    return Organization.objects.count(), Person.objects.count(), Membership.objects.count()


def test_load_demo_twice_changes_nothing_the_second_time(settings):
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first
    assert Organization.objects.filter(name="شهرداری قدس").exists()
    estates = Organization.objects.get(name="شهرک‌های صنعتی شهرستان قدس")
    assert estates.parent is not None
    assert estates.parent.name == "شرکت شهرک‌های صنعتی استان تهران"
    mayor = Person.objects.get(full_name="مسعود مختاری")
    assert mayor.position_title == "شهردار قدس"
    assert Person.objects.filter(full_name="بهزاد بهزادی").exists()


def test_demo_users_log_in_with_the_demo_password(client, settings):
    call_command("load_demo")
    for username in ("admin", "modir", "karshenas", "nazer"):
        assert client.login(username=username, password=settings.DEMO_PASSWORD), username


def test_municipality_staff_can_pick_the_counterpart_director():
    from django.contrib.auth import get_user_model

    from organizations.selectors import person_list_for_user

    call_command("load_demo")
    karshenas = get_user_model().objects.get(username="karshenas")
    names = set(person_list_for_user(user=karshenas).values_list("full_name", flat=True))
    assert {"مسعود مختاری", "بهزاد بهزادی"} <= names
