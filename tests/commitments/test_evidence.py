"""Evidence files of a commitment: stored as its attachments with «انجام شد», all or nothing;
the commitment's attachments through the API, scoped like the commitment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.choices import AgreementStatus
from agreements.models import Agreement
from attachments.models import Attachment
from commitments import services
from commitments.choices import OccurrenceStatus
from organizations.choices import Role
from tests.factories import OrganizationFactory, member

from .conftest import NOW

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def test_done_with_a_file_stores_it_as_the_commitments_attachment(
    make_commitment: Any, staff_b: Any, media_root: Path, client_for: Any, staff_a: Any
) -> None:
    commitment = make_commitment()
    occ = commitment.occurrences.get()
    services.occurrence_complete(
        actor=staff_b,
        occurrence=occ,
        evidence_note="صورت‌جلسه تحویل زمین",
        files=[SimpleUploadedFile("تحویل.pdf", PDF, content_type="application/pdf")],
        now=NOW,
    )
    occ.refresh_from_db()
    assert occ.status == OccurrenceStatus.DONE
    stored = Attachment.objects.get()
    assert stored.object_id == commitment.pk
    assert stored.uploaded_by == staff_b
    assert stored.title.startswith("مستند انجام")
    assert (media_root / stored.file.name).read_bytes() == PDF
    # The owner's staff see it under the commitment.
    body = client_for(staff_a).get(f"/api/v1/commitments/{commitment.pk}/attachments/").json()
    assert [row["id"] for row in body["results"]] == [stored.pk]


def test_a_refused_file_leaves_the_occurrence_open_and_nothing_stored(
    make_commitment: Any, staff_b: Any, media_root: Path
) -> None:
    occ = make_commitment().occurrences.get()
    with pytest.raises(ValidationError) as exc:
        services.occurrence_complete(
            actor=staff_b,
            occurrence=occ,
            evidence_note="پیوست",
            files=[
                SimpleUploadedFile("good.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("scan.pdf", HTML, content_type="application/pdf"),
            ],
            now=NOW,
        )
    assert "files" in exc.value.message_dict
    occ.refresh_from_db()
    assert occ.status == OccurrenceStatus.OPEN
    assert not Attachment.objects.exists()
    # The good first file was not written to storage either (checked before any is stored).
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_a_failure_after_the_files_are_stored_deletes_them(
    make_commitment: Any, staff_b: Any, media_root: Path, monkeypatch: Any
) -> None:
    """The move rolls back when anything after the store fails: the stored files go too
    (the rows that named them are gone)."""
    occ = make_commitment().occurrences.get()

    def failing_refresh(**kwargs: Any) -> None:
        raise RuntimeError("the reminders failed")

    monkeypatch.setattr(services, "reminders_refresh", failing_refresh)
    with pytest.raises(RuntimeError):
        services.occurrence_complete(
            actor=staff_b,
            occurrence=occ,
            evidence_note="پیوست",
            files=[
                SimpleUploadedFile("one.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("two.pdf", PDF, content_type="application/pdf"),
            ],
            now=NOW,
        )
    occ.refresh_from_db()
    assert occ.status == OccurrenceStatus.OPEN
    assert not Attachment.objects.exists()
    assert media_root.exists()  # the files were written, then deleted
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_a_failing_second_store_deletes_the_first_file(
    make_commitment: Any, staff_b: Any, media_root: Path, monkeypatch: Any
) -> None:
    from commitments import evidence

    occ = make_commitment().occurrences.get()
    real = evidence.attachment_upload
    calls: list[int] = []

    def second_fails(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(evidence, "attachment_upload", second_fails)
    with pytest.raises(OSError, match="disk full"):
        services.occurrence_complete(
            actor=staff_b,
            occurrence=occ,
            evidence_note="پیوست",
            files=[
                SimpleUploadedFile("one.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("two.pdf", PDF, content_type="application/pdf"),
            ],
            now=NOW,
        )
    assert not Attachment.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_another_organisation_gets_404_on_a_commitments_attachments(
    make_commitment: Any, client_for: Any, staff_a: Any, media_root: Path
) -> None:
    org_c_staff = member(OrganizationFactory(name="شهرداری ج"), Role.STAFF, username="staff_c")
    commitment = make_commitment()
    url = f"/api/v1/commitments/{commitment.pk}/attachments/"
    assert client_for(staff_a).get(url).status_code == 200
    assert client_for(org_c_staff).get(url).status_code == 404
    upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    response = client_for(org_c_staff).post(url, {"file": upload}, format="multipart")
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_the_commitment_page_links_its_attachments(
    make_commitment: Any, client: Any, staff_a: Any, media_root: Path
) -> None:
    commitment = make_commitment()
    client.force_login(staff_a)
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    link = f"/attachments/commitments/{commitment.pk}/"
    assert link in page
    assert client.get(link).status_code == 200


def test_a_party_with_commitments_cannot_be_removed_409(
    make_commitment: Any, client_for: Any, staff_a: Any, party_b: Any
) -> None:
    commitment = make_commitment()
    # Back to a draft (setup only): parties may change again, but this one has a commitment.
    Agreement.objects.filter(pk=commitment.agreement_id).update(status=AgreementStatus.DRAFT)
    url = f"/api/v1/agreements/{commitment.agreement_id}/parties/{party_b.pk}/"
    response = client_for(staff_a).delete(url)
    assert response.status_code == 409, response.content
    assert "تعهد" in response.json()["detail"]
    party_b.refresh_from_db()  # still there
