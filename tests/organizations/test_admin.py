"""The admin is Persian and every date field in it is typed and shown in Jalali."""

import pytest
from django.contrib import admin
from django.db import models

from tests.factories import UserFactory
from tracker.jalali import JalaliAdminMixin


def _has_date_fields(model: type[models.Model]) -> bool:
    return any(isinstance(f, models.DateField) for f in model._meta.get_fields())


def test_every_admin_with_dates_uses_the_jalali_mixin():
    offenders = []
    for model, model_admin in admin.site._registry.items():
        if not _has_date_fields(model):
            continue
        if not isinstance(model_admin, JalaliAdminMixin):
            offenders.append(model.__name__)
        for inline in model_admin.inlines:
            if _has_date_fields(inline.model) and not issubclass(inline, JalaliAdminMixin):
                offenders.append(f"{model.__name__}.{inline.__name__}")
    assert offenders == []


@pytest.mark.django_db
def test_user_change_page_offers_the_jalali_picker(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    html = client.get(f"/admin/auth/user/{root.pk}/change/").content.decode()
    assert "data-jdp" in html
    assert "jalalidatepicker" in html.lower()


@pytest.mark.django_db
def test_read_only_dates_in_the_admin_are_jalali(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from organizations.models import ApiToken
    from organizations.services import api_token_create

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    token, _key = api_token_create(actor=root, name="BI")
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=datetime(2020, 8, 1, 10, 30, tzinfo=ZoneInfo("Asia/Tehran"))
    )
    client.force_login(root)
    html = client.get(f"/admin/organizations/apitoken/{token.pk}/change/").content.decode()
    assert "۱۳۹۹/۰۵/۱۱ ساعت ۱۰:۳۰" in html
