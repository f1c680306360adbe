"""The one scoping helper: memberships cover descendants, superusers see all."""

import pytest

from organizations.choices import Role
from organizations.models import Person
from organizations.scoping import org_scope_for_user, require_role, scope_queryset
from tests.factories import OrganizationFactory, PersonFactory, UserFactory, member
from tracker.exceptions import PermissionDeniedError

pytestmark = pytest.mark.django_db


def test_membership_covers_the_organisation_and_its_descendants() -> None:
    company = OrganizationFactory()
    estate = OrganizationFactory(parent=company)
    sub_estate = OrganizationFactory(parent=estate)
    other = OrganizationFactory()
    user = member(company, Role.VIEWER)
    scope = org_scope_for_user(user)
    assert scope.ids == {company.pk, estate.pk, sub_estate.pk}
    assert other.pk not in scope.ids


def test_a_child_membership_does_not_see_the_parent() -> None:
    company = OrganizationFactory()
    estate = OrganizationFactory(parent=company)
    user = member(estate, Role.STAFF)
    assert org_scope_for_user(user).ids == {estate.pk}


def test_the_highest_role_wins_where_memberships_overlap() -> None:
    company = OrganizationFactory()
    estate = OrganizationFactory(parent=company)
    user = member(company, Role.VIEWER)
    member_ship_user = user
    from tests.factories import MembershipFactory

    MembershipFactory(user=member_ship_user, organization=estate, role=Role.MANAGER)
    scope = org_scope_for_user(user)
    assert scope.role_in(company.pk) == Role.VIEWER
    assert scope.role_in(estate.pk) == Role.MANAGER


def test_superuser_sees_everything_and_anonymous_nothing() -> None:
    PersonFactory.create_batch(3)
    root = UserFactory(is_superuser=True)
    assert scope_queryset(Person.objects.all(), root, "organization").count() == 3
    nobody = UserFactory()
    assert scope_queryset(Person.objects.all(), nobody, "organization").count() == 0


def test_require_role_refuses_a_lower_role_with_a_persian_message() -> None:
    org = OrganizationFactory()
    viewer = member(org, Role.VIEWER)
    require_role(viewer, org, Role.VIEWER)
    with pytest.raises(PermissionDeniedError) as excinfo:
        require_role(viewer, org, Role.STAFF)
    assert "کارشناس" in excinfo.value.message


def test_scope_is_computed_once_per_user_object(django_assert_num_queries) -> None:
    org = OrganizationFactory()
    user = member(org, Role.STAFF)
    # Two queries the first time (memberships, then the subtrees under them), none after.
    with django_assert_num_queries(2):
        org_scope_for_user(user)
        org_scope_for_user(user)


def test_a_deep_chain_is_covered_and_a_lower_membership_raises_the_role_below_it() -> None:
    chain = [OrganizationFactory()]
    for _ in range(6):
        chain.append(OrganizationFactory(parent=chain[-1]))
    OrganizationFactory()  # another tree
    from tests.factories import MembershipFactory

    user = member(chain[0], Role.VIEWER)
    MembershipFactory(user=user, organization=chain[3], role=Role.ADMIN)
    scope = org_scope_for_user(user)
    assert scope.ids == {org.pk for org in chain}
    assert [scope.role_in(org.pk) for org in chain] == [Role.VIEWER] * 3 + [Role.ADMIN] * 4


def test_a_cycle_in_the_tree_does_not_hang_the_scope() -> None:
    a = OrganizationFactory()
    b = OrganizationFactory(parent=a)
    c = OrganizationFactory(parent=b)
    outside = OrganizationFactory()
    # A cycle the services refuse, written behind their back: a -> b -> c -> a.
    type(a).objects.filter(pk=a.pk).update(parent=c)
    user = member(b, Role.STAFF)
    assert org_scope_for_user(user).ids == {a.pk, b.pk, c.pk}
    assert outside.pk not in org_scope_for_user(user).ids
