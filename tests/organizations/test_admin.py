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
