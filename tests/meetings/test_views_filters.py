"""Filters of the meeting and action-item lists: selects of what the user may see (no raw
ids), «همه» as the empty choice, the dashboard's parameter names, ids still accepted."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from meetings.models import MeetingSeries
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
)

from .conftest import START

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _titles(html: str, *titles: str) -> list[str]:
    return [t for t in titles if t in html]


@pytest.fixture
def world(org_a: Any, org_b: Any) -> dict[str, Any]:
    series = MeetingSeries.objects.create(title="سلسله هماهنگی")
    ours = AgreementFactory(owning_organization=org_a, title="تفاهم‌نامه ما")
    theirs = AgreementFactory(owning_organization=org_b, title="تفاهم‌نامه پنهان")
    linked = MeetingFactory(host=org_a, start=START, title="جلسه پیوسته", series=series)
    linked.agreements.add(ours, theirs)
    other = MeetingFactory(host=org_a, start=START, title="جلسه دیگر")
    MeetingFactory(host=org_b, start=START, title="جلسه بیگانه")
    owner = PersonFactory(organization=org_a, full_name="رضا مسئول")
    far = OrganizationFactory(name="سازمان دور", province="خراسان")
    return {
        "series": series,
        "ours": ours,
        "theirs": theirs,
        "linked": linked,
        "other": other,
        "owner": owner,
        "far": far,
        "item_person": ActionItemFactory(
            meeting=linked, owner_person=owner, owner_organization=None, description="الف"
        ),
        "item_org": ActionItemFactory(meeting=other, owner_organization=org_a, description="ب"),
    }


def test_meeting_filters_are_selects_of_visible_rows(staff_a: Any, world: dict[str, Any]):
    html = _client(staff_a).get("/meetings/").content.decode()
    assert '<select name="agreement"' in html
    assert '<select name="series"' in html
    assert "شناسه" not in html
    assert "تفاهم‌نامه ما" in html
    assert "تفاهم‌نامه پنهان" not in html
    assert '<option value="" selected>همه</option>' in html


def test_meeting_filters_accept_ids_and_hide_what_is_not_visible(
    staff_a: Any, world: dict[str, Any]
):
    client = _client(staff_a)
    by_agreement = client.get(f"/meetings/?agreement={world['ours'].pk}").content.decode()
    assert _titles(by_agreement, "جلسه پیوسته", "جلسه دیگر") == ["جلسه پیوسته"]
    # An agreement the user may not see links nothing, and is no error (no oracle).
    hidden = client.get(f"/meetings/?agreement={world['theirs'].pk}")
    assert hidden.status_code == 200
    assert _titles(hidden.content.decode(), "جلسه پیوسته", "جلسه دیگر") == []
    by_series = client.get(f"/meetings/?series={world['series'].pk}").content.decode()
    assert _titles(by_series, "جلسه پیوسته", "جلسه دیگر") == ["جلسه پیوسته"]
    bad = client.get("/meetings/?series=abc").content.decode()
    assert "«abc» شناسه درستی نیست" in bad


def test_meeting_list_takes_the_dashboard_parameters(staff_a: Any, world: dict[str, Any]):
    client = _client(staff_a)
    world["other"].participants.add(world["far"])
    html = client.get("/meetings/?province=خراسان").content.decode()
    assert _titles(html, "جلسه پیوسته", "جلسه دیگر") == ["جلسه دیگر"]
    html = client.get("/meetings/?date_from=2020-08-01&date_to=2020-08-01").content.decode()
    assert _titles(html, "جلسه پیوسته", "جلسه دیگر") == ["جلسه پیوسته", "جلسه دیگر"]
    html = client.get("/meetings/?date_from=2020-08-02").content.decode()
    assert _titles(html, "جلسه پیوسته", "جلسه دیگر") == []


def test_action_item_filters_are_selects_with_persian_choices(staff_a: Any, world: dict[str, Any]):
    html = _client(staff_a).get("/meetings/action-items/").content.decode()
    for name in ("owner", "organization", "agreement", "meeting", "overdue"):
        assert f'<select name="{name}"' in html, name
    assert '<option value="true">بله</option>' in html
    assert '<option value="false">خیر</option>' in html
    assert "رضا مسئول" in html
    assert "جلسه بیگانه" not in html
    assert "شناسه" not in html


@pytest.mark.parametrize("param", ["owner", "owner_person"])
def test_action_items_by_owner_person_under_both_names(
    staff_a: Any, world: dict[str, Any], param: str
):
    html = (
        _client(staff_a)
        .get(f"/meetings/action-items/?{param}={world['owner'].pk}&status=open")
        .content.decode()
    )
    assert world["item_person"].description in html
    assert f">{world['item_org'].description}<" not in html


@pytest.mark.parametrize("param", ["organization", "owner_organization"])
def test_action_items_by_owner_organisation_under_both_names(
    staff_a: Any, org_a: Any, world: dict[str, Any], param: str
):
    html = (
        _client(staff_a)
        .get(f"/meetings/action-items/?{param}={org_a.pk}&status=open")
        .content.decode()
    )
    assert f">{world['item_org'].description}<" in html
    # Owned by a person of org_a alone: it counts under org_a (as stats/action-items does).
    assert f">{world['item_person'].description}<" in html


def test_action_item_api_keeps_its_parameter_names(
    staff_a: Any, org_a: Any, world: dict[str, Any], client_for: Any
):
    api = client_for(staff_a)

    def ids(query: str) -> list[int]:
        response = api.get(f"/api/v1/action-items/?{query}")
        assert response.status_code == 200, response.json()
        return sorted(row["id"] for row in response.json()["results"])

    assert ids(f"owner={world['owner'].pk}") == [world["item_person"].pk]
    assert ids(f"meeting={world['other'].pk}") == [world["item_org"].pk]
    assert ids(f"agreement={world['theirs'].pk}") == []
    assert ids("overdue=false") == []
    assert ids("overdue=true") == sorted([world["item_person"].pk, world["item_org"].pk])
    assert api.get("/api/v1/action-items/?owner=x").status_code == 400
