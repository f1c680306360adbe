"""Admin polish: django-axes under a Persian app name and model names, the app list's
headings in Persian (the project's catalogue), and the admin's own password change
counted by django-axes like the other password doors."""

from __future__ import annotations

import gettext
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale" / "fa" / "LC_MESSAGES"
URL = "/admin/password_change/"
OLD = "pass-1234"


@pytest.fixture
def root() -> Any:
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    user.set_password(OLD)
    user.save()
    return user


def _signed_in(user: Any) -> Client:
    client = Client(REMOTE_ADDR="198.51.100.9")
    client.force_login(user)
    return client


def test_the_compiled_catalogue_matches_its_source() -> None:
    source = (LOCALE / "django.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', source, flags=re.M)
    assert pairs
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in pairs:
        assert compiled.gettext(msgid) == msgstr, msgid


def test_the_admin_index_names_axes_and_its_models_in_persian(root: Any) -> None:
    body = _signed_in(root).get("/admin/").content.decode()
    assert "محافظت ورود" in body
    assert "نام مدل" in body
    for english in (">Axes<", "Model name", "Access attempts", "Access logs", "Access failures"):
        assert english not in body
    for persian in ("قفل‌ها و تلاش‌های ورود", "ورودهای موفق", "ورودهای ناموفق"):
        assert persian in body
    app_page = _signed_in(root).get("/admin/axes/").content.decode()
    assert "محافظت ورود" in app_page


@pytest.fixture
def axes_on(settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 10
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def _change(client: Client, old: str) -> Any:
    new = "n3w-Pass-99!"
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.mark.usefixtures("axes_on")
def test_the_admins_password_change_is_locked_after_the_limit_of_wrong_passwords(
    root: Any,
) -> None:
    client = _signed_in(root)
    page = client.get(URL)
    assert page.status_code == 200
    for _ in range(9):
        response = _change(client, "wrong")
        assert response.status_code == 200
        assert "گذرواژه فعلی نادرست است" in response.content.decode()
    assert _change(client, "wrong").status_code == 429
    assert AccessAttempt.objects.get(username="root").failures_since_start == 10
    # The 11th try, with the right current password, is refused too.
    locked = _change(client, OLD)
    assert locked.status_code == 429
    root.refresh_from_db()
    assert root.check_password(OLD)


def test_the_admins_password_change_still_works(root: Any) -> None:
    response = _change(_signed_in(root), OLD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/password_change/done/"
    root.refresh_from_db()
    assert root.check_password("n3w-Pass-99!")
