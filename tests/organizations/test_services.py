"""Organisation and people services: normalised uniqueness, role checks, one transaction."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from organizations import services
from organizations.choices import OrganizationKind, Role
from organizations.models import Organization, Person
from tests.factories import MembershipFactory, OrganizationFactory, member
from tracker.exceptions import ApplicationError, PermissionDeniedError
from tracker.text import normalize

pytestmark = pytest.mark.django_db


def test_two_spellings_of_one_name_are_one_organisation(org_a, staff_a) -> None:
    services.organization_create(
        actor=staff_a, name="شهرك صنعتي عباس‌آباد", kind=OrganizationKind.INDUSTRIAL_ESTATE
    )
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(
            actor=staff_a, name="شهرک صنعتی عباس آباد", kind=OrganizationKind.INDUSTRIAL_ESTATE
        )
    assert "name" in excinfo.value.message_dict
    assert Organization.objects.filter(name__contains="عباس").count() == 1


def test_a_viewer_cannot_register_an_organisation(org_a, viewer_a) -> None:
    with pytest.raises(ApplicationError):
        services.organization_create(
            actor=viewer_a, name="سازمان تازه", kind=OrganizationKind.OTHER
        )
    assert not Organization.objects.filter(name="سازمان تازه").exists()


def test_only_the_organisations_admin_may_change_it(org_a, org_b, staff_a, admin_a) -> None:
    with pytest.raises(PermissionDeniedError):
        services.organization_update(actor=staff_a, organization=org_a, city="ملارد")
    with pytest.raises(PermissionDeniedError):
        services.organization_update(actor=admin_a, organization=org_b, city="ملارد")
    services.organization_update(actor=admin_a, organization=org_a, city="ملارد")
    org_a.refresh_from_db()
    org_b.refresh_from_db()
    assert org_a.city == "ملارد"
    assert org_b.city != "ملارد"


def test_a_parent_chain_may_not_loop(org_a, admin_a) -> None:
    child = OrganizationFactory(parent=org_a)
    with pytest.raises(ValidationError) as excinfo:
        services.organization_update(actor=admin_a, organization=org_a, parent=child)
    assert "parent" in excinfo.value.message_dict
    org_a.refresh_from_db()
    assert org_a.parent_id is None


def test_staff_register_a_counterpart_and_keep_seeing_it(org_a, org_b, staff_a) -> None:
    person = services.person_create(
        actor=staff_a, full_name="  بهزاد   بهزادی ", organization=org_b, position_title="مدیر فنی"
    )
    assert person.full_name == "بهزاد بهزادی"
    assert person.registered_by_organization == org_a
    from organizations.selectors import person_list_for_user

    assert list(person_list_for_user(user=staff_a)) == [person]


def test_a_person_update_needs_staff_in_their_scope(org_a, org_b, staff_a, staff_b) -> None:
    person = services.person_create(actor=staff_a, full_name="مسعود مختاری", organization=org_a)
    with pytest.raises(PermissionDeniedError):
        services.person_update(actor=staff_b, person=person, position_title="شهردار")
    person.refresh_from_db()
    assert person.position_title == ""


def test_invalid_email_is_a_field_error_and_nothing_is_saved(org_a, staff_a) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            actor=staff_a, full_name="x", organization=org_a, email="not-an-email"
        )
    assert "email" in excinfo.value.message_dict
    assert not Person.objects.exists()


def test_membership_set_requires_admin(org_a, staff_a, admin_a) -> None:
    newcomer = member(OrganizationFactory(), Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        services.membership_set(actor=staff_a, user=newcomer, organization=org_a, role=Role.STAFF)
    services.membership_set(actor=admin_a, user=newcomer, organization=org_a, role=Role.STAFF)
    assert newcomer.memberships.get(organization=org_a).role == Role.STAFF


def test_an_admin_of_the_child_alone_cannot_move_it_away_from_its_parent():
    company = OrganizationFactory()
    estate = OrganizationFactory(parent=company)
    estate_admin = member(estate, Role.ADMIN)
    with pytest.raises(PermissionDeniedError):
        services.organization_update(actor=estate_admin, organization=estate, parent=None)
    estate.refresh_from_db()
    assert estate.parent == company
    company_admin = member(company, Role.ADMIN)
    services.organization_update(actor=company_admin, organization=estate, city="ملارد")
    estate.refresh_from_db()
    assert estate.parent == company
    assert estate.city == "ملارد"


def test_one_name_may_exist_under_two_parents_but_not_twice_under_one(org_a, admin_a) -> None:
    other_parent = OrganizationFactory()
    MembershipFactory(user=admin_a, organization=other_parent, role=Role.ADMIN)
    kind = OrganizationKind.MUNICIPALITY
    services.organization_create(actor=admin_a, name="شهرداری مرکزی", kind=kind, parent=org_a)
    services.organization_create(
        actor=admin_a, name="شهرداري مركزي", kind=kind, parent=other_parent
    )
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(actor=admin_a, name="شهرداری  مرکزی", kind=kind, parent=org_a)
    assert "زیر همین سازمان بالادست" in excinfo.value.message_dict["name"][0]
    assert Organization.objects.filter(name_key=normalize("شهرداری مرکزی")).count() == 2


def test_the_database_keeps_names_unique_per_parent_top_level_included(org_a) -> None:
    # NULLS NOT DISTINCT: two top-level rows with one name are a clash, like two children.
    for parent in (None, org_a):
        Organization.objects.create(name="نام", name_key="نام", kind="other", parent=parent)
        with pytest.raises(IntegrityError), transaction.atomic():
            Organization.objects.create(name="نام", name_key="نام", kind="other", parent=parent)


def test_the_database_refuses_a_kind_outside_the_choices() -> None:
    with pytest.raises(IntegrityError):
        Organization.objects.create(name="نام", name_key="نام", kind="bank")


def test_a_duplicate_that_passed_the_check_is_refused_by_the_index(
    org_a, staff_a, monkeypatch
) -> None:
    """Two registrations of one name at once both pass the service's check; the unique
    index (organizations 0006) refuses the second with the Persian error on full_name, and
    the caller's transaction (an import's run) stays usable."""
    first = services.person_create(actor=staff_a, full_name="مهدی نوری", organization=org_a)
    real = services.person_same_name
    calls = []

    def blind_first_time(person):
        calls.append(person)
        return None if len(calls) == 1 else real(person)

    monkeypatch.setattr(services, "person_same_name", blind_first_time)
    with transaction.atomic():
        with pytest.raises(ValidationError) as excinfo:
            services.person_create(actor=staff_a, full_name="مهدي نوري", organization=org_a)
        # The transaction was not broken by the refused insert.
        assert Person.objects.filter(organization=org_a).count() == 1
    assert "مهدی نوری" in excinfo.value.message_dict["full_name"][0]
    assert list(Person.objects.filter(organization=org_a)) == [first]
