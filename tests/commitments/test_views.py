"""The pages: the agreement's commitments table and fulfilment per party, the list with
filters and export links, the form (keeps what was typed), the moves, scoping."""

from __future__ import annotations

from typing import Any

import pytest

from commitments.choices import OccurrenceStatus
from commitments.models import Commitment
from organizations.choices import Role
from tests.factories import OrganizationFactory, member

from .conftest import days

pytestmark = pytest.mark.django_db


def test_the_agreement_page_has_the_table_and_the_figure_per_party(
    client: Any, staff_a: Any, agreement: Any, make_commitment: Any
) -> None:
    make_commitment(title="جمع‌آوری پسماند")
    client.force_login(staff_a)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert 'id="commitments"' in page
    assert "جمع‌آوری پسماند" in page
    assert "درصد ایفا" in page
    assert f"/commitments/new/{agreement.pk}/" in page


def test_create_on_the_page_with_a_jalali_date_and_keep_input_on_error(
    client: Any, staff_a: Any, agreement: Any, party_b: Any
) -> None:
    client.force_login(staff_a)
    url = f"/commitments/new/{agreement.pk}/"
    bad = client.post(
        url,
        {
            "party": party_b.pk,
            "title": "گزارش فصلی",
            "due_date": "1403/12/31",
            "recurrence": "none",
        },
    )
    assert bad.status_code == 200
    assert "گزارش فصلی" in bad.content.decode()  # what was typed stays
    ok = client.post(
        url,
        {
            "party": party_b.pk,
            "title": "گزارش فصلی",
            "due_date": "۱۴۰۳/۰۲/۰۱",
            "recurrence": "quarterly",
        },
    )
    assert ok.status_code == 302
    commitment = Commitment.objects.get(title="گزارش فصلی")
    assert commitment.occurrences.count() == 4  # until 1403/12/30


def test_a_viewer_gets_403_on_the_form(client: Any, viewer_a: Any, agreement: Any) -> None:
    client.force_login(viewer_a)
    assert client.get(f"/commitments/new/{agreement.pk}/").status_code == 403


def test_the_list_page_filters_and_offers_the_export(
    client: Any, staff_a: Any, make_commitment: Any, org_b: Any
) -> None:
    make_commitment(title="تعهد یکم")
    client.force_login(staff_a)
    page = client.get("/commitments/", {"organization": org_b.pk}).content.decode()
    assert "تعهد یکم" in page
    assert "/api/v1/exports/commitments.csv" in page
    empty = client.get("/commitments/", {"status": "done"}).content.decode()
    assert "تعهد یکم" not in empty


def test_mark_done_on_the_page_needs_the_note(
    client: Any, staff_b: Any, make_commitment: Any
) -> None:
    occ = make_commitment().occurrences.get()
    client.force_login(staff_b)
    url = f"/commitments/occurrences/{occ.pk}/move/"
    client.post(url, {"to": "done", "note": ""})
    occ.refresh_from_db()
    assert occ.status == OccurrenceStatus.OPEN
    client.post(url, {"to": "done", "note": "صورت‌جلسه"})
    occ.refresh_from_db()
    assert occ.status == OccurrenceStatus.DONE


def test_waive_on_the_page_by_the_party_is_403(
    client: Any, manager_b: Any, make_commitment: Any
) -> None:
    occ = make_commitment().occurrences.get()
    client.force_login(manager_b)
    response = client.post(
        f"/commitments/occurrences/{occ.pk}/move/", {"to": "waived", "note": "x"}
    )
    assert response.status_code == 403


def test_another_organisation_gets_404_on_the_pages(client: Any, make_commitment: Any) -> None:
    commitment = make_commitment()
    occ = commitment.occurrences.get()
    client.force_login(member(OrganizationFactory(name="شهرداری ج"), Role.MANAGER))
    assert client.get(f"/commitments/{commitment.pk}/").status_code == 404
    assert client.get(f"/commitments/{commitment.pk}/edit/").status_code == 404
    assert (
        client.post(
            f"/commitments/occurrences/{occ.pk}/move/", {"to": "done", "note": "x"}
        ).status_code
        == 404
    )
    assert client.get(f"/commitments/new/{commitment.agreement_id}/").status_code == 404
    assert commitment.title not in client.get("/commitments/").content.decode()


def test_the_export_holds_the_filtered_rows_formula_safe(
    client_for: Any, staff_a: Any, make_commitment: Any
) -> None:
    make_commitment(title="=HYPERLINK(1)")
    make_commitment(title="دوم", due_date=days(40))
    body = (
        client_for(staff_a)
        .get("/api/v1/exports/commitments.csv", {"due_before": days(20).isoformat()})
        .getvalue()
        .decode("utf-8-sig")
    )
    assert "'=HYPERLINK(1)" in body
    assert "دوم" not in body


def test_home_lists_what_awaits_the_user(
    client: Any, staff_b: Any, person_b: Any, make_commitment: Any
) -> None:
    make_commitment(title="تحویل فهرست", responsible=person_b)
    client.force_login(staff_b)
    page = client.get("/").content.decode()
    assert "منتظر اقدام شما" in page
    assert "تحویل فهرست" in page


def test_a_decision_of_a_meeting_on_the_agreement_becomes_a_commitment_on_the_page(
    client: Any, staff_a: Any, agreement: Any, party_b: Any, org_a: Any
) -> None:
    from meetings.models import Decision
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(host=org_a)
    meeting.agreements.add(agreement)
    decision = Decision.objects.create(meeting=meeting, order=1, text="تحویل زمین")
    client.force_login(staff_a)
    link = f"/commitments/new/{agreement.pk}/?source_decision={decision.pk}"
    assert link.replace("&", "&amp;") in client.get(meeting.get_absolute_url()).content.decode()
    form = client.get(link).content.decode()
    assert f'name="source_decision" value="{decision.pk}"' in form
    response = client.post(
        f"/commitments/new/{agreement.pk}/",
        {
            "party": party_b.pk,
            "title": "تحویل زمین",
            "due_date": "1403/02/01",
            "recurrence": "none",
            "source_decision": decision.pk,
        },
    )
    assert response.status_code == 302
    assert Commitment.objects.get(title="تحویل زمین").source_decision == decision
