"""Admin of organisations, people, memberships and API tokens (in Persian, Jalali dates)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from tracker.actors import actor_of
from tracker.admin_display import InlineSelectRelatedMixin
from tracker.jalali.admin import JalaliAdminMixin, jalali_display
from tracker.text import normalize

from . import services
from .models import ApiToken, Membership, Organization, Person


class OrganizationAdminForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ("name", "kind", "province", "county", "city", "parent", "is_active")

    def clean(self) -> dict[str, Any]:
        # The name is unique within its parent, so it is checked once both are read.
        data = super().clean() or {}
        if "name" in data and "parent" in data:
            probe = Organization(pk=self.instance.pk, name=data["name"], parent=data["parent"])
            if services.organization_name_taken(probe):
                self.add_error("name", services.NAME_TAKEN)
        return data


class PersonAdminForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = (
            "full_name",
            "position_title",
            "organization",
            "phone",
            "email",
            "user",
        )

    def clean(self) -> dict[str, Any]:
        # Two spellings of one name in one organisation are one person (the service refuses
        # the second; here the refusal is a form error, not a 500). An edit that keeps the
        # name and organisation is not refused for a namesake registered earlier.
        data = super().clean() or {}
        name, organization = data.get("full_name"), data.get("organization")
        if name and organization is not None:
            probe = Person(pk=self.instance.pk, full_name=name, organization=organization)
            existing = services.person_same_name(probe)
            unchanged = (
                self.instance.pk is not None
                and self.instance.organization_id == organization.pk
                and self.instance.name_key == normalize(name)
            )
            if existing is not None and not unchanged:
                self.add_error("full_name", services.person_name_taken_message(existing))
        self._clean_user(data)
        return data

    def _clean_user(self, cleaned: dict[str, Any]) -> None:
        """The rules of services.person_link_user, as form errors on «کاربر» (a login of
        the person's organisation, linked to one person), so saving never drops the choice."""
        user, organization = cleaned.get("user"), cleaned.get("organization")
        if user is not None and organization is not None:
            if not Membership.objects.filter(user=user, organization=organization).exists():
                self.add_error(
                    "user", "این کاربر عضو سازمان این شخص نیست؛ نخست عضویت او را ثبت کنید."
                )
            else:
                taken = Person.objects.filter(user=user).exclude(pk=self.instance.pk).first()
                if taken is not None:
                    self.add_error(
                        "user", f"این کاربر پیش‌تر به «{taken.full_name}» پیوند خورده است."
                    )


class MembershipInline(InlineSelectRelatedMixin, JalaliAdminMixin, admin.TabularInline):
    model = Membership
    extra = 0
    # The row's label names the user and the organisation. The user's autocomplete widget
    # still reads its selected option once per row (Django's AutocompleteSelect does).
    inline_select_related = ("user", "organization")
    autocomplete_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(JalaliAdminMixin, admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = (
        "name",
        "kind",
        "province",
        "county",
        "parent",
        "is_active",
        jalali_display("updated_at", "آخرین ویرایش"),
    )
    list_filter = ("kind", "province", "is_active")
    # The parent is nullable: Django's automatic select_related() would not follow it.
    list_select_related = ("parent",)
    search_fields = ("name", "name_key", "county", "city")
    autocomplete_fields = ("parent",)
    inlines = (MembershipInline,)

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in OrganizationAdminForm.Meta.fields}
        if change:
            saved = services.organization_update(
                actor=actor_of(request), organization=obj, **fields
            )
        else:
            saved = services.organization_create(actor=actor_of(request), **fields)
        obj.pk = saved.pk
        obj.name_key = saved.name_key


@admin.register(Person)
class PersonAdmin(JalaliAdminMixin, admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ("full_name", "position_title", "organization", "phone", "email")
    list_filter = ("organization__kind",)
    list_select_related = ("organization",)
    search_fields = ("full_name", "name_key", "position_title", "organization__name")
    autocomplete_fields = ("organization", "user")
    # Who registered the contact is the service's to record (person_create), not typed here.
    readonly_fields = ("registered_by_organization",)
    fields = (*PersonAdminForm.Meta.fields, "registered_by_organization")

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        actor = actor_of(request)
        fields = {name: form.cleaned_data[name] for name in services.PERSON_FIELDS}
        if change:
            saved = services.person_update(actor=actor, person=obj, **fields)
        else:
            saved = services.person_create(actor=actor, **fields)
        obj.pk = saved.pk
        # «کاربر» through the service that links a login (a tester saw the choice dropped).
        user = form.cleaned_data.get("user")
        if (user.pk if user else None) != saved.user_id:
            services.person_link_user(
                actor=actor, person=saved, username=user.get_username() if user else None
            )


@admin.register(Membership)
class MembershipAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ("user", "organization", "role", jalali_display("created_at", "زمان ایجاد"))
    list_filter = ("role",)
    search_fields = ("user__username", "organization__name")
    list_select_related = ("user", "organization")
    autocomplete_fields = ("user", "organization")


@admin.register(ApiToken)
class ApiTokenAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "read_only",
        jalali_display("expires_at", "انقضا"),
        jalali_display("last_used_at", "آخرین استفاده"),
        jalali_display("revoked_at", "ابطال"),
    )
    list_filter = ("read_only",)
    list_select_related = ("user",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    fields = (
        "user",
        "name",
        "prefix",
        "read_only",
        "expires_at",
        "revoked_at",
        "created_at",
        "last_used_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The plain key is shown once on creation; the profile page and the API do that.
        return False


# The built-in user admin gets the same Jalali date fields as every other model.
User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class JalaliUserAdmin(JalaliAdminMixin, UserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "is_staff",
        jalali_display("last_login", "آخرین ورود"),
    )
