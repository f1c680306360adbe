"""The agreement rows built by hand equal what DRF's field machinery would build."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone
from rest_framework import serializers

from agreements.api.serializers import AgreementOutputSerializer
from agreements.selectors import agreement_api_list_for_user
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    AgreementVersionFactory,
    OrganizationFactory,
)
from tracker.jalali import TEHRAN

pytestmark = pytest.mark.django_db


def _drf(instance: Any) -> dict[str, Any]:
    """The row as the declared fields give it (DRF's own ``to_representation``)."""
    serializer = AgreementOutputSerializer(instance)
    return dict(serializers.ModelSerializer.to_representation(serializer, instance))


def test_agreement_rows_equal_drf_field_by_field(org_a: Any, staff_a: Any) -> None:
    partner = OrganizationFactory(name="شهرک صنعتی نمونه")
    full = AgreementFactory(
        owning_organization=org_a,
        status="signed",
        review_deadline=date(2024, 3, 19),
        target_signing_date=date(2024, 3, 20),
        signed_date=date(2024, 4, 1),
        effective_date=date(2024, 4, 2),
        expiry_date=date(2026, 3, 20),
        notice_period_days=30,
        signed_scan="scans/x.pdf",
    )
    AgreementPartyFactory(agreement=full, organization=org_a, role="first_party")
    AgreementPartyFactory(agreement=full, organization=partner, role="second_party")
    AgreementVersionFactory(agreement=full, number=1, is_current=False)
    AgreementVersionFactory(agreement=full, number=2, is_current=True)
    bare = AgreementFactory(owning_organization=org_a)  # no dates, parties, versions, scan
    type(bare).objects.filter(pk=bare.pk).update(
        status_changed_at=datetime(2024, 3, 20, 0, 15, tzinfo=TEHRAN)  # Farvardin 1st, Tehran
    )

    listed = {a.pk: a for a in agreement_api_list_for_user(user=staff_a)}
    assert set(listed) == {full.pk, bare.pk}
    with timezone.override(TEHRAN):
        plain = [type(a).objects.get(pk=a.pk) for a in (full, bare)]
        for agreement in [*listed.values(), *plain]:  # prefetched, and plain instances
            assert AgreementOutputSerializer(agreement).data == _drf(agreement)
    row = AgreementOutputSerializer(listed[full.pk]).data
    assert row["current_version"] == 2
    assert row["has_signed_scan"] is True
    assert [p["role"] for p in row["parties"]] == ["first_party", "second_party"]
    assert row["expiry_date_jalali"] == "1404/12/29"
    assert AgreementOutputSerializer(listed[bare.pk]).data["status_changed_at"].endswith("+03:30")
