"""Drafts and internal reviews stay inside the owner: a member of a party sees an agreement's
past from its first entry into negotiation on (status history, field history, versions,
diff, timeline), on the page and in the API alike; the owner and superusers see it all."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from agreements import selectors, services
from agreements.choices import AgreementStatus
from agreements.models import Agreement
from tests.factories import UserFactory

from .conftest import NOW, TEXT_V2

pytestmark = pytest.mark.django_db

INTERNAL_REASON = "ایراد حقوقی محرمانه بند ۳"
DRAFT_TITLE = "عنوان پیش‌نویس داخلی"
TEXT_V3 = "ماده ۱ – متن پیشنهادی طرف دوم در مذاکره."


def _at(days: int) -> Any:
    return NOW + timedelta(days=days)


@pytest.fixture
def negotiated(draft: Agreement, staff_a: Any, manager_a: Any) -> Agreement:
    """v1 and an internal round trip (with a reason) before negotiation, v2 current when
    negotiation began, v3 written during negotiation."""
    services.agreement_update(
        actor=staff_a, agreement=draft, expected_lock_version=1, title=DRAFT_TITLE
    )
    move = services.agreement_transition
    move(actor=staff_a, agreement=draft, to=AgreementStatus.INTERNAL_REVIEW, now=_at(1))
    move(
        actor=staff_a,
        agreement=draft,
        to=AgreementStatus.DRAFT,
        reason=INTERNAL_REASON,
        now=_at(2),
    )
    services.agreement_version_create(actor=staff_a, agreement=draft, text=TEXT_V2, now=_at(3))
    move(actor=staff_a, agreement=draft, to=AgreementStatus.INTERNAL_REVIEW, now=_at(4))
    move(actor=staff_a, agreement=draft, to=AgreementStatus.LEGAL_REVIEW, now=_at(5))
    move(actor=manager_a, agreement=draft, to=AgreementStatus.NEGOTIATION, now=_at(6))
    draft.refresh_from_db()
    services.agreement_update(
        actor=staff_a,
        agreement=draft,
        expected_lock_version=draft.lock_version,
        title="عنوان مذاکره",
    )
    services.agreement_version_create(actor=staff_a, agreement=draft, text=TEXT_V3, now=_at(7))
    draft.refresh_from_db()
    return draft


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_party_sees_status_history_from_the_entry_into_negotiation(
    negotiated: Agreement, viewer_b: Any, staff_a: Any, client_for: Any
) -> None:
    url = f"/api/v1/agreements/{negotiated.pk}/history/"
    theirs = client_for(viewer_b).get(url).json()
    assert [(c["from_status"], c["to_status"]) for c in theirs["status_changes"]] == [
        ("legal_review", "negotiation")
    ]
    assert INTERNAL_REASON not in _text(theirs)
    mine = client_for(staff_a).get(url).json()
    assert len(mine["status_changes"]) == 6  # created, review, back (with reason), …
    assert INTERNAL_REASON in _text(mine)


def test_party_sees_field_history_from_negotiation_without_internal_values(
    negotiated: Agreement, viewer_b: Any, staff_a: Any, client_for: Any
) -> None:
    first_title = "تفاهم‌نامه همکاری خدمات شهری"  # the draft fixture's, renamed in draft
    url = f"/api/v1/agreements/{negotiated.pk}/history/"
    theirs = client_for(viewer_b).get(url).json()["field_changes"]
    assert first_title not in _text(theirs)
    # Only the edit made in negotiation; its old value is what the parties were handed.
    assert [h["type"] for h in theirs] == ["changed"]
    assert theirs[0]["fields"] == [
        {"field": "title", "label": "عنوان", "old": DRAFT_TITLE, "new": "عنوان مذاکره"}
    ]
    mine = client_for(staff_a).get(url).json()["field_changes"]
    assert first_title in _text(mine)
    assert mine[0]["type"] == "created"


def test_party_sees_versions_from_the_one_current_when_negotiation_began(
    negotiated: Agreement, viewer_b: Any, staff_a: Any, client_for: Any
) -> None:
    base = f"/api/v1/agreements/{negotiated.pk}"
    theirs = client_for(viewer_b).get(f"{base}/versions/").json()["results"]
    assert [v["number"] for v in theirs] == [3, 2]
    mine = client_for(staff_a).get(f"{base}/versions/").json()["results"]
    assert [v["number"] for v in mine] == [3, 2, 1]
    assert client_for(viewer_b).get(f"{base}/versions/1/").status_code == 404
    assert client_for(viewer_b).get(f"{base}/versions/2/").status_code == 200
    assert client_for(staff_a).get(f"{base}/versions/1/").status_code == 200


def test_diff_with_an_internal_version_is_a_404_naming_nothing(
    negotiated: Agreement, viewer_b: Any, staff_a: Any, client_for: Any
) -> None:
    base = f"/api/v1/agreements/{negotiated.pk}/diff/"
    for query in ("?from=1&to=3", "?from=3&to=1"):
        refused = client_for(viewer_b).get(base + query)
        assert refused.status_code == 404
        assert "1" not in _text(refused.json())
    assert client_for(viewer_b).get(base + "?from=2&to=3").status_code == 200
    assert client_for(staff_a).get(base + "?from=1&to=3").status_code == 200
    page = f"/agreements/{negotiated.pk}/compare/"
    assert _web(viewer_b).get(page + "?from=1&to=3").status_code == 404
    assert _web(viewer_b).get(page + "?from=2&to=3").status_code == 200


def test_detail_page_and_timeline_keep_the_internal_phase_inside(
    negotiated: Agreement, viewer_b: Any, staff_a: Any
) -> None:
    body = _web(viewer_b).get(f"/agreements/{negotiated.pk}/").content.decode()
    assert INTERNAL_REASON not in body
    events = selectors.agreement_timeline(user=viewer_b, agreement=negotiated)
    assert [e["title"] for e in events if e["kind"] == "version"] == ["نسخه ۳ متن", "نسخه ۲ متن"]
    statuses = [e for e in events if e["kind"] == "status"]
    assert len(statuses) == 1
    assert statuses[0]["at"] == _at(6)
    assert INTERNAL_REASON in _web(staff_a).get(f"/agreements/{negotiated.pk}/").content.decode()
    mine = selectors.agreement_timeline(user=staff_a, agreement=negotiated)
    assert len([e for e in mine if e["kind"] == "version"]) == 3


def test_superuser_sees_the_whole_past(negotiated: Agreement) -> None:
    root = UserFactory(is_superuser=True, is_staff=True)
    assert selectors.agreement_party_window(user=root, agreement=negotiated) is None
    assert [v.number for v in selectors.agreement_versions(user=root, agreement=negotiated)] == [
        3,
        2,
        1,
    ]
    assert selectors.agreement_status_changes(user=root, agreement=negotiated).count() == 6


def test_a_draft_withdrawn_before_negotiation_never_reaches_the_parties(
    draft: Agreement, staff_a: Any, manager_a: Any, staff_b: Any
) -> None:
    services.agreement_transition(
        actor=manager_a, agreement=draft, to=AgreementStatus.WITHDRAWN, reason="منتفی شد"
    )
    assert not selectors.agreement_list_for_user(user=staff_b).filter(pk=draft.pk).exists()
    assert selectors.agreement_list_for_user(user=staff_a).filter(pk=draft.pk).exists()


def test_an_agreement_withdrawn_during_negotiation_stays_visible_to_the_parties(
    negotiated: Agreement, manager_a: Any, staff_b: Any
) -> None:
    services.agreement_transition(
        actor=manager_a, agreement=negotiated, to=AgreementStatus.WITHDRAWN, reason="منتفی شد"
    )
    assert selectors.agreement_list_for_user(user=staff_b).filter(pk=negotiated.pk).exists()
