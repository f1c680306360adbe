"""The Jalali package: a core that loads no Django, and the old names still importable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import tracker.jalali
from tracker.jalali import admin, drf, forms

ROOT = Path(__file__).resolve().parents[2]

# What formatting or parsing a date must not load: the reason the module became a package.
HEAVY = ("rest_framework", "drf_spectacular", "django.forms", "django.contrib.admin", "django.db")

PROBE = """
import json, sys
from datetime import date
import tracker.jalali as j
from tracker.jalali import calendar, formatting, parsing
day = j.parse_date("۱۱ مرداد ۱۳۹۹")
print(json.dumps({
    "formatted": j.format_date(day, "weekday"),
    "twin": j.jalali_string(day),
    "loaded": sorted(m for m in sys.modules if m.startswith(%r)),
}))
"""


def test_the_core_formats_and_parses_without_loading_forms_admin_drf_or_the_orm() -> None:
    # A fresh interpreter: the test process itself has all of Django loaded already.
    out = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", PROBE % (HEAVY,)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    assert result["formatted"] == "شنبه ۱۱ مرداد ۱۳۹۹"
    assert result["twin"] == "1399/05/11"
    assert result["loaded"] == []


def test_the_adapters_are_re_exported_from_the_package_under_their_old_names() -> None:
    assert tracker.jalali.JalaliDateField is forms.JalaliDateField
    assert tracker.jalali.JalaliDateTimeWidget is forms.JalaliDateTimeWidget
    assert tracker.jalali.PICKER_JS == forms.PICKER_JS
    assert tracker.jalali.JalaliDateSerializerField is drf.JalaliDateSerializerField
    assert tracker.jalali.JalaliTwinField is drf.JalaliTwinField
    assert tracker.jalali.JalaliAdminMixin is admin.JalaliAdminMixin
    assert tracker.jalali.jalali_display is admin.jalali_display
    for name in tracker.jalali.__all__:
        assert getattr(tracker.jalali, name) is not None, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="JalaliNothing"):
        tracker.jalali.JalaliNothing  # noqa: B018 - the access is the test
