"""Tester's minor items (issue 16): Persian digits kept in a re-shown form, the clause's
wording, names instead of ids in the list's filters and chips, Persian labels in the
browsable API, and the home greeting by the person's name."""

from __future__ import annotations

import re
from typing import Any

import pytest

from commitments.api.serializers import CommitmentInputSerializer, CompleteInputSerializer
from tests.factories import OrganizationFactory, PersonFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def _value(body: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', body)
    return found.group(1) if found else ""


def test_a_date_typed_in_latin_digits_comes_back_in_persian_digits_after_an_error(
    client: Any, staff_a: Any, agreement: Any, party_b: Any
) -> None:
    client.force_login(staff_a)
    body = client.post(
        f"/commitments/new/{agreement.pk}/",
        {
            "party": party_b.pk,
            "title": "گزارش ماهانه",
            "due_date": "1403/02/01",
            "recurrence": "monthly",
            "repeat_until": "1403/01/01",  # before the due date: the service refuses
        },
    ).content.decode()
    assert "پیش از مهلت نخست" in body
    assert _value(body, "due_date") == "۱۴۰۳/۰۲/۰۱"
    assert _value(body, "repeat_until") == "۱۴۰۳/۰۱/۰۱"
    # An unreadable date is shown as typed (Persian digits), with its Persian error.
    bad = client.post(
        f"/commitments/new/{agreement.pk}/",
        {"party": party_b.pk, "title": "x", "due_date": "1403/13/40", "recurrence": "none"},
    ).content.decode()
    assert _value(bad, "due_date") == "۱۴۰۳/۱۳/۴۰"


@pytest.mark.parametrize(
    ("clause", "shown"),
    [("ماده ۳", "ماده ۳"), ("3", "بند ۳"), ("بند 2-1", "بند ۲-۱"), ("تبصره ۱", "تبصره ۱")],
)
def test_the_clause_is_named_as_the_field_says(
    make_commitment: Any, client: Any, staff_a: Any, clause: str, shown: str
) -> None:
    commitment = make_commitment(clause=clause)
    assert commitment.clause_label == shown
    client.force_login(staff_a)
    listing = client.get("/commitments/").content.decode()
    assert f"({shown})" in listing
    assert "بند ماده" not in listing
    assert shown in client.get(f"/commitments/{commitment.pk}/").content.decode()


def test_the_list_names_its_filters_in_the_controls_and_the_chips(
    make_commitment: Any, client: Any, staff_a: Any, party_b: Any, org_b: Any
) -> None:
    commitment = make_commitment()
    client.force_login(staff_a)
    url = (
        f"/commitments/?agreement={commitment.agreement_id}&organization={org_b.pk}"
        f"&party={party_b.pk}&commitment={commitment.pk}&status=open&due_after=1403/01/01"
    )
    body = client.get(url).content.decode()
    # The id-only filters are hidden inputs, not number boxes.
    assert re.search(rf'<input type="hidden" name="party" value="{party_b.pk}"', body)
    assert re.search(rf'<input type="hidden" name="commitment" value="{commitment.pk}"', body)
    assert "(شناسه)" not in body.split('class="chips', 1)[0].split("filter-box", 1)[1]
    chips = body.split('class="chips', 1)[1].split("</ul>", 1)[0]
    assert commitment.agreement.reference_number in chips
    assert "شهرداری ب" in chips  # the organisation and the party by name
    assert commitment.title in chips
    assert "باز" in chips
    assert "۱۴۰۳/۰۱/۰۱" in chips
    assert str(party_b.pk) not in re.sub(r'href="[^"]*"', "", chips)
    # Each chip removes its own filter.
    assert f'href="?agreement={commitment.agreement_id}&amp;organization={org_b.pk}' in chips


def test_a_chip_never_names_a_commitment_the_user_may_not_see(
    make_commitment: Any, client: Any
) -> None:
    commitment = make_commitment()
    stranger = member(OrganizationFactory(name="شهرداری ج"), username="stranger")
    client.force_login(stranger)
    body = client.get(f"/commitments/?commitment={commitment.pk}").content.decode()
    assert commitment.title not in body
    assert "نامعلوم" in body


def test_the_api_serializers_have_persian_labels() -> None:
    fields = CommitmentInputSerializer().fields
    assert fields["due_date"].label == "مهلت"
    assert fields["party"].label.startswith("طرف متعهد")
    assert fields["due_date"].help_text
    assert CompleteInputSerializer().fields["files"].label == "فایل‌های مستند"
    for name, field in fields.items():
        assert not re.search(r"[A-Za-z]", str(field.label)), name


def test_the_browsable_api_describes_the_fields_in_persian(
    client: Any, staff_a: Any, make_commitment: Any
) -> None:
    client.force_login(staff_a)
    actions = client.options("/api/v1/commitments/").json()["actions"]["POST"]
    english = {n: f["label"] for n, f in actions.items() if re.search("[A-Za-z]", f["label"])}
    assert english == {}
    assert actions["due_date"]["label"] == "مهلت"
    nested = actions["occurrences"]["child"]["children"]
    assert nested["status_display"]["label"] == "وضعیت (عنوان)"


def test_the_home_greeting_uses_the_persons_name_then_the_full_name(
    client: Any, org_a: Any
) -> None:
    user = member(org_a, username="u123", first_name="علی", last_name="رضایی")
    client.force_login(user)
    assert "سلام علی رضایی" in client.get("/").content.decode()
    PersonFactory(full_name="مهندس زهرا احمدی", organization=org_a, user=user)
    assert "سلام مهندس زهرا احمدی" in client.get("/").content.decode()
    bare = UserFactory(username="bare_login", first_name="", last_name="")
    client.force_login(bare)
    assert "سلام bare_login" in client.get("/").content.decode()
