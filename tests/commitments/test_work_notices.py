"""«Work that lands on someone is announced at once»: an agreement move that puts the next
step on people notifies them in-app and by e-mail at once, exactly once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest

from agreements import services
from agreements.choices import AgreementStatus as S
from agreements.choices import PartyRole
from agreements.models import Agreement
from notifications import services as notification_services
from notifications.choices import Channel, ReminderState, RuleCode
from notifications.models import Delivery, Reminder
from notifications.tasks import send_delivery_chunk
from organizations.choices import Role
from tests.factories import member

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(org_a: Any, org_b: Any, staff_a: Any) -> Agreement:
    return services.agreement_create(
        actor=staff_a,
        owning_organization=org_a,
        reference_number="ت/۱۴۰۳/۰۲۰",
        title="تفاهم‌نامه گردشگری صنعتی",
        parties=[(org_a, PartyRole.FIRST_PARTY), (org_b, PartyRole.SECOND_PARTY)],
        text="ماده ۱ – همکاری در گردشگری صنعتی.",
        now=NOW,
    )


def notified(agreement: Agreement, kind_prefix: str = "") -> dict[int, set[str]]:
    """Recipient → channels of the work notices delivered for the agreement."""
    rows = Delivery.objects.filter(
        reminder__rule=RuleCode.WORK_ASSIGNED,
        reminder__object_id=agreement.pk,
        reminder__kind__startswith=kind_prefix,
    ).values_list("recipient_id", "channel")
    result: dict[int, set[str]] = {}
    for user_id, channel in rows:
        result.setdefault(user_id, set()).add(channel)
    return result


def test_internal_review_lands_on_the_owners_other_staff_and_managers_at_once(
    draft: Agreement, staff_a: Any, manager_a: Any, org_a: Any
) -> None:
    colleague = member(org_a, Role.STAFF, username="colleague")
    services.agreement_transition(actor=staff_a, agreement=draft, to=S.INTERNAL_REVIEW, now=NOW)
    both = {Channel.IN_APP, Channel.EMAIL}
    # The mover is not told of their own move.
    assert notified(draft) == {colleague.pk: both, manager_a.pk: both}


def test_each_notice_is_sent_exactly_once(draft: Agreement, staff_a: Any, manager_a: Any) -> None:
    services.agreement_transition(actor=staff_a, agreement=draft, to=S.INTERNAL_REVIEW, now=NOW)
    before = Delivery.objects.count()
    with mock.patch.object(send_delivery_chunk, "apply_async"):
        notification_services.reminders_sweep(now=NOW + timedelta(minutes=1))
    notification_services.reminders_refresh(target=draft, now=NOW + timedelta(minutes=2))
    assert Delivery.objects.count() == before


def test_legal_review_lands_on_the_managers_and_negotiation_on_each_partys_managers(
    draft: Agreement, staff_a: Any, manager_a: Any, manager_b: Any
) -> None:
    services.agreement_transition(actor=staff_a, agreement=draft, to=S.INTERNAL_REVIEW, now=NOW)
    later = NOW + timedelta(hours=1)
    services.agreement_transition(actor=staff_a, agreement=draft, to=S.LEGAL_REVIEW, now=later)
    assert set(notified(draft, "next:legal_review")) == {manager_a.pk}
    services.agreement_transition(
        actor=manager_a, agreement=draft, to=S.NEGOTIATION, now=later + timedelta(hours=1)
    )
    # Approvals to give: org_b's manager for org_b; org_a's own approval (manager_a) is not
    # announced to manager_a, who made the move.
    assert set(notified(draft, "approve:")) == {manager_b.pk}


def test_all_approvals_in_put_the_final_approval_on_the_owners_managers(
    draft: Agreement, staff_a: Any, manager_a: Any, manager_b: Any, org_a: Any, org_b: Any
) -> None:
    for step, to in enumerate((S.INTERNAL_REVIEW, S.LEGAL_REVIEW, S.NEGOTIATION)):
        actor = manager_a if to == S.NEGOTIATION else staff_a
        services.agreement_transition(
            actor=actor, agreement=draft, to=to, now=NOW + timedelta(hours=step)
        )
    at = NOW + timedelta(hours=5)
    services.agreement_approve(actor=manager_a, agreement=draft, organization=org_a, now=at)
    assert notified(draft, "final:") == {}
    services.agreement_approve(
        actor=manager_b, agreement=draft, organization=org_b, now=at + timedelta(minutes=1)
    )
    assert set(notified(draft, "final:")) == {manager_a.pk}


def test_a_move_on_cancels_a_notice_not_yet_sent(
    draft: Agreement, staff_a: Any, manager_a: Any, org_a: Any
) -> None:
    """A notice held back (quiet hours) is not sent once the step was taken."""
    from tests.factories import NotificationPreferenceFactory

    NotificationPreferenceFactory(
        user=manager_a,
        quiet_start=(NOW - timedelta(hours=1)).timetz().replace(tzinfo=None),
        quiet_end=(NOW + timedelta(hours=2)).timetz().replace(tzinfo=None),
    )
    services.agreement_transition(actor=staff_a, agreement=draft, to=S.INTERNAL_REVIEW, now=NOW)
    held = Reminder.objects.get(rule=RuleCode.WORK_ASSIGNED, recipient=manager_a)
    assert held.state == ReminderState.PENDING
    services.agreement_transition(
        actor=staff_a, agreement=draft, to=S.LEGAL_REVIEW, now=NOW + timedelta(minutes=30)
    )
    held.refresh_from_db()
    assert held.state == ReminderState.CANCELLED


def test_the_home_page_lists_the_steps_waiting_for_the_user(
    draft: Agreement, staff_a: Any, manager_a: Any, manager_b: Any, org_a: Any, client: Any
) -> None:
    from dashboard.awaiting import awaiting_action_for_user

    def labels(user: Any) -> list[str]:
        return [i["label"] for i in awaiting_action_for_user(user=user)["items"]]

    services.agreement_transition(actor=staff_a, agreement=draft, to=S.INTERNAL_REVIEW, now=NOW)
    assert labels(staff_a) == [f"بررسی داخلی: {draft.reference_number} – {draft.title}"]
    assert labels(manager_b) == []  # internal: the party does not even see it
    services.agreement_transition(actor=staff_a, agreement=draft, to=S.LEGAL_REVIEW, now=NOW)
    services.agreement_transition(actor=manager_a, agreement=draft, to=S.NEGOTIATION, now=NOW)
    assert labels(staff_a) == []
    assert [x.split(":")[0] for x in labels(manager_b)] == ["تأیید متن"]
    services.agreement_approve(
        actor=manager_b,
        agreement=draft,
        organization=draft.parties.get(role=PartyRole.SECOND_PARTY).organization,
        now=NOW,
    )
    assert labels(manager_b) == []
    # org_a's own approval is still missing: manager_a approves for org_a first.
    assert [x.split(":")[0] for x in labels(manager_a)] == ["تأیید متن"]
    services.agreement_approve(actor=manager_a, agreement=draft, organization=org_a, now=NOW)
    assert [x.split(":")[0] for x in labels(manager_a)] == ["تأیید نهایی متن"]
    client.force_login(manager_a)
    assert "تأیید نهایی متن" in client.get("/").content.decode()
