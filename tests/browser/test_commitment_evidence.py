"""«ثبت انجام» on a commitment's page with two evidence files chosen in the file input
(multiple), under the CSP: the occurrence is done and both files are its attachments."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from agreements import services as agreement_services
from agreements.choices import AgreementStatus, PartyRole
from agreements.models import Agreement
from agreements.selectors import tehran_today
from attachments.models import Attachment
from commitments import services
from commitments.choices import OccurrenceStatus
from organizations.choices import Role
from tests.browser.conftest import login
from tests.factories import OrganizationFactory, member

PASSWORD = "pass-1234"  # UserFactory's password
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.mark.django_db(transaction=True)
def test_done_with_two_files_from_the_page(
    live_server: Any, page: Any, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    city: Any = OrganizationFactory(name="شهرداری قدس")
    estate: Any = OrganizationFactory(name="شهرک صنعتی")
    staff = member(city, Role.STAFF, username="karshenas_c")
    agreement = agreement_services.agreement_create(
        actor=staff,
        owning_organization=city,
        reference_number="ت/۱۴۰۳/۰۴۰",
        title="تفاهم‌نامه پسماند",
        parties=[(city, PartyRole.FIRST_PARTY), (estate, PartyRole.SECOND_PARTY)],
        text="ماده ۱ – جمع‌آوری پسماند.",
    )
    Agreement.objects.filter(pk=agreement.pk).update(
        status=AgreementStatus.IN_FORCE, expiry_date=tehran_today() + timedelta(days=300)
    )
    commitment = services.commitment_create(
        actor=staff,
        agreement=agreement,
        party=agreement.parties.get(organization=city),
        title="تحویل زمین",
        due_date=tehran_today() + timedelta(days=10),
        clause="ماده ۳",
    )
    (tmp_path / "تحویل.pdf").write_bytes(PDF)
    (tmp_path / "عکس.png").write_bytes(PNG)

    login(page, live_server, "karshenas_c", PASSWORD)
    page.goto(f"{live_server.url}/commitments/{commitment.pk}/")
    assert "ماده ۳" in page.inner_text("main")
    form = page.locator("form:has(input[type=file][name=files][multiple])")
    form.locator("textarea[name=note]").fill("صورت‌جلسه تحویل و عکس محل")
    form.locator("input[type=file]").set_input_files(
        [str(tmp_path / "تحویل.pdf"), str(tmp_path / "عکس.png")]
    )
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "انجام تعهد ثبت شد" in page.content()
    assert commitment.occurrences.get().status == OccurrenceStatus.DONE
    names = sorted(Attachment.objects.values_list("original_name", flat=True))
    assert names == ["تحویل.pdf", "عکس.png"]
