"""Agreement pages show only what the user's role allows; write pages refuse others with a
Persian 403 (the rules are those of agreements/services/)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from agreements.choices import AgreementStatus
from agreements.models import Agreement, AgreementVersion

from .conftest import force_status

pytestmark = pytest.mark.django_db


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_viewer_of_the_owner_sees_no_write_buttons(draft: Agreement, viewer_a: Any):
    client = web(viewer_a)
    html = client.get(f"/agreements/{draft.pk}/").content.decode()
    assert "ویرایش مشخصات" not in html
    assert "نسخه تازه" not in html
    assert "افزودن طرف" not in html
    assert "data-to=" not in html  # no workflow button at all
    assert "ثبت تفاهم‌نامه" not in client.get("/agreements/").content.decode()


def test_viewer_gets_a_persian_403_on_write_pages(draft: Agreement, viewer_a: Any):
    client = web(viewer_a)
    for path in ("/agreements/new/", f"/agreements/{draft.pk}/edit/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "کارشناس" in response.content.decode(), path
    assert client.get(f"/agreements/{draft.pk}/versions/new/").status_code == 403
    response = client.post(f"/agreements/{draft.pk}/versions/new/", {"text": "متن تازه"})
    assert response.status_code == 403
    assert AgreementVersion.objects.filter(agreement=draft).count() == 1


def test_party_staff_may_read_but_not_edit(draft: Agreement, staff_b: Any):
    force_status(draft, AgreementStatus.NEGOTIATION, guards_met=False)
    client = web(staff_b)
    assert client.get(f"/agreements/{draft.pk}/").status_code == 200
    assert "ویرایش مشخصات" not in client.get(f"/agreements/{draft.pk}/").content.decode()
    assert client.get(f"/agreements/{draft.pk}/edit/").status_code == 403
    assert client.get(f"/agreements/{draft.pk}/versions/new/").status_code == 403


def test_owner_staff_opens_the_write_pages(draft: Agreement, staff_a: Any):
    client = web(staff_a)
    html = client.get(f"/agreements/{draft.pk}/").content.decode()
    assert "ویرایش مشخصات" in html
    for path in ("/agreements/new/", f"/agreements/{draft.pk}/edit/"):
        assert client.get(path).status_code == 200, path
    assert client.get(f"/agreements/{draft.pk}/versions/new/").status_code == 200
