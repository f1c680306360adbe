"""Pages of agreements and the PDF/DOCX exports."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client
from docx import Document

from agreements import services
from agreements.choices import AgreementStatus, PartyRole
from agreements.models import Agreement, AgreementApproval, AgreementStatusChange, AgreementVersion

from .conftest import TEXT_V1, TEXT_V2, force_status


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_of_another_organisation_are_404(draft: Agreement, staff_b: Any):
    client = web(staff_b)
    for path in ("", "edit/", "versions/new/", "compare/", "export/pdf/", "export/docx/"):
        assert client.get(f"/agreements/{draft.pk}/{path}").status_code == 404, path
    assert (
        client.post(f"/agreements/{draft.pk}/transition/", {"to": "internal_review"}).status_code
        == 404
    )
    assert Agreement.objects.get(pk=draft.pk).status == "draft"


def test_list_page_shows_visible_agreements_with_jalali_dates(draft: Agreement, staff_a: Any):
    response = web(staff_a).get("/agreements/?q=خدمات")
    assert response.status_code == 200
    html = response.content.decode()
    assert draft.title in html
    assert 'dir="rtl"' in html


def test_list_page_rejects_impossible_date_with_a_form_error(staff_a: Any):
    response = web(staff_a).get("/agreements/?expiry_date_from=1404/12/30")
    assert response.status_code == 200
    assert "field-error" in response.content.decode()


def test_list_page_queries_do_not_grow(org_a: Any, org_b: Any, staff_a: Any):
    """5 rows and 50 rows cost the same: session, user, scope (2), count, the page of
    agreements with owners, their parties, their current versions, plus whatever the base
    template's context processors of other apps add (the same for both)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web(staff_a)
    counts = []
    for batch in (5, 45):
        for i in range(batch):
            services.agreement_create(
                actor=staff_a,
                owning_organization=org_a,
                reference_number=f"G{batch}-{i}",
                title="ت",
                parties=[(org_b, PartyRole.SECOND_PARTY)],
                text="متن",
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/agreements/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_detail_shows_only_buttons_the_user_may_use(draft: Agreement, staff_a: Any, viewer_a: Any):
    html = web(staff_a).get(f"/agreements/{draft.pk}/").content.decode()
    assert 'data-to="internal_review"' in html
    assert 'data-to="withdrawn"' not in html  # a manager's move
    viewer_html = web(viewer_a).get(f"/agreements/{draft.pk}/").content.decode()
    assert "data-to=" not in viewer_html


def test_transition_post_moves_and_refusal_shows_the_guard(
    org_a: Any, staff_a: Any, manager_a: Any
):
    bare = services.agreement_create(
        actor=staff_a, owning_organization=org_a, reference_number="B", title="بی‌متن"
    )
    client = web(staff_a)
    response = client.post(
        f"/agreements/{bare.pk}/transition/", {"to": "internal_review"}, follow=True
    )
    assert "نسخه" in response.content.decode()
    assert Agreement.objects.get(pk=bare.pk).status == "draft"
    services.agreement_version_create(actor=staff_a, agreement=bare, text="متن")
    client.post(f"/agreements/{bare.pk}/transition/", {"to": "internal_review"})
    assert Agreement.objects.get(pk=bare.pk).status == "internal_review"


def test_stale_page_edit_is_refused_and_keeps_what_was_typed(draft: Agreement, staff_a: Any):
    client = web(staff_a)
    form = {"reference_number": draft.reference_number, "title": "نخستین", "lock_version": 1}
    assert client.post(f"/agreements/{draft.pk}/edit/", form).status_code == 302
    form["title"] = "دومین از نسخه کهنه"
    response = client.post(f"/agreements/{draft.pk}/edit/", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "تغییر کرده است" in html
    assert "دومین از نسخه کهنه" in html
    assert Agreement.objects.get(pk=draft.pk).title == "نخستین"


def test_edit_with_expiry_before_effective_shows_field_error(draft: Agreement, staff_a: Any):
    response = web(staff_a).post(
        f"/agreements/{draft.pk}/edit/",
        {
            "reference_number": draft.reference_number,
            "title": draft.title,
            "effective_date": "1403/05/01",
            "expiry_date": "1403/04/01",
            "lock_version": 1,
        },
    )
    assert "تاریخ انقضا باید پس از تاریخ اجرا باشد" in response.content.decode()
    assert Agreement.objects.get(pk=draft.pk).lock_version == 1


def test_add_version_and_compare_redline(draft: Agreement, staff_a: Any):
    client = web(staff_a)
    response = client.post(
        f"/agreements/{draft.pk}/versions/new/", {"text": TEXT_V2, "change_note": "خدمات فنی"}
    )
    assert response.status_code == 302
    assert AgreementVersion.objects.filter(agreement=draft).count() == 2
    html = client.get(f"/agreements/{draft.pk}/compare/?from=1&to=2").content.decode()
    assert "<ins>" in html
    assert "<del>" in html
    assert 'class="redline" dir="rtl"' in html
    assert (
        "نسخه شماره ۷ ندارد"
        in client.get(f"/agreements/{draft.pk}/compare/?from=1&to=7").content.decode()
    )


def test_party_manager_approves_from_the_page(draft: Agreement, manager_b: Any, org_b: Any):
    force_status(draft, AgreementStatus.NEGOTIATION, guards_met=False)
    client = web(manager_b)
    changes = AgreementStatusChange.objects.filter(agreement=draft).count()
    assert f'data-approve="{org_b.pk}"' in client.get(f"/agreements/{draft.pk}/").content.decode()
    client.post(f"/agreements/{draft.pk}/approve/", {"organization": org_b.pk})
    assert AgreementApproval.objects.filter(party__organization=org_b).count() == 1
    # An approval writes no status change.
    assert AgreementStatusChange.objects.filter(agreement=draft).count() == changes


def test_create_page_creates_draft_with_parties(org_a: Any, org_b: Any, staff_a: Any):
    response = web(staff_a).post(
        "/agreements/new/",
        {
            "owning_organization": org_a.pk,
            "reference_number": "ت/۱۴۰۳/۰۳۰",
            "title": "گردشگری صنعتی",
            "first_party": org_a.pk,
            "second_party": org_b.pk,
            "text": TEXT_V1,
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(reference_number="ت/۱۴۰۳/۰۳۰")
    assert agreement.parties.count() == 2
    assert agreement.versions.count() == 1


# --- exports --------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_export_has_title_parties_jalali_dates_and_text(
    draft: Agreement, staff_a: Any, tmp_path: Any
):
    services.agreement_update(
        actor=staff_a,
        agreement=draft,
        expected_lock_version=1,
        effective_date=__import__("datetime").date(2024, 4, 20),
    )
    response = web(staff_a).get(f"/agreements/{draft.pk}/export/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(response.content)
    pdftotext = shutil.which("pdftotext") or "pdftotext"
    text = subprocess.run(  # noqa: S603 - a fixed tool on a file this test wrote
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "تفاهم" in text
    assert draft.owning_organization.name.split()[0] in text
    assert "اردیبهشت" in text  # 1403/02/01 in words
    assert "شهرداری" in text
    # pdftotext wraps right-to-left runs in bidi embedding marks: drop them to read words.
    plain = " ".join(re.sub("[\u202a-\u202e]", "", text).split())
    assert re.search("صفحه ?۱ ?از ?۱", plain)  # the @page footer, in Persian digits


def test_docx_export_is_right_to_left_with_parties_and_text(draft: Agreement, staff_a: Any):
    response = web(staff_a).get(f"/agreements/{draft.pk}/export/docx/")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert draft.title in paragraphs
    assert any(draft.owning_organization.name in p for p in paragraphs)
    assert TEXT_V1 in paragraphs
    bidi = document.paragraphs[0]._p.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi"
    )
    assert bidi is not None


def test_admin_shows_agreement_and_its_field_history_read_only(draft: Agreement, staff_a: Any):
    from tests.factories import UserFactory

    services.agreement_update(actor=staff_a, agreement=draft, expected_lock_version=1, title="نو")
    admin_user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = web(admin_user)
    page = client.get(f"/admin/agreements/agreement/{draft.pk}/change/")
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    history = client.get(f"/admin/agreements/agreement/{draft.pk}/history/")
    assert history.status_code == 200
    assert str(staff_a) in history.content.decode()
    assert client.get("/admin/agreements/agreement/add/").status_code == 403
