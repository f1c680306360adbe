"""«Done» with evidence files, through the API (multipart ``note`` + ``files``) and the page:
every file checked before any is stored, one transaction, a Persian 400 / 413 naming files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attachments.models import Attachment
from commitments.choices import OccurrenceStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _stored(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def _pdf(name: str = "تحویل.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_complete_with_a_note_and_two_files_through_the_api(
    make_commitment: Any, client_for: Any, staff_b: Any, media_root: Path
) -> None:
    commitment = make_commitment()
    png = SimpleUploadedFile("عکس.png", PNG, content_type="image/png")
    response = client_for(staff_b).post(
        f"/api/v1/commitments/{commitment.pk}/complete/",
        {"note": "صورت‌جلسه تحویل و عکس محل", "files": [_pdf(), png]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    occ = commitment.occurrences.get()
    assert occ.status == OccurrenceStatus.DONE
    assert occ.evidence_note == "صورت‌جلسه تحویل و عکس محل"
    rows = Attachment.objects.filter(object_id=commitment.pk).order_by("id")
    assert [a.mime_type for a in rows] == ["application/pdf", "image/png"]
    assert len(_stored(media_root)) == 2


def test_complete_on_the_occurrence_endpoint_takes_files_too(
    make_commitment: Any, client_for: Any, staff_b: Any, media_root: Path
) -> None:
    occ = make_commitment().occurrences.get()
    response = client_for(staff_b).post(
        f"/api/v1/commitment-occurrences/{occ.pk}/complete/",
        {"evidence_note": "تحویل شد", "files": [_pdf()]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == OccurrenceStatus.DONE
    assert Attachment.objects.count() == 1


def test_json_without_files_still_works(
    make_commitment: Any, client_for: Any, staff_b: Any
) -> None:
    commitment = make_commitment()
    response = client_for(staff_b).post(
        f"/api/v1/commitments/{commitment.pk}/complete/", {"note": "انجام شد"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert not Attachment.objects.exists()


def test_a_bad_second_file_is_a_persian_400_and_nothing_is_stored(
    make_commitment: Any, client_for: Any, staff_b: Any, media_root: Path
) -> None:
    commitment = make_commitment()
    fake = SimpleUploadedFile("scan.pdf", HTML, content_type="application/pdf")
    response = client_for(staff_b).post(
        f"/api/v1/commitments/{commitment.pk}/complete/",
        {"note": "پیوست", "files": [_pdf(), fake]},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "نوع این فایل پذیرفته نیست" in response.json()["files"][0]
    assert commitment.occurrences.get().status == OccurrenceStatus.OPEN
    assert not Attachment.objects.exists()
    assert _stored(media_root) == []


def test_an_oversize_file_is_413_and_nothing_is_stored(
    make_commitment: Any, client_for: Any, staff_b: Any, media_root: Path, settings: Any
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    commitment = make_commitment()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = client_for(staff_b).post(
        f"/api/v1/commitments/{commitment.pk}/complete/",
        {"note": "پیوست", "files": [_pdf(), big]},
        format="multipart",
    )
    assert response.status_code == 413, response.content
    assert "مگابایت" in str(response.json())
    assert commitment.occurrences.get().status == OccurrenceStatus.OPEN
    assert _stored(media_root) == []


def test_no_note_is_a_persian_400(make_commitment: Any, client_for: Any, staff_b: Any) -> None:
    commitment = make_commitment()
    response = client_for(staff_b).post(
        f"/api/v1/commitments/{commitment.pk}/complete/", {"files": [_pdf()]}, format="multipart"
    )
    assert response.status_code == 400
    assert "evidence_note" in response.json()


def test_the_page_form_has_a_multiple_file_input_and_stores_the_files(
    make_commitment: Any, client: Any, staff_b: Any, media_root: Path
) -> None:
    commitment = make_commitment()
    occ = commitment.occurrences.get()
    client.force_login(staff_b)
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="files" multiple' in page
    response = client.post(
        f"/commitments/occurrences/{occ.pk}/move/",
        {"to": "done", "note": "تحویل شد", "files": [_pdf("a.pdf"), _pdf("b.pdf")]},
    )
    assert response.status_code == 302
    occ.refresh_from_db()
    assert occ.status == OccurrenceStatus.DONE
    assert Attachment.objects.filter(object_id=commitment.pk).count() == 2


def test_a_bad_file_on_the_page_keeps_the_occurrence_open_with_a_message(
    make_commitment: Any, client: Any, staff_b: Any, media_root: Path
) -> None:
    commitment = make_commitment()
    occ = commitment.occurrences.get()
    client.force_login(staff_b)
    fake = SimpleUploadedFile("x.pdf", HTML, content_type="application/pdf")
    response = client.post(
        f"/commitments/occurrences/{occ.pk}/move/",
        {"to": "done", "note": "تحویل شد", "files": [fake]},
        follow=True,
    )
    assert "نوع این فایل پذیرفته نیست" in response.content.decode()
    occ.refresh_from_db()
    assert occ.status == OccurrenceStatus.OPEN
    assert not Attachment.objects.exists()
