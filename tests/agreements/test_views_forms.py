"""The agreement form: a number field that keeps Persian digits, and the scan after an
error."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from agreements.models import Agreement

pytestmark = pytest.mark.django_db


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _fields(agreement: Agreement, **overrides: Any) -> dict[str, Any]:
    data = {
        "reference_number": agreement.reference_number,
        "title": agreement.title,
        "lock_version": agreement.lock_version,
    }
    data.update(overrides)
    return data


def test_notice_period_takes_persian_digits_and_shows_them(draft: Agreement, staff_a: Any):
    client = web(staff_a)
    html = client.get(f"/agreements/{draft.pk}/edit/").content.decode()
    assert 'type="number"' not in html
    response = client.post(f"/agreements/{draft.pk}/edit/", _fields(draft, notice_period_days="۳۰"))
    assert response.status_code == 302
    assert Agreement.objects.get(pk=draft.pk).notice_period_days == 30
    html = client.get(f"/agreements/{draft.pk}/edit/").content.decode()
    assert 'inputmode="numeric"' in html
    assert 'value="۳۰"' in html


def test_bad_notice_period_is_explained_in_persian(draft: Agreement, staff_a: Any):
    response = web(staff_a).post(
        f"/agreements/{draft.pk}/edit/", _fields(draft, notice_period_days="99999")
    )
    assert response.status_code == 200
    assert "«۹۹۹۹۹» بیشتر از حد مجاز است" in response.content.decode()


def test_after_an_error_the_page_asks_to_choose_the_scan_again(draft: Agreement, staff_a: Any):
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = web(staff_a).post(
        f"/agreements/{draft.pk}/edit/",
        _fields(draft, title="", signed_scan=scan),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "فایل را دوباره انتخاب کنید" in html
    assert "scan.pdf" in html
    assert not Agreement.objects.get(pk=draft.pk).signed_scan


def test_signed_scan_is_downloaded_through_the_scoped_view(
    draft: Agreement, staff_a: Any, staff_b: Any, settings: Any, tmp_path: Any
):
    settings.MEDIA_ROOT = str(tmp_path)
    client = web(staff_a)
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = client.post(f"/agreements/{draft.pk}/edit/", _fields(draft, signed_scan=scan))
    assert response.status_code == 302
    html = client.get(f"/agreements/{draft.pk}/").content.decode()
    assert f'href="/agreements/{draft.pk}/signed-scan/"' in html
    assert "/media/" not in html
    download = client.get(f"/agreements/{draft.pk}/signed-scan/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed"
    # Another organisation's user, and a visitor, get nothing.
    assert web(staff_b).get(f"/agreements/{draft.pk}/signed-scan/").status_code == 404
    anonymous = Client().get(f"/agreements/{draft.pk}/signed-scan/")
    assert anonymous.status_code == 302


def test_no_scan_is_a_404(draft: Agreement, staff_a: Any):
    assert web(staff_a).get(f"/agreements/{draft.pk}/signed-scan/").status_code == 404
