"""The dashboard page: Persian RTL, charts from local static files, links to the lists."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import ActionItemFactory, AgreementFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_draws_from_local_chartjs_with_list_links(
    org_a: Any, org_b: Any, staff_a: Any
) -> None:
    AgreementFactory.create_batch(2, owning_organization=org_a)
    AgreementFactory(owning_organization=org_b)
    meeting = MeetingFactory(host=org_a, start=timezone.now() + timedelta(days=2))
    ActionItemFactory(meeting=meeting, due_date=timezone.localdate() + timedelta(days=3))

    response = logged_in(staff_a).get("/dashboard/")
    body = response.content.decode()

    assert response.status_code == 200
    assert "/static/vendor/chartjs/chart.umd.min.js" in body
    assert "cdn" not in body.lower()
    match = re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', body, re.S)
    assert match is not None
    data = json.loads(match[1])
    counts = {r["status"]: r["count"] for r in data["agreements_by_status"]["results"]}
    assert counts["draft"] == 2  # B's agreement is not counted
    assert data["agreements_by_status"]["calendar"] == "jalali"
    assert 'href="/agreements/?status=draft"' in body
    assert len(data["upcoming"]["results"]) == 2


def test_dashboard_filters_keep_input_and_report_errors(staff_a: Any, org_a: Any) -> None:
    response = logged_in(staff_a).get(
        "/dashboard/", {"date_from": "1400/12/30", "organization": org_a.pk}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "field-error" in body
    assert 'value="1400/12/30"' in body


def test_organisation_filter_links_carry_the_filter(staff_a: Any, org_a: Any) -> None:
    AgreementFactory(owning_organization=org_a)

    body = logged_in(staff_a).get("/dashboard/", {"organization": org_a.pk}).content.decode()

    assert f"/agreements/?organization={org_a.pk}&amp;status=draft" in body


def test_dashboard_needs_login() -> None:
    assert Client().get("/dashboard/").status_code == 302
