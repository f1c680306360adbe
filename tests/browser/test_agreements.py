"""An agreement taken from draft through both reviews and negotiation to approved by
clicking the buttons of its page, as a manager of the owning municipality."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agreements import services
from agreements.choices import PartyRole
from agreements.models import Agreement, AgreementApproval, AgreementStatusChange
from organizations.choices import Role
from tests.browser.conftest import login
from tests.factories import OrganizationFactory, member

PASSWORD = "pass-1234"  # UserFactory's password


def _click_transition(page: Any, target: str, expected_label: str) -> None:
    with page.expect_navigation():
        page.click(f"#workflow button[data-to={target}]:not([disabled])")
    assert page.inner_text("#agreement-status") == expected_label


@pytest.mark.django_db(transaction=True)
def test_manager_takes_a_draft_to_approved_by_clicking(
    live_server: Any, page: Any, artifacts_dir: Path
) -> None:
    municipality: Any = OrganizationFactory(name="شهرداری قدس")
    estates: Any = OrganizationFactory(name="شرکت شهرک‌های صنعتی استان تهران")
    staff = member(municipality, Role.STAFF, username="karshenas_b")
    member(municipality, Role.MANAGER, username="modir_b")
    agreement = services.agreement_create(
        actor=staff,
        owning_organization=municipality,
        reference_number="ت/۱۳۹۹/۰۰۱",
        title="تفاهم‌نامه همکاری شهرداری و شهرک‌ها",
        parties=[(municipality, PartyRole.FIRST_PARTY), (estates, PartyRole.SECOND_PARTY)],
        text="ماده ۱ – شهرداری خدمات شهری را به شهرک‌های صنعتی ارائه می‌دهد.",
    )

    login(page, live_server, "modir_b", PASSWORD)
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    assert page.inner_text("#agreement-status") == "پیش‌نویس"
    # Only moves out of the current state are offered: no "approve" button on a draft.
    assert page.locator("#workflow button[data-to=approved]").count() == 0

    _click_transition(page, "internal_review", "بررسی داخلی")
    _click_transition(page, "legal_review", "بررسی حقوقی")
    _click_transition(page, "negotiation", "مذاکره با طرفین")

    # Approving is blocked, and says why, until both parties approve the current text.
    assert page.locator("#workflow button[data-to=approved][disabled]").count() == 1
    assert estates.name in page.inner_text("#workflow")
    for organization in (municipality, estates):
        with page.expect_navigation():
            page.click(f"#parties button[data-approve='{organization.pk}']")
    assert AgreementApproval.objects.filter(party__agreement=agreement).count() == 2

    _click_transition(page, "approved", "تأییدشده")
    page.screenshot(path=str(artifacts_dir / "agreement-approved.png"), full_page=True)

    agreement.refresh_from_db()
    assert agreement.status == "approved"
    moves = list(
        AgreementStatusChange.objects.filter(agreement=agreement)
        .order_by("id")
        .values_list("to_status", flat=True)
    )
    assert moves == ["draft", "internal_review", "legal_review", "negotiation", "approved"]
    assert Agreement.objects.get(pk=agreement.pk).status_changes.last().actor.username == "modir_b"
