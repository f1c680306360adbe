"""The agreement API completed (issue 16): parties through the API with the page's rules and
a history row, the PDF and Word documents with a token, in force on the effective date."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from agreements import services, tasks
from agreements.choices import AgreementStatus, PartyRole
from agreements.models import Agreement, AgreementParty, AgreementStatusChange
from organizations.services import api_token_create
from tests.factories import OrganizationFactory

from .conftest import NOW, TODAY, approve_all, force_status

pytestmark = pytest.mark.django_db


def _token_client(user: Any, *, read_only: bool = True) -> APIClient:
    _token, key = api_token_create(actor=user, name="دفتر استان", read_only=read_only)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# --- Parties -----------------------------------------------------------------------------------


def test_parties_are_listed_added_changed_and_removed_through_the_api(
    draft: Agreement, staff_a: Any, client_for: Any
) -> None:
    client = client_for(staff_a)
    base = f"/api/v1/agreements/{draft.pk}/parties/"
    listed = client.get(base).json()
    assert {p["role"] for p in listed} == {"first_party", "second_party"}
    witness_org = OrganizationFactory(name="فرمانداری قدس")
    added = client.post(base, {"organization": witness_org.pk, "role": "witness"}, format="json")
    assert added.status_code == 201, added.json()
    party_id = added.json()["id"]
    assert added.json()["organization_name"] == "فرمانداری قدس"
    second = AgreementParty.objects.get(agreement=draft, role=PartyRole.SECOND_PARTY)
    # A principal role already held is the page's Persian 400.
    taken = client.patch(f"{base}{party_id}/", {"role": "second_party"}, format="json")
    assert taken.status_code == 400
    assert "role" in taken.json()
    client.delete(f"{base}{second.pk}/")
    changed = client.patch(f"{base}{party_id}/", {"role": "second_party"}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["role"] == "second_party"
    assert client.delete(f"{base}{party_id}/").status_code == 204
    assert not AgreementParty.objects.filter(pk=party_id).exists()
    # Each change is one row of the agreement's history, with who and what.
    history = client.get(f"/api/v1/agreements/{draft.pk}/history/").json()["field_changes"]
    reasons = [h["reason"] for h in history if h["reason"]]
    assert len(reasons) == 4
    assert reasons[0].startswith("افزودن طرف: فرمانداری قدس")
    assert reasons[1].startswith("حذف طرف")
    assert reasons[2].startswith("تغییر نقش طرف فرمانداری قدس")
    assert reasons[3].startswith("حذف طرف: فرمانداری قدس")
    assert {h["user"] for h in history if h["reason"]} == {str(staff_a)}


def test_parties_do_not_change_after_the_final_approval(
    draft: Agreement, staff_a: Any, client_for: Any
) -> None:
    force_status(draft, AgreementStatus.APPROVED)
    client = client_for(staff_a)
    base = f"/api/v1/agreements/{draft.pk}/parties/"
    party = AgreementParty.objects.filter(agreement=draft).first()
    assert party is not None
    other = OrganizationFactory()
    assert client.post(base, {"organization": other.pk, "role": "witness"}).status_code == 409
    assert client.patch(f"{base}{party.pk}/", {"role": "witness"}).status_code == 409
    assert client.delete(f"{base}{party.pk}/").status_code == 409
    assert AgreementParty.objects.filter(agreement=draft).count() == 2


def test_a_party_that_approved_is_neither_changed_nor_removed(
    draft: Agreement, staff_a: Any, client_for: Any
) -> None:
    force_status(draft, AgreementStatus.NEGOTIATION, guards_met=False)
    approve_all(draft, staff_a)
    party = AgreementParty.objects.get(agreement=draft, role=PartyRole.SECOND_PARTY)
    client = client_for(staff_a)
    url = f"/api/v1/agreements/{draft.pk}/parties/{party.pk}/"
    assert client.patch(url, {"role": "witness"}, format="json").status_code == 409
    assert client.delete(url).status_code == 409


def test_a_viewer_and_another_organisation_cannot_change_parties(
    draft: Agreement, viewer_a: Any, staff_b: Any, client_for: Any
) -> None:
    base = f"/api/v1/agreements/{draft.pk}/parties/"
    other = OrganizationFactory()
    assert (
        client_for(viewer_a).post(base, {"organization": other.pk, "role": "witness"}).status_code
        == 403
    )
    # org_b is a party, but a draft stays inside the owner.
    assert client_for(staff_b).get(base).status_code == 404
    assert client_for(staff_b).delete(f"{base}1/").status_code == 404


def test_an_unknown_party_is_404(draft: Agreement, staff_a: Any, client_for: Any) -> None:
    assert (
        client_for(staff_a).get(f"/api/v1/agreements/{draft.pk}/parties/999999/").status_code == 404
    )


# --- Documents ---------------------------------------------------------------------------------


def test_the_documents_come_with_a_token(draft: Agreement, staff_a: Any) -> None:
    client = _token_client(staff_a)
    pdf = client.get(f"/api/v1/agreements/{draft.pk}/document.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"].startswith("attachment;")
    docx = client.get(f"/api/v1/agreements/{draft.pk}/document.docx")
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert docx.content.startswith(b"PK\x03\x04")


def test_documents_of_an_invisible_agreement_are_404_and_a_missing_token_401(
    draft: Agreement, staff_b: Any
) -> None:
    assert (
        _token_client(staff_b).get(f"/api/v1/agreements/{draft.pk}/document.pdf").status_code == 404
    )
    assert APIClient().get(f"/api/v1/agreements/{draft.pk}/document.pdf").status_code in (401, 403)


@pytest.mark.parametrize("pk", ["abc", "1.5", "-1", "99999999"])
@pytest.mark.parametrize("suffix", ["pdf", "docx"])
def test_a_document_of_a_malformed_or_unknown_id_is_404_not_a_redirect(
    staff_a: Any, pk: str, suffix: str
) -> None:
    # Only digits used to match, so any other id fell through to APPEND_SLASH: a 301 to
    # ``document.pdf/``, which a client follows into another 404 (found by schemathesis).
    response = _token_client(staff_a).get(f"/api/v1/agreements/{pk}/document.{suffix}")
    assert response.status_code == 404
    assert response.json()["detail"] == "پیدا نشد."


def test_a_document_without_text_is_a_409(org_a: Any, staff_a: Any) -> None:
    empty = services.agreement_create(
        actor=staff_a, owning_organization=org_a, reference_number="بی‌متن", title="بی متن"
    )
    response = _token_client(staff_a).get(f"/api/v1/agreements/{empty.pk}/document.docx")
    assert response.status_code == 409


# --- In force on the effective date ------------------------------------------------------------


def _signed(draft: Agreement, effective: Any) -> Agreement:
    force_status(draft, AgreementStatus.SIGNED)
    Agreement.objects.filter(pk=draft.pk).update(
        effective_date=effective, expiry_date=effective + timedelta(days=365)
    )
    return draft


def test_a_signed_agreement_is_in_force_on_its_effective_date_by_the_system(
    draft: Agreement,
) -> None:
    _signed(draft, TODAY + timedelta(days=1))
    assert services.agreements_put_in_force_due(now=NOW) == 0  # not yet
    tomorrow = NOW + timedelta(days=1)
    assert services.agreements_put_in_force_due(now=tomorrow) == 1
    assert services.agreements_put_in_force_due(now=tomorrow) == 0  # safe to run twice
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.IN_FORCE
    [row] = AgreementStatusChange.objects.filter(to_status=AgreementStatus.IN_FORCE)
    assert row.actor is None  # «system»
    assert row.from_status == AgreementStatus.SIGNED
    assert row.at == tomorrow


def test_the_in_force_task_runs_the_service_on_the_injected_clock(draft: Agreement) -> None:
    _signed(draft, TODAY)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        assert tasks.put_in_force_due_agreements.run() == 1
        assert tasks.put_in_force_due_agreements.run() == 0
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.IN_FORCE


def test_a_signed_agreement_without_an_effective_date_waits(draft: Agreement) -> None:
    force_status(draft, AgreementStatus.SIGNED)
    Agreement.objects.filter(pk=draft.pk).update(effective_date=None)
    assert services.agreements_put_in_force_due(now=NOW) == 0


def test_the_beat_runs_the_in_force_task() -> None:
    entries = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == tasks.IN_FORCE_DUE_TASK
    ]
    assert len(entries) == 1


# --- Loose ends --------------------------------------------------------------------------------


def test_field_history_times_are_in_tehran_time(
    draft: Agreement, staff_a: Any, client_for: Any
) -> None:
    client = client_for(staff_a)
    moved = client.post(
        f"/api/v1/agreements/{draft.pk}/transitions/", {"to": "internal_review"}, format="json"
    )
    assert moved.status_code == 200, moved.json()
    body = client.get(f"/api/v1/agreements/{draft.pk}/history/").json()
    # A status move is its status change row only (one audit record per purpose); the
    # field history keeps edits. Both give their times in Tehran time.
    assert body["status_changes"]
    assert body["field_changes"]
    assert all(h["at"].endswith("+03:30") for h in body["field_changes"])
    assert not [f for h in body["field_changes"] for f in h["fields"] if f["field"] == "status"]
