"""The agreements API: scoping, read-only status, ETag/If-Match, versions, diff,
transitions, approvals, history, and list query counts."""

from __future__ import annotations

from typing import Any

import pytest

from agreements import services
from agreements.choices import AgreementStatus, PartyRole
from agreements.models import Agreement, AgreementApproval, AgreementStatusChange, AgreementVersion
from tests.factories import OrganizationFactory

from .conftest import TEXT_V1, TEXT_V2, force_status

BASE = "/api/v1/agreements/"


def url(agreement: Agreement, tail: str = "") -> str:
    return f"{BASE}{agreement.pk}/{tail}"


# --- scoping -------------------------------------------------------------------------------------


def test_other_organisation_can_neither_list_read_change_nor_delete(
    draft: Agreement, staff_b: Any, client_for: Any
):
    client = client_for(staff_b)  # org_b is a party, but the draft stays inside the owner
    assert client.get(BASE).json()["count"] == 0
    for tail in ("", "versions/", "history/", "transitions/", "approvals/", "diff/?from=1&to=1"):
        assert client.get(url(draft, tail)).status_code == 404, tail
    assert (
        client.patch(url(draft), {"title": "x"}, format="json", HTTP_IF_MATCH='"1"').status_code
        == 404
    )
    assert client.delete(url(draft)).status_code in (404, 405)
    assert client.post(url(draft, "versions/"), {"text": "x"}, format="json").status_code == 404
    assert (
        client.post(
            url(draft, "transitions/"), {"to": "internal_review"}, format="json"
        ).status_code
        == 404
    )
    stored = Agreement.objects.get(pk=draft.pk)
    assert (stored.title, stored.status, stored.lock_version) == (draft.title, "draft", 1)
    assert AgreementVersion.objects.filter(agreement=draft).count() == 1


def test_party_reads_from_negotiation_on_but_cannot_edit(
    draft: Agreement, staff_b: Any, client_for: Any
):
    force_status(draft, AgreementStatus.NEGOTIATION, guards_met=False)
    client = client_for(staff_b)
    assert client.get(BASE).json()["count"] == 1
    body = client.get(url(draft)).json()
    response = client.patch(
        url(draft),
        {"title": "x"},
        format="json",
        HTTP_IF_MATCH=f'"{draft.pk}-{body["lock_version"]}"',
    )
    assert response.status_code == 403
    assert Agreement.objects.get(pk=draft.pk).title == draft.title


# --- create and update -------------------------------------------------------------------------


def test_create_with_parties_and_text(org_a: Any, org_b: Any, staff_a: Any, client_for: Any):
    response = client_for(staff_a).post(
        BASE,
        {
            "owning_organization": org_a.pk,
            "reference_number": "ت/۱۴۰۳/۰۲۰",
            "title": "تفاهم‌نامه برندسازی",
            "effective_date": "1403/02/01",
            "expiry_date": "1404/02/01",
            "parties": [
                {"organization": org_a.pk, "role": "first_party"},
                {"organization": org_b.pk, "role": "second_party"},
            ],
            "text": TEXT_V1,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["current_version"] == 1
    assert body["effective_date"] == "2024-04-20"
    assert body["effective_date_jalali"] == "1403/02/01"
    assert [p["role"] for p in body["parties"]] == ["first_party", "second_party"]
    assert response["ETag"].startswith(f'"{body["id"]}-1-')


def test_create_refuses_expiry_before_effective(org_a: Any, staff_a: Any, client_for: Any):
    response = client_for(staff_a).post(
        BASE,
        {
            "owning_organization": org_a.pk,
            "reference_number": "1",
            "title": "ع",
            "effective_date": "1403/05/01",
            "expiry_date": "1403/01/01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "تاریخ انقضا" in response.json()["expiry_date"][0]
    assert not Agreement.objects.exists()


def test_impossible_jalali_date_is_a_400(draft: Agreement, staff_a: Any, client_for: Any):
    response = client_for(staff_a).patch(
        url(draft), {"expiry_date": "1404/12/30", "lock_version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "expiry_date" in response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "approved"), ("owning_organization", 1), ("text", "x"), ("unknown", 1)],
)
def test_patching_fixed_fields_is_a_400_naming_the_field(
    draft: Agreement, staff_a: Any, client_for: Any, field: str, value: Any
):
    response = client_for(staff_a).patch(
        url(draft), {field: value}, format="json", HTTP_IF_MATCH=f'"{draft.pk}-1"'
    )
    assert response.status_code == 400
    assert field in response.json()
    stored = Agreement.objects.get(pk=draft.pk)
    assert (stored.status, stored.lock_version) == ("draft", 1)


def test_patch_without_if_match_is_428(draft: Agreement, staff_a: Any, client_for: Any):
    response = client_for(staff_a).patch(url(draft), {"title": "x"}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]


def test_stale_edits_in_a_loop_one_wins_the_other_412(
    draft: Agreement, staff_a: Any, client_for: Any
):
    client = client_for(staff_a)
    tag = client.get(url(draft))["ETag"]
    codes = []
    for title in ("نسخه برنده", "نسخه بازنده"):
        response = client.patch(url(draft), {"title": title}, format="json", HTTP_IF_MATCH=tag)
        codes.append(response.status_code)
    assert codes == [200, 412]
    assert Agreement.objects.get(pk=draft.pk).title == "نسخه برنده"
    fresh = client.get(url(draft))
    assert fresh["ETag"] != tag
    retry = client.patch(
        url(draft), {"title": "نسخه بازنده"}, format="json", HTTP_IF_MATCH=fresh["ETag"]
    )
    assert retry.status_code == 200


def test_a_new_party_changes_the_etag_so_no_stale_304(
    draft: Agreement, staff_a: Any, client_for: Any
):
    """Adding a party does not bump the row's lock version, but the answer shows the
    parties: the GET's ETag must change, while If-Match (the lock version) still holds."""
    client = client_for(staff_a)
    before = client.get(url(draft))
    services.agreement_party_add(
        actor=staff_a,
        agreement=draft,
        organization=OrganizationFactory(),
        role=PartyRole.WITNESS,
    )
    after = client.get(url(draft), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert len(after.json()["parties"]) == len(before.json()["parties"]) + 1
    assert after["ETag"] != before["ETag"]
    assert client.get(url(draft), HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304
    # The row itself did not change: an edit made with the older tag is not refused.
    edit = client.patch(
        url(draft), {"title": "عنوان تازه"}, format="json", HTTP_IF_MATCH=before["ETag"]
    )
    assert edit.status_code == 200


# --- versions and diff -------------------------------------------------------------------------


def test_versions_list_create_and_diff(draft: Agreement, staff_a: Any, client_for: Any):
    client = client_for(staff_a)
    created = client.post(
        url(draft, "versions/"), {"text": TEXT_V2, "change_note": "افزودن خدمات فنی"}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["number"] == 2
    listed = client.get(url(draft, "versions/")).json()
    assert [v["number"] for v in listed["results"]] == [2, 1]
    diff = client.get(url(draft, "diff/?from=1&to=2")).json()
    assert diff["from"] == 1
    assert diff["to"] == 2
    ops = {s["op"] for s in diff["segments"]}
    assert ops == {"equal", "insert", "delete"}
    assert "".join(s["text"] for s in diff["segments"] if s["op"] != "delete") == TEXT_V2


def test_diff_with_unknown_or_foreign_number_is_a_400(
    draft: Agreement, org_a: Any, staff_a: Any, client_for: Any
):
    other = services.agreement_create(
        actor=staff_a, owning_organization=org_a, reference_number="2", title="دیگر", text="یک"
    )
    services.agreement_version_create(actor=staff_a, agreement=other, text="دو")
    client = client_for(staff_a)
    # Version 2 exists, but in the other agreement: numbers are per agreement.
    response = client.get(url(draft, "diff/?from=1&to=2"))
    assert response.status_code == 400
    assert "نسخه شماره ۲ ندارد" in response.json()["to"][0]  # (Persian digits in errors)
    assert client.get(url(draft, "diff/?from=1")).status_code == 400
    assert client.get(url(draft, "diff/?from=x&to=1")).status_code == 400
    assert client.get(url(draft, "versions/9/")).status_code == 400


def test_version_text_cannot_be_patched(draft: Agreement, staff_a: Any, client_for: Any):
    response = client_for(staff_a).patch(url(draft, "versions/1/"), {"text": "x"}, format="json")
    assert response.status_code == 405
    assert AgreementVersion.objects.get(agreement=draft).text == TEXT_V1


# --- transitions and approvals -----------------------------------------------------------------


def test_transitions_get_lists_moves_with_blockers_and_post_moves(
    draft: Agreement, manager_a: Any, client_for: Any
):
    client = client_for(manager_a)
    moves = {m["to"]: m for m in client.get(url(draft, "transitions/")).json()}
    assert set(moves) == {"internal_review", "withdrawn"}
    assert moves["internal_review"]["allowed"] is True
    response = client.post(url(draft, "transitions/"), {"to": "internal_review"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "internal_review"
    assert AgreementStatusChange.objects.filter(agreement=draft).count() == 2


def test_refused_transition_is_409_in_persian(draft: Agreement, manager_a: Any, client_for: Any):
    response = client_for(manager_a).post(
        url(draft, "transitions/"), {"to": "signed"}, format="json"
    )
    assert response.status_code == 409
    assert "مجاز نیست" in response.json()["detail"]
    force_status(draft, AgreementStatus.NEGOTIATION, guards_met=False)
    response = client_for(manager_a).post(
        url(draft, "transitions/"), {"to": "approved"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["guards"]
    assert Agreement.objects.get(pk=draft.pk).status == "negotiation"


def test_approvals_post_by_party_and_refusal_for_non_party(
    draft: Agreement, manager_b: Any, org_b: Any, client_for: Any
):
    force_status(draft, AgreementStatus.NEGOTIATION, guards_met=False)
    client = client_for(manager_b)
    response = client.post(url(draft, "approvals/"), {"organization": org_b.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["version"] == 1
    stranger = OrganizationFactory(name="بیگانه")
    response = client.post(url(draft, "approvals/"), {"organization": stranger.pk}, format="json")
    assert response.status_code == 400
    assert "طرف این تفاهم‌نامه نیست" in response.json()["organization"][0]
    assert AgreementApproval.objects.count() == 1
    assert len(client.get(url(draft, "approvals/")).json()) == 1


def test_history_shows_status_and_field_changes(draft: Agreement, staff_a: Any, client_for: Any):
    client = client_for(staff_a)
    client.patch(url(draft), {"title": "عنوان تازه", "lock_version": 1}, format="json")
    body = client.get(url(draft, "history/")).json()
    assert [c["to_status"] for c in body["status_changes"]] == ["draft"]
    changed = body["field_changes"][-1]
    assert changed["user"] == str(staff_a)
    assert {"field": "title", "label": "عنوان", "old": draft.title, "new": "عنوان تازه"} in changed[
        "fields"
    ]


# --- filters and query counts ------------------------------------------------------------------


def test_list_filters(org_a: Any, org_b: Any, staff_a: Any, client_for: Any):
    a = services.agreement_create(
        actor=staff_a,
        owning_organization=org_a,
        reference_number="A",
        title="خدمات شهری",
        parties=[(org_b, PartyRole.SECOND_PARTY)],
        expiry_date=None,
    )
    services.agreement_create(
        actor=staff_a,
        owning_organization=org_a,
        reference_number="B",
        title="گردشگری صنعتی",
    )
    services.agreement_update(
        actor=staff_a,
        agreement=a,
        expected_lock_version=1,
        effective_date=__import__("datetime").date(2024, 4, 20),
    )
    client = client_for(staff_a)

    def refs(query: str) -> list[str]:
        return sorted(r["reference_number"] for r in client.get(BASE + query).json()["results"])

    assert refs("?q=خدمات شهري") == ["A"]
    assert refs(f"?party={org_b.pk}") == ["A"]
    assert refs("?status=draft") == ["A", "B"]
    assert refs("?status=signed") == []
    assert refs("?effective_date_from=1403/02/01&effective_date_to=1403/02/31") == ["A"]
    assert refs("?effective_date_from=1403/03/01") == []
    assert client.get(BASE + "?expiry_date_from=1404/12/30").status_code == 400


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_is_constant(
    rows: int, org_a: Any, org_b: Any, staff_a: Any, client_for: Any, django_assert_num_queries: Any
):
    for i in range(rows):
        services.agreement_create(
            actor=staff_a,
            owning_organization=org_a,
            reference_number=f"R{i}",
            title=f"ت {i}",
            parties=[(org_a, PartyRole.FIRST_PARTY), (org_b, PartyRole.SECOND_PARTY)],
            text="متن",
        )
    client = client_for(type(staff_a).objects.get(pk=staff_a.pk))
    # 2 for the scope, 1 count for the paginator, 1 page of agreements with owners, 1 for
    # their parties with organisations, 1 for their current versions.
    with django_assert_num_queries(6):
        response = client.get(BASE + "?page_size=100")
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_versions_list_query_count_is_constant(
    rows: int, draft: Agreement, staff_a: Any, client_for: Any, django_assert_num_queries: Any
):
    for i in range(rows - 1):
        services.agreement_version_create(actor=staff_a, agreement=draft, text=f"متن {i}")
    client = client_for(type(staff_a).objects.get(pk=staff_a.pk))
    # 2 for the scope, 1 for the agreement (+1 parties, +1 current version prefetched by
    # the shared selector), 1 count, 1 page of versions with authors and base versions.
    with django_assert_num_queries(7):
        response = client.get(url(draft, "versions/?page_size=100"))
    assert response.json()["count"] == rows


def test_schema_declares_the_real_shapes_of_approvals_transitions_history_and_versions() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for name in ("approvals", "transitions"):
        get = schema["paths"][f"/api/v1/agreements/{{id}}/{name}/"]["get"]
        body = get["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array"  # a plain list, not a page
        # No page, no filters: the id, and the conditional GET header every GET documents.
        assert {p["name"] for p in get.get("parameters", [])} == {"id", "If-None-Match"}
    version = schema["components"]["schemas"]["VersionOutput"]["properties"]
    assert version["base_version_number"]["nullable"] is True
    from_status = schema["components"]["schemas"]["StatusChangeOutput"]["properties"]
    refs = {s["$ref"].rsplit("/", 1)[-1] for s in from_status["from_status"]["oneOf"]}
    assert refs == {"AgreementStatusEnum", "BlankEnum"}


def test_api_names_actors_and_authors_by_full_name(draft: Agreement, staff_a: Any, client_for: Any):
    staff_a.first_name, staff_a.last_name = "مریم", "کارشناسی"
    staff_a.save()
    client = client_for(staff_a)
    history = client.get(url(draft, "history/")).json()
    assert [c["actor_name"] for c in history["status_changes"]] == ["مریم کارشناسی"]
    versions = client.get(url(draft, "versions/")).json()
    rows = versions["results"] if isinstance(versions, dict) else versions
    assert {v["author_name"] for v in rows} == {"مریم کارشناسی"}
