"""Pages of the foundation: login, directory, people (the home page is tested in
tests/dashboard/test_home.py, the health check in tests/tracker/test_healthz.py)."""

import pytest

from organizations.choices import Role
from tests.factories import OrganizationFactory, PersonFactory, member

pytestmark = pytest.mark.django_db


def test_login_page_is_persian_right_to_left(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert "ورود به سامانه" in html


def test_wrong_login_shows_a_persian_message_and_no_trace(client, staff_a):
    response = client.post("/accounts/login/", {"username": "staff_a", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "نام کاربری یا گذرواژه نادرست است." in html
    assert "Traceback" not in html
    assert 'value="staff_a"' in html  # what was typed is kept


def test_people_page_is_scoped(client, org_a, org_b, staff_a):
    PersonFactory(organization=org_a, full_name="مسعود مختاری")
    PersonFactory(organization=org_b, full_name="غریبه")
    client.force_login(staff_a)
    html = client.get("/organizations/people/").content.decode()
    assert "مسعود مختاری" in html
    assert "غریبه" not in html


def test_person_page_of_another_organisation_is_404(client, org_a, org_b, staff_b):
    person = PersonFactory(organization=org_a)
    client.force_login(staff_b)
    assert client.get(f"/organizations/people/{person.pk}/edit/").status_code == 404
    response = client.post(
        f"/organizations/people/{person.pk}/edit/", {"full_name": "x", "organization": org_b.pk}
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.full_name != "x"


def test_person_form_keeps_input_and_explains_errors(client, org_a, staff_a):
    client.force_login(staff_a)
    response = client.post(
        "/organizations/people/new/", {"full_name": "بهزاد", "email": "bad", "organization": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="بهزاد"' in html
    assert "این مقدار لازم است." in html


@pytest.mark.parametrize("rows", [5, 50])
def test_people_page_query_count_is_constant(
    rows, client, org_a, staff_a, django_assert_num_queries
):
    PersonFactory.create_batch(rows, organization=org_a)
    client.force_login(staff_a)
    # session + user, scope (memberships + tree), count, page with organisation joined,
    # and the unread-inbox badge: constant in the number of rows.
    with django_assert_num_queries(7, exact=False) as ctx:
        client.get("/organizations/people/")
    first = len(ctx.captured_queries)
    with django_assert_num_queries(first):
        client.get("/organizations/people/", {"page": 2})


def test_organisation_pages_render(client, org_a, staff_a):
    child = OrganizationFactory(parent=org_a, name="شهرک نمونه")
    client.force_login(staff_a)
    assert "شهرک نمونه" in client.get("/organizations/").content.decode()
    assert org_a.name in client.get(f"/organizations/{child.pk}/").content.decode()


def test_admin_is_persian(client):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    html = client.get("/admin/organizations/organization/").content.decode()
    assert 'dir="rtl"' in html
    assert "سازمان" in html


def test_viewer_role_reads_people(client, org_a):
    viewer = member(org_a, Role.VIEWER)
    PersonFactory(organization=org_a, full_name="الف")
    client.force_login(viewer)
    assert "الف" in client.get("/organizations/people/").content.decode()


def test_uploaded_files_are_not_served_publicly(client):
    # Signed scans are served only through a view that checks who may see the agreement.
    assert client.get("/media/agreements/signed/2026/scan.pdf").status_code == 404
