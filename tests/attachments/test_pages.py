"""The attachments page of a meeting and an agreement: upload, errors, download, delete."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from attachments.models import Attachment, AttachmentDeletion
from tests.factories import AgreementFactory, MeetingFactory

from .conftest import HTML, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def meeting(org_a: Any) -> Any:
    return MeetingFactory(host=org_a)


def test_meeting_page_links_to_its_attachments(staff_a: Any, meeting: Any) -> None:
    html = web(staff_a).get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'href="/attachments/meetings/{meeting.pk}/"' in html


def test_agreement_page_links_to_its_attachments(staff_a: Any, org_a: Any) -> None:
    agreement = AgreementFactory(owning_organization=org_a)
    html = web(staff_a).get(f"/agreements/{agreement.pk}/").content.decode()
    assert f'href="/attachments/agreements/{agreement.pk}/"' in html


def test_upload_list_download_and_delete_on_the_page(staff_a: Any, meeting: Any) -> None:
    client = web(staff_a)
    url = f"/attachments/meetings/{meeting.pk}/"
    response = client.post(url, {"file": upload("حاضران.png", png_bytes()), "title": "برگه حضور"})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    html = client.get(url).content.decode()
    assert "برگه حضور" in html
    download_url = f"/attachments/meetings/{meeting.pk}/{attachment.pk}/download/"
    assert download_url in html
    assert "/media/" not in html
    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    response = client.post(f"/attachments/meetings/{meeting.pk}/{attachment.pk}/delete/")
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert AttachmentDeletion.objects.get().deleted_by == staff_a


def test_an_html_page_named_pdf_is_a_form_error_keeping_the_title(
    staff_a: Any, meeting: Any
) -> None:
    response = web(staff_a).post(
        f"/attachments/meetings/{meeting.pk}/",
        {"file": upload("minutes.pdf", HTML), "title": "صورتجلسه امضاشده"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "نوع این فایل پذیرفته نیست" in html
    assert 'value="صورتجلسه امضاشده"' in html
    assert not Attachment.objects.exists()


def test_over_the_limit_on_the_page_is_413_like_the_api(
    staff_a: Any, meeting: Any, settings: Any
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = web(staff_a).post(
        f"/attachments/meetings/{meeting.pk}/",
        {"file": upload("big.pdf", pdf_bytes() + b"0" * 2000)},
    )
    assert response.status_code == 413
    assert "مگابایت" in response.content.decode()


def test_a_viewer_sees_no_form_and_a_post_is_403(viewer_a: Any, meeting: Any) -> None:
    client = web(viewer_a)
    html = client.get(f"/attachments/meetings/{meeting.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' not in html
    response = client.post(
        f"/attachments/meetings/{meeting.pk}/", {"file": upload("a.pdf", pdf_bytes())}
    )
    assert response.status_code == 403


def test_another_organisation_gets_404_on_the_pages(
    staff_a: Any, staff_b: Any, meeting: Any
) -> None:
    web(staff_a).post(
        f"/attachments/meetings/{meeting.pk}/", {"file": upload("a.pdf", pdf_bytes())}
    )
    attachment = Attachment.objects.get()
    other = web(staff_b)
    assert other.get(f"/attachments/meetings/{meeting.pk}/").status_code == 404
    assert (
        other.get(f"/attachments/meetings/{meeting.pk}/{attachment.pk}/download/").status_code
        == 404
    )
    assert (
        other.post(f"/attachments/meetings/{meeting.pk}/{attachment.pk}/delete/").status_code == 404
    )
    assert other.get(f"/attachments/unknown/{meeting.pk}/").status_code == 404
    assert Attachment.objects.count() == 1


def test_the_list_filters_by_name(staff_a: Any, meeting: Any) -> None:
    client = web(staff_a)
    url = f"/attachments/meetings/{meeting.pk}/"
    client.post(url, {"file": upload("alpha.pdf", pdf_bytes())})
    client.post(url, {"file": upload("beta.pdf", pdf_bytes())})
    html = client.get(url, {"q": "beta"}).content.decode()
    assert "beta.pdf" in html
    assert "alpha.pdf" not in html
