"""The demo MoU: created once, two versions with a real diff (the meetings demo links the
seed meeting to it: tests/meetings/test_demo.py)."""

from __future__ import annotations

from typing import Any

import pytest

from agreements import demo, selectors
from agreements.models import Agreement, AgreementStatusChange, AgreementVersion
from organizations import demo as organizations_demo
from organizations.choices import Role
from tests.factories import member


@pytest.fixture
def loaded(db: Any) -> Agreement:
    organizations_demo.load()
    return demo.load()


def test_demo_is_idempotent_and_has_two_versions_with_a_meaningful_diff(loaded: Agreement):
    counts = (
        Agreement.objects.count(),
        AgreementVersion.objects.count(),
        AgreementStatusChange.objects.count(),
        loaded.history.count(),
    )
    again = demo.load()
    assert again.pk == loaded.pk
    assert counts == (
        Agreement.objects.count(),
        AgreementVersion.objects.count(),
        AgreementStatusChange.objects.count(),
        loaded.history.count(),
    )
    assert counts[:2] == (1, 2)
    assert loaded.status == "draft"
    assert {p.organization.name for p in loaded.parties.all()} == {
        "شهرداری قدس",
        "شرکت شهرک‌های صنعتی استان تهران",
        "شهرک‌های صنعتی شهرستان قدس",
    }
    owner_member = member(loaded.owning_organization, Role.VIEWER)
    diff = selectors.agreement_diff(user=owner_member, agreement=loaded, from_number=1, to_number=2)
    inserted = "".join(s["text"] for s in diff["segments"] if s["op"] == "insert")
    assert "گردشگر" in inserted
    assert "کارگروه" in inserted
    assert diff["deleted_words"] > 0
