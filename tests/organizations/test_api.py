"""Organisations and people through the API: scoping, validation, tokens, query counts."""

import json

import pytest
from django.urls import reverse

from organizations import services
from organizations.choices import Role
from organizations.models import ApiToken, Organization, Person
from tests.factories import OrganizationFactory, PersonFactory, member

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/organizations/"
PEOPLE = "/api/v1/people/"


def test_anonymous_requests_are_refused_in_persian(api_client):
    response = api_client.get(PEOPLE)
    assert response.status_code in (401, 403)
    assert "وارد" in response.json()["detail"]


def test_user_of_b_cannot_list_read_or_change_people_of_a(
    org_a, org_b, staff_a, staff_b, client_for
):
    person = PersonFactory(organization=org_a, full_name="مسعود مختاری")
    client_b = client_for(staff_b)
    assert client_b.get(PEOPLE).json()["count"] == 0
    assert client_b.get(f"{PEOPLE}{person.pk}/").status_code == 404
    response = client_b.patch(f"{PEOPLE}{person.pk}/", {"full_name": "دیگری"}, format="json")
    assert response.status_code == 404
    assert client_b.delete(f"{PEOPLE}{person.pk}/").status_code in (404, 405)
    person.refresh_from_db()
    assert person.full_name == "مسعود مختاری"
    assert client_for(staff_a).get(PEOPLE).json()["count"] == 1


def test_user_of_b_cannot_change_or_delete_organisation_a(org_a, org_b, staff_b, client_for):
    member(org_b, Role.ADMIN, username="admin_b")
    client_b = client_for(staff_b)
    response = client_b.patch(f"{ORGS}{org_a.pk}/", {"city": "تهران"}, format="json")
    assert response.status_code == 403
    assert "نقش" in response.json()["detail"]
    assert client_b.delete(f"{ORGS}{org_a.pk}/").status_code == 405
    org_a.refresh_from_db()
    assert org_a.city == "قدس"


def test_admin_of_a_changes_a(org_a, admin_a, client_for):
    response = client_for(admin_a).patch(f"{ORGS}{org_a.pk}/", {"city": "ملارد"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["city"] == "ملارد"


def test_search_is_normalised_for_persian(org_a, staff_a, client_for):
    OrganizationFactory(name="شهرك صنعتي شمس‌آباد")
    client = client_for(staff_a)
    names = [o["name"] for o in client.get(ORGS, {"q": "شهرک صنعتی شمس آباد"}).json()["results"]]
    assert names == ["شهرك صنعتي شمس‌آباد"]


def test_create_person_with_unknown_field_names_it(org_a, staff_a, client_for):
    response = client_for(staff_a).post(
        PEOPLE, {"full_name": "الف", "organization": org_a.pk, "salary": 1}, format="json"
    )
    assert response.status_code == 400
    assert "salary" in response.json()
    assert not Person.objects.exists()


def test_create_person_missing_name_is_a_persian_field_error(org_a, staff_a, client_for):
    response = client_for(staff_a).post(PEOPLE, {"organization": org_a.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["full_name"] == ["این مقدار لازم است."]


def test_viewer_cannot_create_people(org_a, viewer_a, client_for):
    response = client_for(viewer_a).post(
        PEOPLE, {"full_name": "الف", "organization": org_a.pk}, format="json"
    )
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_token_login_and_use(org_a, staff_a, api_client):
    wrong = api_client.post(
        "/api/v1/auth/token/", {"username": "staff_a", "password": "nope"}, format="json"
    )
    assert wrong.status_code == 400
    assert wrong.json()["detail"] == "نام کاربری یا گذرواژه نادرست است."
    ok = api_client.post(
        "/api/v1/auth/token/", {"username": "staff_a", "password": "pass-1234"}, format="json"
    )
    assert ok.status_code == 201
    key = ok.json()["token"]
    stored = ApiToken.objects.get(user=staff_a)
    assert key not in (stored.key_hash, stored.prefix)  # only the hash is stored
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(PEOPLE).status_code == 200
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_malformed_expired_or_revoked_tokens_are_401(org_a, staff_a, api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get(PEOPLE).status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="Token a b c")
    assert api_client.get(PEOPLE).status_code == 401
    token, key = services.api_token_create(actor=staff_a, name="داشبورد")
    services.api_token_revoke(actor=staff_a, token=token)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get(PEOPLE)
    assert response.status_code == 401
    assert "باطل" in response.json()["detail"]


def test_read_only_token_may_read_but_not_write(org_a, staff_a, api_client):
    _token, key = services.api_token_create(actor=staff_a, name="BI", read_only=True)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(PEOPLE).status_code == 200
    response = api_client.post(
        PEOPLE, {"full_name": "الف", "organization": org_a.pk}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "این توکن فقط خواندنی است."


def test_a_ten_megabyte_body_is_refused_without_a_crash(org_a, staff_a, client_for):
    body = json.dumps({"full_name": "x" * (10 * 1024 * 1024), "organization": org_a.pk})
    response = client_for(staff_a).post(PEOPLE, body, content_type="application/json")
    assert response.status_code == 413
    assert not Person.objects.exists()


def test_malformed_json_is_a_400(org_a, staff_a, client_for):
    response = client_for(staff_a).post(PEOPLE, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "بدنه درخواست خوانا نیست (JSON نامعتبر)."


@pytest.mark.parametrize("rows", [5, 50])
def test_people_list_query_count_is_constant(
    rows, org_a, staff_a, client_for, django_assert_num_queries
):
    PersonFactory.create_batch(rows, organization=org_a)
    client = client_for(staff_a)
    # 1 memberships + 1 organisation tree (the user's scope), 1 count, 1 page with the
    # organisation joined: four whatever the number of rows.
    with django_assert_num_queries(4):
        response = client.get(PEOPLE)
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_organisation_list_query_count_is_constant(
    rows, org_a, staff_a, client_for, django_assert_num_queries
):
    parent = OrganizationFactory()
    OrganizationFactory.create_batch(rows, parent=parent)
    client = client_for(staff_a)
    # 2 for the scope (is the user a member at all), 1 count, 1 page with the parent joined.
    with django_assert_num_queries(4):
        response = client.get(ORGS, {"page_size": 100})
    assert response.json()["count"] == rows + 2  # org_a and the parent


def test_schema_and_swagger_are_served_without_a_cdn(staff_a, client_for):
    client = client_for(staff_a)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


def test_organization_directory_is_readable_by_members_only(org_a, staff_a, client_for, api_client):
    outsider = member(OrganizationFactory(), Role.VIEWER)
    assert client_for(outsider).get(f"{ORGS}{org_a.pk}/").status_code == 200
    from tests.factories import UserFactory

    loner = UserFactory()
    assert client_for(loner).get(f"{ORGS}{org_a.pk}/").status_code == 404
    assert reverse("organization-list") == ORGS
    assert Organization.objects.count() == 2
