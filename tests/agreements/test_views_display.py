"""How the agreement pages show things: the redline keeps words apart, actors by name."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from agreements import services
from agreements.models import Agreement

pytestmark = pytest.mark.django_db


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_replaced_word_does_not_run_into_its_replacement(draft: Agreement, staff_a: Any):
    services.agreement_version_create(actor=staff_a, agreement=draft, text="برنامه رشد تولید")
    services.agreement_version_create(actor=staff_a, agreement=draft, text="برنامه جهش تولید")
    html = web(staff_a).get(f"/agreements/{draft.pk}/compare/?from=2&to=3").content.decode()
    redline = re.search(r'<div class="redline"[^>]*>(.*?)</div>', html, re.S)
    assert redline is not None
    text = redline.group(1)
    assert "<del>رشد</del> <ins>جهش</ins>" in text or "<ins>جهش</ins> <del>رشد</del>" in text
    assert 'dir="rtl"' in html


def test_actors_are_shown_by_full_name(draft: Agreement, staff_a: Any):
    staff_a.first_name, staff_a.last_name = "مریم", "کارشناسی"
    staff_a.save()
    html = web(staff_a).get(f"/agreements/{draft.pk}/").content.decode()
    versions = html.split('id="versions"')[1].split('id="timeline"')[0]
    timeline = html.split('id="timeline"')[1]
    assert "مریم کارشناسی" in versions
    assert "مریم کارشناسی" in timeline
    assert f">{staff_a.username}<" not in versions
    assert f"({staff_a.username})" not in timeline
