"""The attachments API on meetings and agreements: upload, list, download, delete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from agreements.choices import AgreementStatus
from attachments.models import Attachment, AttachmentDeletion
from organizations.choices import Role
from organizations.scoping import forget_scope
from organizations.services import api_token_create
from tests.factories import AgreementFactory, AgreementPartyFactory, MeetingFactory, member

from .conftest import ALLOWED, EXE, HTML, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(org_a: Any) -> Any:
    return MeetingFactory(host=org_a)


def _post(client: APIClient, url: str, name: str, content: bytes, **extra: Any) -> Any:
    return client.post(url, {"file": upload(name, content), **extra}, format="multipart")


@pytest.mark.parametrize("key", sorted(ALLOWED))
def test_each_allowed_type_uploads_to_a_meeting(
    client_for: Any, staff_a: Any, meeting: Any, media_root: Path, key: str
) -> None:
    name, make, mime = ALLOWED[key]
    content = make()
    response = _post(
        client_for(staff_a),
        f"/api/v1/meetings/{meeting.pk}/attachments/",
        name,
        content,
        title="فهرست حاضران",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["mime_type"] == mime
    assert body["original_name"] == name
    assert body["title"] == "فهرست حاضران"
    assert body["uploaded_by"] == "staff_a"
    stored = Attachment.objects.get(pk=body["id"])
    # Stored under a random name inside the media root, never the user's name.
    assert name not in stored.file.name
    assert (media_root / stored.file.name).read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [("minutes.pdf", HTML), ("setup.docx", EXE), ("photo.jpg", pdf_bytes()), ("a.exe", EXE)],
    ids=["html-named-pdf", "exe-named-docx", "pdf-named-jpg", "exe"],
)
def test_wrong_content_or_mismatched_name_is_a_persian_400(
    client_for: Any, staff_a: Any, meeting: Any, name: str, content: bytes
) -> None:
    response = _post(
        client_for(staff_a), f"/api/v1/meetings/{meeting.pk}/attachments/", name, content
    )
    assert response.status_code == 400
    assert "file" in response.json()
    assert not Attachment.objects.exists()


def test_over_the_size_limit_is_413_and_nothing_is_stored(
    client_for: Any, staff_a: Any, meeting: Any, settings: Any, media_root: Path
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = _post(
        client_for(staff_a),
        f"/api/v1/meetings/{meeting.pk}/attachments/",
        "big.pdf",
        pdf_bytes() + b"0" * 1000,
    )
    assert response.status_code == 413
    assert "مگابایت" in response.json()["detail"]
    assert not Attachment.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*")) if media_root.exists() else True


def test_a_body_over_the_multipart_guard_is_413_before_the_view(
    client_for: Any, staff_a: Any, meeting: Any, settings: Any
) -> None:
    settings.MAX_UPLOAD_BODY_SIZE = 500
    response = _post(
        client_for(staff_a),
        f"/api/v1/meetings/{meeting.pk}/attachments/",
        "big.pdf",
        pdf_bytes() + b"0" * 1000,
    )
    assert response.status_code == 413


def test_a_traversal_name_is_cleaned(client_for: Any, staff_a: Any, meeting: Any) -> None:
    response = _post(
        client_for(staff_a),
        f"/api/v1/meetings/{meeting.pk}/attachments/",
        "../../../etc/x\u202e.pdf",
        pdf_bytes(),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["original_name"] == "x.pdf"


def test_missing_file_is_a_persian_400(client_for: Any, staff_a: Any, meeting: Any) -> None:
    response = client_for(staff_a).post(
        f"/api/v1/meetings/{meeting.pk}/attachments/", {"title": "x"}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()


def test_download_is_an_attachment_with_nosniff(
    client_for: Any, staff_a: Any, viewer_a: Any, meeting: Any
) -> None:
    created = _post(
        client_for(staff_a),
        f"/api/v1/meetings/{meeting.pk}/attachments/",
        "صورتجلسه.pdf",
        pdf_bytes(),
    ).json()
    response = client_for(viewer_a).get(created["download_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_viewer_reads_but_cannot_upload(client_for: Any, viewer_a: Any, meeting: Any) -> None:
    client = client_for(viewer_a)
    assert client.get(f"/api/v1/meetings/{meeting.pk}/attachments/").status_code == 200
    response = _post(client, f"/api/v1/meetings/{meeting.pk}/attachments/", "a.pdf", pdf_bytes())
    assert response.status_code == 403


def test_another_organisation_gets_404_everywhere(
    client_for: Any, staff_a: Any, staff_b: Any, meeting: Any
) -> None:
    created = _post(
        client_for(staff_a), f"/api/v1/meetings/{meeting.pk}/attachments/", "a.pdf", pdf_bytes()
    ).json()
    other = client_for(staff_b)
    base = f"/api/v1/meetings/{meeting.pk}/attachments/"
    assert other.get(base).status_code == 404
    assert _post(other, base, "b.pdf", pdf_bytes()).status_code == 404
    assert other.get(f"{base}{created['id']}/").status_code == 404
    assert other.get(created["download_url"]).status_code == 404
    assert other.delete(f"{base}{created['id']}/").status_code == 404
    assert Attachment.objects.count() == 1


def test_an_attachment_is_not_reachable_through_another_object(
    client_for: Any, staff_a: Any, meeting: Any, org_a: Any
) -> None:
    created = _post(
        client_for(staff_a), f"/api/v1/meetings/{meeting.pk}/attachments/", "a.pdf", pdf_bytes()
    ).json()
    second = MeetingFactory(host=org_a)
    url = f"/api/v1/meetings/{second.pk}/attachments/{created['id']}/download/"
    assert client_for(staff_a).get(url).status_code == 404


def test_delete_by_the_uploader_is_recorded_and_removes_the_file(
    client_for: Any,
    staff_a: Any,
    meeting: Any,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(staff_a)
    created = _post(
        client, f"/api/v1/meetings/{meeting.pk}/attachments/", "a.pdf", pdf_bytes(), title="ت"
    ).json()
    stored = media_root / Attachment.objects.get().file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"/api/v1/meetings/{meeting.pk}/attachments/{created['id']}/")
    assert response.status_code == 204
    assert not Attachment.objects.exists()
    record = AttachmentDeletion.objects.get()
    assert record.attachment_id == created["id"]
    assert record.original_name == "a.pdf"
    assert record.title == "ت"
    assert record.deleted_by == staff_a
    assert record.uploaded_by == staff_a
    assert record.object_id == meeting.pk
    assert not stored.exists()


def test_another_staff_member_may_not_delete_but_a_manager_may(
    client_for: Any, staff_a: Any, manager_a: Any, org_a: Any, meeting: Any
) -> None:
    created = _post(
        client_for(staff_a), f"/api/v1/meetings/{meeting.pk}/attachments/", "a.pdf", pdf_bytes()
    ).json()
    url = f"/api/v1/meetings/{meeting.pk}/attachments/{created['id']}/"
    colleague = member(org_a, Role.STAFF, username="colleague")
    assert client_for(colleague).delete(url).status_code == 403
    assert not AttachmentDeletion.objects.exists()
    assert client_for(manager_a).delete(url).status_code == 204
    assert AttachmentDeletion.objects.get().deleted_by == manager_a


def test_agreement_attachments_follow_the_agreement_visibility(
    client_for: Any, staff_a: Any, staff_b: Any, org_a: Any, org_b: Any
) -> None:
    agreement = AgreementFactory(owning_organization=org_a, status=AgreementStatus.DRAFT)
    AgreementPartyFactory(agreement=agreement, organization=org_b)
    base = f"/api/v1/agreements/{agreement.pk}/attachments/"
    created = _post(client_for(staff_a), base, "annex.docx", ALLOWED["docx"][1]())
    assert created.status_code == 201, created.json()
    # A draft stays inside the owner: the party sees neither it nor its files.
    assert client_for(staff_b).get(base).status_code == 404
    agreement.status = AgreementStatus.NEGOTIATION
    agreement.save(update_fields=["status"])
    # From negotiation on the party sees them and may add its own draft.
    assert client_for(staff_b).get(base).json()["count"] == 1
    assert _post(client_for(staff_b), base, "draft.odt", ALLOWED["odt"][1]()).status_code == 201


def test_a_read_only_token_lists_and_downloads_but_cannot_upload(
    staff_a: Any, meeting: Any, client_for: Any
) -> None:
    created = _post(
        client_for(staff_a), f"/api/v1/meetings/{meeting.pk}/attachments/", "a.pdf", pdf_bytes()
    ).json()
    _token, key = api_token_create(actor=staff_a, name="داشبورد", read_only=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(created["download_url"]).status_code == 200
    response = _post(client, f"/api/v1/meetings/{meeting.pk}/attachments/", "b.pdf", pdf_bytes())
    assert response.status_code == 403


def test_unknown_object_is_404(client_for: Any, staff_a: Any) -> None:
    assert client_for(staff_a).get("/api/v1/meetings/999999/attachments/").status_code == 404


# The scope (memberships, the organisation tree: 2), the meeting through its scoped selector,
# the count and the page with the uploader joined (the content type is cached): 5, whatever
# the number of rows.
def test_list_query_count_does_not_grow_with_rows(
    client_for: Any, staff_a: Any, meeting: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(staff_a)
    for rows in (2, 12):
        while Attachment.objects.count() < rows:
            _post(client, f"/api/v1/meetings/{meeting.pk}/attachments/", "a.pdf", pdf_bytes())
        forget_scope(staff_a)
        with django_assert_num_queries(5):
            body = client.get(f"/api/v1/meetings/{meeting.pk}/attachments/").json()
        assert body["count"] == rows
