"""Browser: the meeting form where a new user stumbled (issue 13) — the Jalali picker by
keyboard and with Persian digits, a chosen person filling their row, the searchable
participants, and the «سازمان تازه» dialog. Every select has an accessible name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from organizations import demo as organizations_demo
from organizations.models import Organization

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NATIVE_VALUE = (
    "e => Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').get.call(e)"
)
PICKER_SHOWN = (
    "() => { const c = document.querySelector('jdp-container');"
    " return !!c && c.style.display !== 'none' && c.style.visibility !== 'hidden'; }"
)
#: axe's select-name, as far as these pages need it: a visible select is named by a label
#: (for=), aria-label or aria-labelledby.
UNNAMED_SELECTS = """() => [...document.querySelectorAll('select')]
  .filter(s => s.offsetParent !== null || s.closest('jdp-container'))
  .filter(s => !(s.getAttribute('aria-label') || s.getAttribute('aria-labelledby')
                 || (s.id && document.querySelector(`label[for="${s.id}"]`))
                 || s.closest('label')))
  .map(s => s.outerHTML.slice(0, 120))"""


def _open_form(page: Any, live_server: Any) -> Any:
    orgs = organizations_demo.load()
    login(page, live_server, "karshenas", settings.DEMO_PASSWORD)
    page.goto(live_server.url + "/meetings/new/")
    return orgs


def _row(page: Any, prefix: str, index: int) -> None:
    fieldset = page.locator(f"fieldset.formset[data-prefix='{prefix}']")
    while fieldset.locator("[data-row]").count() <= index:
        fieldset.locator("button.add-row").click()


def test_the_picker_works_by_keyboard_and_keeps_persian_digits(
    page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    _open_form(page, live_server)
    start = page.locator("#id_start")
    start.click()
    page.keyboard.type("1399/05/11 10:00")
    # While typing, the input shows Persian digits in the Jalali order (no Latin switch).
    assert start.evaluate(NATIVE_VALUE) == "۱۳۹۹/۰۵/۱۱ ۱۰:۰۰"
    assert page.evaluate(PICKER_SHOWN)
    page.wait_for_timeout(350)  # the picker's show transition
    # Its year, month, hour and minute selects have accessible names.
    names = page.evaluate(
        "() => [...document.querySelectorAll('jdp-container select')]"
        ".map(s => s.getAttribute('aria-label'))"
    )
    assert {"ماه", "ساعت", "دقیقه"} <= set(names), names
    assert all(names), names
    assert page.evaluate(UNNAMED_SELECTS) == []
    page.screenshot(path=str(artifacts_dir / "meeting-form-picker.png"))

    # Escape closes the picker and keeps the focus in the field.
    page.keyboard.press("Escape")
    assert not page.evaluate(PICKER_SHOWN)
    assert page.evaluate("document.activeElement.id") == "id_start"

    # Tab out closes it too, and the focus moves on.
    start.click()
    page.wait_for_timeout(350)
    assert page.evaluate(PICKER_SHOWN)
    page.keyboard.press("Tab")
    page.wait_for_timeout(50)
    assert not page.evaluate(PICKER_SHOWN)
    assert page.evaluate("document.activeElement.id") != "id_start"
    assert start.input_value() == "۱۳۹۹/۰۵/۱۱ ۱۰:۰۰"


def test_choosing_a_person_fills_the_row(page: Any, live_server: Any) -> None:
    orgs = _open_form(page, live_server)
    _row(page, "attendances", 0)
    page.select_option("#id_attendances-0-person", str(orgs.director.pk))
    assert page.input_value("#id_attendances-0-position_title") == orgs.director.position_title
    assert page.input_value("#id_attendances-0-organization") == str(orgs.estates_company.pk)
    # Editable: what the user changes is kept when another person is chosen.
    page.fill("#id_attendances-0-position_title", "مدیر فنی")
    page.select_option("#id_attendances-0-person", str(orgs.mayor.pk))
    assert page.input_value("#id_attendances-0-position_title") == "مدیر فنی"
    assert page.input_value("#id_attendances-0-organization") == str(orgs.municipality.pk)

    _row(page, "action_items", 0)
    page.select_option("#id_action_items-0-owner_person", str(orgs.director.pk))
    assert page.input_value("#id_action_items-0-owner_organization") == str(orgs.estates_company.pk)


def test_participants_are_a_searchable_keyboard_choice(page: Any, live_server: Any) -> None:
    orgs = _open_form(page, live_server)
    control = page.locator(".cell-participants .ts-control input")
    control.focus()
    # Arabic ي/ك and a space for the half-space: found regardless of spelling.
    page.keyboard.type("شهركهاي صنعتي شهرستان")
    # The list refreshes shortly after typing stops; Enter picks the active option.
    options = page.locator(".ts-dropdown .option")
    options.filter(has_text="شهرستان قدس").wait_for()
    page.wait_for_function("() => document.querySelectorAll('.ts-dropdown .option').length === 1")
    page.keyboard.press("Enter")
    chosen = page.evaluate(
        "() => [...document.querySelector('select[name=participants]').selectedOptions]"
        ".map(o => o.value)"
    )
    assert chosen == [str(orgs.qods_estates.pk)], chosen
    assert page.evaluate(UNNAMED_SELECTS) == []


def test_a_new_organisation_is_added_from_the_form(
    page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    _open_form(page, live_server)
    page.locator("button.add-organization").click()
    dialog = page.locator("dialog.org-dialog")
    dialog.locator("#org_name").wait_for()
    # A mistake first: the Persian field error shows in the dialog, which stays open.
    dialog.locator("button[type=submit]").click()
    error = dialog.locator("[data-errors-for=name] .field-error")
    error.wait_for()
    assert "لازم" in error.inner_text()
    dialog.locator("#org_name").fill("شهرك صنعتي نصيرآباد")
    dialog.locator("#org_kind").select_option("industrial_estate")
    page.screenshot(path=str(artifacts_dir / "meeting-form-new-organisation.png"))
    dialog.locator("button[type=submit]").click()
    dialog.wait_for(state="hidden")
    created = Organization.objects.get(name="شهرک صنعتی نصیرآباد")
    chosen = page.evaluate(
        "() => [...document.querySelector('select[name=participants]').selectedOptions]"
        ".map(o => o.value)"
    )
    assert chosen == [str(created.pk)]
    # Every organisation choice of the form offers it now, rows added later too.
    _row(page, "attendances", 0)
    options = page.evaluate(
        "() => [...document.querySelectorAll('#id_attendances-0-organization option')]"
        ".map(o => o.value)"
    )
    assert str(created.pk) in options

    # From a row's organisation choice: «+ سازمان تازه…», then Escape cancels it.
    page.select_option("#id_attendances-0-organization", "__new_organization__")
    dialog.wait_for(state="visible")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.input_value("#id_attendances-0-organization") == ""
