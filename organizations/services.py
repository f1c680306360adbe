"""Writes of organisations, people, memberships and API tokens. Each is one transaction."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tracker.exceptions import ApplicationError, unique_violation_as
from tracker.hashing import secret_hash
from tracker.text import normalize, standardize

from .choices import Role
from .models import ApiToken, Membership, Organization, Person
from .scoping import forget_scope, org_scope_for_user, require_role

ORG_FIELDS = ("name", "kind", "province", "county", "city", "parent", "is_active")
PERSON_FIELDS = ("full_name", "position_title", "organization", "phone", "email")


#: The database's name of the constraint behind ``organization_name_taken``.
NAME_CONSTRAINT = "organization_name_unique_per_parent"


def _check_parent(organization: Organization) -> None:
    """Refuse a parent chain that loops back to the organisation itself."""
    seen = {organization.pk}
    node = organization.parent
    while node is not None:
        if node.pk in seen:
            raise ValidationError(
                {"parent": "سازمان بالادست نمی‌تواند زیرمجموعه خود این سازمان باشد."}
            )
        seen.add(node.pk)
        node = node.parent


#: Names are unique within a parent (organization_name_unique_per_parent), not nationwide.
NAME_TAKEN = "سازمانی با همین نام (یا املای دیگری از آن) زیر همین سازمان بالادست ثبت شده است."


def organization_name_taken(organization: Organization) -> bool:
    """Another organisation under the same parent (or another top-level one) has this name."""
    return (
        Organization.objects.filter(
            name_key=normalize(organization.name),
            parent_id=organization.parent_id,
        )
        .exclude(pk=organization.pk)
        .exists()
    )


#: Text fields stored in the standard spelling (tracker.persian.standardize).
ORG_TEXT_FIELDS = ("name", "province", "county", "city")
PERSON_TEXT_FIELDS = ("full_name", "position_title")


def _standardize_fields(obj: Organization | Person, names: tuple[str, ...]) -> None:
    for name in names:
        setattr(obj, name, standardize(getattr(obj, name)))


def _save_organization(organization: Organization) -> Organization:
    _standardize_fields(organization, ORG_TEXT_FIELDS)
    organization.name_key = normalize(organization.name)
    _check_parent(organization)
    organization.full_clean(exclude=["name_key"])
    if organization_name_taken(organization):
        raise ValidationError({"name": NAME_TAKEN})
    # A concurrent request may register the same name between the check and the insert.
    with unique_violation_as({NAME_CONSTRAINT: ValidationError({"name": NAME_TAKEN})}):
        organization.save()
    return organization


@transaction.atomic
def organization_create(*, actor: User, **fields: Any) -> Organization:
    """Register an organisation. Staff of any organisation may add a counterpart;
    a child under a parent needs the admin role in that parent."""
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise ApplicationError(f"فیلد ناشناخته: {', '.join(sorted(unknown))}")
    scope = org_scope_for_user(actor)
    if not scope.everything and not scope.ids_with_role(Role.STAFF):
        raise ApplicationError("برای ثبت سازمان باید دست‌کم نقش کارشناس داشته باشید.", status=403)
    parent = fields.get("parent")
    if parent is not None:
        require_role(actor, parent, Role.ADMIN)
    organization = _save_organization(Organization(**fields))
    forget_scope(actor)
    return organization


@transaction.atomic
def organization_update(*, actor: User, organization: Organization, **fields: Any) -> Organization:
    """Change an organisation; needs the admin role in it (or in an ancestor)."""
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise ApplicationError(f"فیلد ناشناخته: {', '.join(sorted(unknown))}")
    # FOR NO KEY UPDATE: does not wait for transactions that merely refer to the row (a
    # running import inserting its people holds FOR KEY SHARE on it until it commits).
    organization = Organization.objects.select_for_update(no_key=True).get(pk=organization.pk)
    require_role(actor, organization, Role.ADMIN)
    if "parent" in fields and fields["parent"] != organization.parent:
        # Moving an organisation changes who oversees it: both the old and the new parent's
        # admins must agree (an admin of the child alone could cut the company's oversight).
        if organization.parent_id is not None:
            require_role(actor, organization.parent_id, Role.ADMIN)
        if fields["parent"] is not None:
            require_role(actor, fields["parent"], Role.ADMIN)
    for name, value in fields.items():
        setattr(organization, name, value)
    organization = _save_organization(organization)
    forget_scope(actor)
    return organization


def person_same_name(person: Person) -> Person | None:
    """Another person of the same organisation whose name is this one in another spelling
    («مهدي نوري» and «مهدی نوری»), or None."""
    if person.organization_id is None:
        return None
    return (
        Person.objects.filter(
            organization_id=person.organization_id, name_key=normalize(person.full_name)
        )
        .exclude(pk=person.pk)
        .order_by("pk")
        .first()
    )


def person_name_taken_message(existing: Person) -> str:
    """The error that names the person already registered (the user picks them instead)."""
    return (
        f"«{existing.full_name}» با همین نام (یا املای دیگری از آن) در همین سازمان ثبت "
        "شده است؛ همان شخص را انتخاب کنید."
    )


#: The unique partial index (organizations 0006) of one folded name per organisation, over
#: the people registered since it was built.
PERSON_NAME_INDEX = "person_name_unique_per_org_new"


def _save_person(person: Person, *, was: tuple[str, int | None] | None = None) -> Person:
    """Standardise, validate and save ``person``. ``was`` is its (name key, organisation)
    before an edit: a person whose name and organisation did not change is not refused for
    a duplicate registered before names were compared."""
    _standardize_fields(person, PERSON_TEXT_FIELDS)
    person.name_key = normalize(person.full_name)
    person.full_clean()
    if was == (person.name_key, person.organization_id):
        person.save()
        return person
    existing = person_same_name(person)
    if existing is not None:
        raise ValidationError({"full_name": person_name_taken_message(existing)})
    # Two requests registering one person at once both pass the check above; the unique
    # index (organization_id, name_key) over new rows makes the second insert wait for the
    # first's transaction and then refuses it. No lock is held per name: a bulk import keeps
    # only its own rows' index entries, and an edit of the organisation does not wait for it.
    # The savepoint keeps the caller's transaction (an import's run) usable after the refusal.
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        diag = getattr(exc.__cause__, "diag", None)
        if getattr(diag, "constraint_name", None) != PERSON_NAME_INDEX:
            raise
        existing = person_same_name(person)
        message = (
            person_name_taken_message(existing)
            if existing is not None
            else "شخصی با همین نام (یا املای دیگری از آن) در همین سازمان ثبت شده است."
        )
        raise ValidationError({"full_name": message}) from exc
    return person


def _registering_org(actor: User, organization: Organization) -> Organization | None:
    scope = org_scope_for_user(actor)
    if scope.has_role(organization.pk, Role.STAFF):
        return organization
    staff_ids = sorted(scope.ids_with_role(Role.STAFF))
    # The actor's own top organisation where they are staff: the lowest id is stable.
    membership = (
        Membership.objects.filter(user=actor, organization_id__in=staff_ids)
        .order_by("organization_id")
        .select_related("organization")
        .first()
    )
    return membership.organization if membership else None


@transaction.atomic
def person_create(*, actor: User, **fields: Any) -> Person:
    """Register a person. Staff may register counterparts of other organisations; their own
    organisation is recorded so that they keep seeing the contact."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ApplicationError(f"فیلد ناشناخته: {', '.join(sorted(unknown))}")
    organization = fields.get("organization")
    if organization is None:
        raise ValidationError({"organization": "سازمان شخص را انتخاب کنید."})
    scope = org_scope_for_user(actor)
    registering = None
    if not scope.everything:
        registering = _registering_org(actor, organization)
        if registering is None:
            raise ApplicationError("برای ثبت شخص باید دست‌کم نقش کارشناس داشته باشید.", status=403)
    person = Person(**fields, registered_by_organization=registering)
    return _save_person(person)


@transaction.atomic
def person_update(*, actor: User, person: Person, **fields: Any) -> Person:
    """Change a person's details. Their past attendances keep the title and organisation
    they had at each meeting (stored on the attendance)."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ApplicationError(f"فیلد ناشناخته: {', '.join(sorted(unknown))}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    scope = org_scope_for_user(actor)
    if not (
        scope.has_role(person.organization_id, Role.STAFF)
        or scope.has_role(person.registered_by_organization_id, Role.STAFF)
    ):
        require_role(actor, person.organization_id, Role.STAFF)
    was = (person.name_key, person.organization_id)
    for name, value in fields.items():
        setattr(person, name, value)
    return _save_person(person, was=was)


@transaction.atomic
def person_link_user(*, actor: User, person: Person, username: str | None) -> Person:
    """Link a person to the login ``username`` (``None``: unlink), so that meeting reminders
    reach them.

    An admin of the person's organisation does it, and the login must be a member of that
    organisation (a person is linked to one login, a login to one person). The role is
    checked before the name is looked up: no one else learns which usernames exist."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_role(actor, person.organization_id, Role.ADMIN)
    user = None
    if username is not None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise ValidationError({"username": f"کاربری با نام «{username}» نیست."})
        if not Membership.objects.filter(
            user=user, organization_id=person.organization_id
        ).exists():
            raise ValidationError(
                {"username": "این کاربر عضو سازمان این شخص نیست؛ نخست عضویت او را ثبت کنید."}
            )
        taken = Person.objects.filter(user=user).exclude(pk=person.pk).first()
        if taken is not None:
            raise ValidationError(
                {"username": f"این کاربر پیش‌تر به «{taken.full_name}» پیوند خورده است."}
            )
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return person


@transaction.atomic
def membership_set(*, actor: User, user: User, organization: Organization, role: str) -> Membership:
    """Give ``user`` a role in ``organization`` (needs the admin role there)."""
    require_role(actor, organization, Role.ADMIN)
    if role not in Role.values:
        raise ValidationError({"role": "نقش نامعتبر است."})
    membership, _ = Membership.objects.update_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    forget_scope(user)
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    require_role(actor, membership.organization_id, Role.ADMIN)
    membership.delete()
    forget_scope(membership.user)


@transaction.atomic
def api_token_create(
    *,
    actor: User,
    name: str,
    read_only: bool = True,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``actor``; returns the row and the plain key, shown only once."""
    if not name.strip():
        raise ValidationError({"name": "نام توکن را وارد کنید."})
    if expires_at is None:
        expires_at = timezone.now() + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": "تاریخ انقضا باید در آینده باشد."})
    # Two logins at once must not both keep one token too many: they queue on the user row.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    for _attempt in range(3):
        key = "trk_" + secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=actor,
                    name=name.strip()[:100],
                    prefix=key[:12],
                    key_hash=secret_hash(key),
                    read_only=read_only,
                    expires_at=expires_at,
                )
        except IntegrityError:  # pragma: no cover - a 256-bit collision
            continue
        _revoke_beyond_limit(user=actor, now=timezone.now())
        return token, key
    raise ApplicationError("ساخت توکن ممکن نشد؛ دوباره تلاش کنید.")  # pragma: no cover


def _live_tokens(user: Any, now: datetime) -> Any:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(expires_at__lte=now)


def _revoke_beyond_limit(*, user: Any, now: datetime) -> None:
    """Keep at most ``API_TOKEN_MAX_PER_USER`` live tokens: the oldest go. Revoking rather
    than refusing keeps a script that logs in on every run working, and bounds what a
    stolen password can mint. The caller holds the user's row lock."""
    keep = (
        _live_tokens(user, now)
        .order_by("-created_at", "-pk")
        .values("pk")[: settings.API_TOKEN_MAX_PER_USER]
    )
    _live_tokens(user, now).exclude(pk__in=keep).update(revoked_at=now)


@transaction.atomic
def api_tokens_revoke_all(*, user: Any) -> int:
    """Revoke every live token of ``user`` (their password changed); returns how many."""
    now = timezone.now()
    return int(_live_tokens(user, now).update(revoked_at=now))


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's tokens (idempotent)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk, user=actor)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token with this key, or None. Marks it used at most once a minute."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=secret_hash(key), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    # Writing on every request would turn each API read into a write; once a minute is
    # precise enough for "last used" and keeps reads read-only.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
