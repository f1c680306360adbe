"""The signed scan goes through the attachments' checks, page and API alike; a replaced scan
is deleted from storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from agreements.models import Agreement

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><script>alert(1)</script></html>"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _page(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(agreement: Agreement, scan: Any) -> dict[str, Any]:
    return {
        "reference_number": agreement.reference_number,
        "title": agreement.title,
        "lock_version": agreement.lock_version,
        "signed_scan": scan,
    }


def test_an_html_page_named_pdf_is_refused_on_the_page(draft: Agreement, staff_a: Any) -> None:
    response = _page(staff_a).post(
        f"/agreements/{draft.pk}/edit/", _form(draft, SimpleUploadedFile("scan.pdf", HTML))
    )
    assert response.status_code == 200
    assert "نوع این فایل پذیرفته نیست" in response.content.decode()
    assert not Agreement.objects.get(pk=draft.pk).signed_scan


def test_an_html_page_named_pdf_is_refused_by_the_api(
    draft: Agreement, staff_a: Any, client_for: Any
) -> None:
    response = client_for(staff_a).patch(
        f"/api/v1/agreements/{draft.pk}/",
        {"signed_scan": SimpleUploadedFile("scan.pdf", HTML), "lock_version": draft.lock_version},
        format="multipart",
    )
    assert response.status_code == 400
    assert "signed_scan" in response.json()


def test_the_same_size_limit_on_the_page_and_in_the_api(
    draft: Agreement, staff_a: Any, client_for: Any, settings: Any
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000
    big = b"%PDF-1.4\n" + b"0" * 2000
    page = _page(staff_a).post(
        f"/agreements/{draft.pk}/edit/", _form(draft, SimpleUploadedFile("scan.pdf", big))
    )
    assert page.status_code == 413
    api = client_for(staff_a).patch(
        f"/api/v1/agreements/{draft.pk}/",
        {"signed_scan": SimpleUploadedFile("scan.pdf", big), "lock_version": draft.lock_version},
        format="multipart",
    )
    assert api.status_code == 413


def test_a_replaced_scan_is_deleted_from_storage(
    draft: Agreement, staff_a: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = _page(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/agreements/{draft.pk}/edit/",
            _form(draft, SimpleUploadedFile("first.pdf", b"%PDF-1.4 first")),
        )
    draft.refresh_from_db()
    first = media / draft.signed_scan.name
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/agreements/{draft.pk}/edit/",
            _form(draft, SimpleUploadedFile("second.pdf", b"%PDF-1.4 second")),
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (media / draft.signed_scan.name).read_bytes() == b"%PDF-1.4 second"
    assert not first.exists()
