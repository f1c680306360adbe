"""Numbers past the database's range in filters, ids and bodies: Persian 4xx, never 500.

PostgreSQL's ``bigint`` ends at 2**63 - 1; a larger number compared with an id column raised
``DataError`` (a 500). Every id filter of every FilterSet, every path id and the integer
fields of the input serializers are listed here, so a new one is a new row of a table.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import AgreementFactory
from tracker.filters import MAX_ID

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
TOO_BIG = [HUGE, "-" + HUGE, str(MAX_ID + 1), "1e400", "۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹۹", "1.5"]

#: (list, parameter): every id filter of the FilterSets behind the API lists.
ID_FILTERS = [
    ("organizations", "parent"),
    ("people", "organization"),
    ("meetings", "organization"),
    ("meetings", "agreement"),
    ("meetings", "series"),
    ("action-items", "owner"),
    ("action-items", "organization"),
    ("action-items", "agreement"),
    ("action-items", "meeting"),
    ("agreements", "party"),
    ("agreements", "owning_organization"),
    ("agreements", "organization"),
]


@pytest.mark.parametrize(("resource", "parameter"), ID_FILTERS)
@pytest.mark.parametrize("value", TOO_BIG)
def test_an_id_filter_out_of_range_is_a_persian_400_naming_it(
    client_for: Any, staff_a: Any, resource: str, parameter: str, value: str
) -> None:
    response = client_for(staff_a).get(f"/api/v1/{resource}/", {parameter: value})

    assert response.status_code == 400
    assert "شناسه درستی نیست" in response.json()[parameter][0]


@pytest.mark.parametrize(("resource", "parameter"), ID_FILTERS[:2])
def test_an_id_filter_in_range_still_filters(
    client_for: Any, staff_a: Any, org_a: Any, resource: str, parameter: str
) -> None:
    response = client_for(staff_a).get(f"/api/v1/{resource}/", {parameter: str(MAX_ID)})

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("value", TOO_BIG)
@pytest.mark.parametrize("resource", ["meetings", "people", "notifications"])
def test_pagination_numbers_out_of_range_are_4xx(
    client_for: Any, staff_a: Any, resource: str, value: str
) -> None:
    client = client_for(staff_a)

    page = client.get(f"/api/v1/{resource}/", {"page": value})
    size = client.get(f"/api/v1/{resource}/", {"page_size": value})

    # An out-of-range page is DRF's 404 «صفحه نامعتبر است»; a size past the maximum is cut to
    # it (documented), one that is not a whole number from 1 is a 400 naming page_size.
    assert page.status_code == 404
    assert page.json()["detail"] == "صفحه نامعتبر است."
    assert size.status_code in (200, 400)
    if size.status_code == 400:
        assert "page_size" in size.json()


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/meetings/?date_from=99999999/01/01", "date_from"),
        ("/api/v1/action-items/?due_after=1399/99999999999/01", "due_after"),
        ("/api/v1/action-items/?due_before=1399/01/99999999999", "due_before"),
        ("/api/v1/agreements/?expiry_date_from=۹۹۹۹۹۹۹۹۹۹۹۹-۰۱-۰۱", "expiry_date_from"),
        (f"/api/v1/stats/agreements-by-status/?organization={HUGE}", "organization"),
    ],
)
def test_dates_and_stats_numbers_out_of_range_are_400_naming_the_field(
    client_for: Any, staff_a: Any, url: str, parameter: str
) -> None:
    response = client_for(staff_a).get(url)

    assert response.status_code == 400
    assert parameter in response.json()


PATHS = [
    "/api/v1/meetings/{}/",
    "/api/v1/action-items/{}/",
    "/api/v1/agreements/{}/",
    "/api/v1/agreements/{}/versions/",
    "/api/v1/agreements/{}/versions/{}/",
    "/api/v1/agreements/{}/history/",
    "/api/v1/organizations/{}/",
    "/api/v1/people/{}/",
    "/api/v1/tokens/{}/",
    "/meetings/{}/",
    "/meetings/{}/edit/",
    "/meetings/{}/minutes/",
    "/meetings/{}/minutes.pdf",
    "/meetings/{}/meeting.ics",
    "/agreements/{}/",
    "/agreements/{}/edit/",
    "/agreements/{}/compare/",
    "/agreements/{}/export/pdf/",
    "/organizations/{}/",
    "/organizations/people/{}/edit/",
]
POST_PATHS = [
    "/meetings/{}/mark-held/",
    "/meetings/{}/cancel/",
    "/meetings/{}/approve-minutes/",
    "/meetings/{}/addenda/",
    "/meetings/action-items/{}/complete/",
    "/meetings/action-items/{}/reassign/",
    "/agreements/{}/transition/",
    "/agreements/{}/approve/",
    "/agreements/{}/parties/add/",
    "/dashboard/tokens/{}/revoke/",
    "/api/v1/meetings/{}/mark-held/",
    "/api/v1/agreements/{}/transitions/",
]


@pytest.mark.parametrize("template", PATHS)
def test_a_path_id_past_bigint_is_a_404(client_for: Any, staff_a: Any, template: str) -> None:
    client = client_for(staff_a)
    client.force_login(staff_a)

    response = client.get(template.format(HUGE, HUGE))

    assert response.status_code == 404
    if template.startswith("/api/"):
        assert response.json() == {"detail": "پیدا نشد."}


@pytest.mark.parametrize("template", POST_PATHS)
def test_a_posted_path_id_past_bigint_is_a_404(
    client_for: Any, staff_a: Any, template: str
) -> None:
    client = client_for(staff_a)
    client.force_login(staff_a)

    response = client.post(template.format(HUGE), {}, format="json")

    assert response.status_code == 404


def test_body_ids_past_bigint_are_400s_naming_the_field(
    client_for: Any, staff_a: Any, org_a: Any
) -> None:
    client = client_for(staff_a)
    big = int(HUGE)

    meeting = client.post(
        "/api/v1/meetings/",
        {"title": "جلسه", "start": "1399/05/11 10:00", "host": big},
        format="json",
    )
    organization = client.post(
        "/api/v1/organizations/", {"name": "سازمان", "kind": "other", "parent": big}, format="json"
    )

    assert meeting.status_code == 400
    assert "host" in meeting.json()
    assert organization.status_code == 400
    assert "parent" in organization.json()


def test_a_head_count_past_its_column_is_a_400_naming_it(
    client_for: Any, staff_a: Any, org_a: Any
) -> None:
    response = client_for(staff_a).post(
        "/api/v1/meetings/",
        {
            "title": "جلسه",
            "start": "1399/05/11 10:00",
            "host": org_a.pk,
            "attendances": [{"group_label": "هیئت", "organization": org_a.pk, "head_count": 2**40}],
        },
        format="json",
    )

    assert response.status_code == 400
    # The rows' errors are keyed by their index (the project's list serializer).
    assert "head_count" in response.json()["attendances"]["0"]


def test_version_numbers_past_the_column_are_4xx(client_for: Any, staff_a: Any, org_a: Any) -> None:
    agreement = AgreementFactory(owning_organization=org_a)
    client = client_for(staff_a)

    stale = client.patch(
        f"/api/v1/agreements/{agreement.pk}/", {"lock_version": 2**70}, format="json"
    )
    base = client.post(
        f"/api/v1/agreements/{agreement.pk}/versions/",
        {"text": "متن", "base_version": 2**70},
        format="json",
    )

    assert stale.status_code == 412
    assert base.status_code == 400
    assert "base_version" in base.json()


@pytest.mark.parametrize(
    ("url", "field", "limit"),
    [
        ("/api/v1/agreements/", "subject", 5_000),
        ("/api/v1/meetings/", "notes", 10_000),
    ],
)
def test_free_text_past_its_limit_is_a_persian_400_naming_it(
    client_for: Any, staff_a: Any, org_a: Any, url: str, field: str, limit: int
) -> None:
    body: dict[str, Any] = (
        {"owning_organization": org_a.pk, "reference_number": "ت/۱", "title": "همکاری"}
        if "agreements" in url
        else {"title": "جلسه", "start": "1399/05/11 10:00", "host": org_a.pk}
    )

    response = client_for(staff_a).post(url, {**body, field: "ی" * (limit + 1)}, format="json")

    assert response.status_code == 400
    assert "نویسه" in response.json()[field][0]
