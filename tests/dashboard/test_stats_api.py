"""The aggregates under /api/v1/stats/: numbers, Jalali buckets, scoping, caching, 304."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache

from agreements.models import AgreementStatusChange
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    AgreementPartyFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
)
from tracker.jalali import TEHRAN

pytestmark = pytest.mark.django_db

# 15 Mordad 1403, a Tuesday: fixed "now" so that months and overdue are reproducible.
NOW = datetime(2024, 8, 5, 12, 0, tzinfo=TEHRAN)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen_now() -> Any:
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


@pytest.fixture(autouse=True)
def empty_stats_cache() -> None:
    from dashboard.cache import bump_generation

    bump_generation()


def at(d: date, hour: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=TEHRAN)


def history(agreement: Any, *steps: tuple[str, datetime]) -> None:
    previous = ""
    for status, when in steps:
        AgreementStatusChange.objects.create(
            agreement=agreement,
            from_status=previous,
            to_status=status,
            at=when,
            lock_version=1,
        )
        previous = status
    type(agreement).objects.filter(pk=agreement.pk).update(
        status=previous, status_changed_at=steps[-1][1]
    )


def get(client: Any, path: str, **params: Any) -> Any:
    response = client.get(f"/api/v1/stats/{path}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_every_answer_names_calendar_and_time_zone(staff_a: Any, client_for: Any) -> None:
    client = client_for(staff_a)
    for path in ("agreements-by-status", "state-durations", "timeline", "action-items", "upcoming"):
        body = get(client, path)
        assert body["calendar"] == "jalali"
        assert body["calendar_cldr"] == "persian"
        assert body["time_zone"] == "Asia/Tehran"


def test_agreements_by_status_counts_only_visible_ones(
    org_a: Any, org_b: Any, staff_a: Any, client_for: Any
) -> None:
    AgreementFactory.create_batch(2, owning_organization=org_a)
    signed = AgreementFactory(owning_organization=org_a)
    history(signed, ("draft", NOW - timedelta(days=9)), ("signed", NOW - timedelta(days=1)))
    AgreementFactory.create_batch(3, owning_organization=org_b)

    body = get(client_for(staff_a), "agreements-by-status")

    counts = {row["status"]: row["count"] for row in body["results"]}
    assert body["total"] == 3
    assert counts["draft"] == 2
    assert counts["signed"] == 1
    draft = next(r for r in body["results"] if r["status"] == "draft")
    assert draft["label"] == "پیش‌نویس"
    assert "status=draft" in draft["url"]


def test_organization_and_province_filters(org_a: Any, client_for: Any) -> None:
    from tests.factories import member

    child = OrganizationFactory(name="شهرک صنعتی", parent=org_a, province="البرز")
    user = member(org_a, "viewer", username="prov")
    AgreementFactory(owning_organization=org_a)
    AgreementFactory(owning_organization=child)
    client = client_for(user)

    assert get(client, "agreements-by-status")["total"] == 2
    assert get(client, "agreements-by-status", organization=child.pk)["total"] == 1
    assert get(client, "agreements-by-status", province="البرز")["total"] == 1
    assert get(client, "agreements-by-status", province="فارس")["total"] == 0


def test_state_durations_median_and_p90(org_a: Any, staff_a: Any, client_for: Any) -> None:
    base = NOW - timedelta(days=200)
    # Internal reviews of 1, 2, ... 10 days: median 5.5, p90 9.1 (linear interpolation).
    for days in range(1, 11):
        agreement = AgreementFactory(owning_organization=org_a)
        history(
            agreement,
            ("draft", base),
            ("internal_review", base + timedelta(days=1)),
            ("legal_review", base + timedelta(days=1 + days)),
        )

    rows = {r["status"]: r for r in get(client_for(staff_a), "state-durations")["results"]}

    assert rows["internal_review"]["completed"] == 10
    assert rows["internal_review"]["median_days"] == 5.5
    assert rows["internal_review"]["p90_days"] == 9.1
    assert rows["draft"]["median_days"] == 1.0
    assert rows["legal_review"]["ongoing"] == 10
    assert rows["legal_review"]["median_days"] is None


def test_timeline_buckets_by_jalali_month_quarter_and_fiscal_year(
    org_a: Any, staff_a: Any, client_for: Any
) -> None:
    # 1403/01/01 is 2024-03-20; 1402/12/29 is 2024-03-19 (last day of fiscal year 1402).
    AgreementFactory(owning_organization=org_a, status="signed", signed_date=date(2024, 3, 19))
    AgreementFactory(owning_organization=org_a, status="in_force", signed_date=date(2024, 3, 20))
    AgreementFactory(owning_organization=org_a, status="expired", signed_date=date(2024, 7, 22))
    # A signing date typed into a draft (or a withdrawn one) is not a signature.
    AgreementFactory(owning_organization=org_a, status="draft", signed_date=date(2024, 7, 23))
    AgreementFactory(owning_organization=org_a, status="withdrawn", signed_date=date(2024, 7, 23))
    # 23:30 Tehran on 1403/04/31 is already 1 Mordad in UTC+0? No: it stays in Tir.
    MeetingFactory(host=org_a, status="held", start=datetime(2024, 7, 21, 23, 30, tzinfo=TEHRAN))
    MeetingFactory(host=org_a, status="held", start=datetime(2024, 7, 22, 0, 30, tzinfo=TEHRAN))
    MeetingFactory(host=org_a, status="planned", start=datetime(2024, 7, 22, 9, tzinfo=TEHRAN))

    body = get(client_for(staff_a), "timeline", date_from="1402/12/01", date_to="2024-08-05")

    months = {m["key"]: m for m in body["months"]}
    assert list(months) == ["1402-12", "1403-01", "1403-02", "1403-03", "1403-04", "1403-05"]
    assert months["1402-12"]["agreements_signed"] == 1
    assert months["1402-12"]["month_name"] == "اسفند"
    assert months["1403-01"]["agreements_signed"] == 1
    assert months["1403-01"]["month_name"] == "فروردین"
    assert months["1403-04"]["meetings_held"] == 1
    assert months["1403-05"]["meetings_held"] == 1
    assert months["1403-05"]["agreements_signed"] == 1
    years = {y["fiscal_year"]: y for y in body["fiscal_years"]}
    assert years[1402]["agreements_signed"] == 1
    assert years[1403]["agreements_signed"] == 2
    assert years[1403]["start"] == "2024-03-20"
    assert years[1403]["start_jalali"] == "1403/01/01"
    assert years[1402]["end_jalali"] == "1402/12/29"
    quarters = {q["key"]: q for q in body["quarters"]}
    assert quarters["1403-Q2"]["months"] == [4, 5]
    assert quarters["1403-Q2"]["start_jalali"] == "1403/04/01"
    assert quarters["1403-Q2"]["end_jalali"] == "1403/05/31"
    assert quarters["1403-Q2"]["meetings_held"] == 2
    assert quarters["1403-Q1"]["label"].startswith("بهار")


def test_bad_filters_are_persian_400s(staff_a: Any, client_for: Any) -> None:
    client = client_for(staff_a)

    impossible = client.get("/api/v1/stats/timeline/", {"date_from": "1400/12/30"})
    reversed_range = client.get(
        "/api/v1/stats/timeline/", {"date_from": "2024-02-01", "date_to": "2024-01-01"}
    )
    days = client.get("/api/v1/stats/upcoming/", {"days": "0"})

    assert impossible.status_code == 400
    assert "date_from" in impossible.json()
    assert reversed_range.status_code == 400
    assert days.status_code == 400


def test_action_items_by_organisation_owner_and_on_time_rate(
    org_a: Any, staff_a: Any, client_for: Any
) -> None:
    meeting = MeetingFactory(host=org_a, start=NOW - timedelta(days=30))
    person = PersonFactory(organization=org_a, full_name="رضا کریمی")
    ActionItemFactory(meeting=meeting, owner_person=person, due_date=TODAY - timedelta(days=2))
    ActionItemFactory(meeting=meeting, due_date=TODAY + timedelta(days=2))
    ActionItemFactory(
        meeting=meeting,
        status="done",
        due_date=TODAY - timedelta(days=5),
        completed_at=at(TODAY - timedelta(days=5), 23),  # on the due day, late evening
    )
    ActionItemFactory(
        meeting=meeting,
        status="done",
        due_date=TODAY - timedelta(days=5),
        completed_at=at(TODAY - timedelta(days=4), 1),
    )

    body = get(client_for(staff_a), "action-items")

    assert body["totals"] == {
        "open": 2,
        "overdue": 1,
        "done": 2,
        "done_on_time": 1,
        "on_time_rate": 0.5,
    }
    org_row = body["by_organization"][0]
    assert org_row["organization"] == org_a.pk
    assert (org_row["open"], org_row["overdue"]) == (2, 1)
    assert body["by_owner"][0]["name"] == "رضا کریمی"
    assert body["by_owner"][0]["overdue"] == 1


def test_upcoming_merges_every_kind_sorted_by_date(
    org_a: Any, staff_a: Any, client_for: Any
) -> None:
    meeting = MeetingFactory(host=org_a, start=NOW + timedelta(days=3))
    ActionItemFactory(meeting=meeting, due_date=TODAY + timedelta(days=1))
    ActionItemFactory(meeting=meeting, due_date=TODAY + timedelta(days=60))  # outside
    AgreementFactory(owning_organization=org_a, review_deadline=TODAY + timedelta(days=5))
    in_force = AgreementFactory(
        owning_organization=org_a,
        effective_date=TODAY - timedelta(days=300),
        expiry_date=TODAY + timedelta(days=10),
    )
    history(in_force, ("draft", NOW - timedelta(days=400)), ("in_force", NOW - timedelta(days=300)))
    reviewing = AgreementFactory(owning_organization=org_a)
    # The internal review limit is 7 days: entered 5 days ago, due in 2.
    history(
        reviewing, ("draft", NOW - timedelta(days=9)), ("internal_review", NOW - timedelta(days=5))
    )

    body = get(client_for(staff_a), "upcoming", days=30)

    kinds = [row["kind"] for row in body["results"]]
    assert kinds == ["action_item", "state_limit", "meeting", "review_deadline", "expiry"]
    dates = [row["date"] for row in body["results"]]
    assert dates == sorted(dates)
    assert body["results"][0]["date_jalali"] == "1403/05/16"


def test_user_of_b_sees_none_of_as_numbers(org_a: Any, staff_b: Any, client_for: Any) -> None:
    meeting = MeetingFactory(host=org_a, status="held", start=NOW - timedelta(days=3))
    ActionItemFactory(meeting=meeting, due_date=TODAY + timedelta(days=1))
    AgreementFactory(owning_organization=org_a, signed_date=TODAY, review_deadline=TODAY)
    client = client_for(staff_b)

    assert get(client, "agreements-by-status")["total"] == 0
    assert get(client, "action-items")["totals"]["open"] == 0
    assert get(client, "upcoming")["results"] == []
    assert all(m["meetings_held"] == 0 for m in get(client, "timeline")["months"])
    # Filtering by A's id does not open A's rows either.
    assert get(client, "agreements-by-status", organization=org_a.pk)["total"] == 0


def test_internal_drafts_stay_hidden_from_parties(
    org_a: Any, org_b: Any, staff_b: Any, client_for: Any
) -> None:
    draft = AgreementFactory(owning_organization=org_a)
    AgreementPartyFactory(agreement=draft, organization=org_b)
    negotiating = AgreementFactory(owning_organization=org_a)
    AgreementPartyFactory(agreement=negotiating, organization=org_b)
    history(negotiating, ("draft", NOW - timedelta(days=3)), ("negotiation", NOW))

    counts = {
        r["status"]: r["count"] for r in get(client_for(staff_b), "agreements-by-status")["results"]
    }

    assert counts["draft"] == 0
    assert counts["negotiation"] == 1


def test_answer_is_cached_and_a_write_invalidates_it(
    org_a: Any, staff_a: Any, client_for: Any
) -> None:
    from agreements.models import Agreement

    client = client_for(staff_a)
    AgreementFactory(owning_organization=org_a)
    first = client.get("/api/v1/stats/agreements-by-status/")
    # A write that bypasses signals and updated_at is still served stale from the cache...
    Agreement.objects.update(status="signed")
    assert client.get("/api/v1/stats/agreements-by-status/").json()["results"][0]["count"] == 1
    # ...while an ordinary write (save(): updated_at moves, signals fire) is seen at once.
    AgreementFactory(owning_organization=org_a)
    fresh = client.get("/api/v1/stats/agreements-by-status/")

    assert first.json()["total"] == 1
    assert fresh.json()["total"] == 2
    assert fresh["ETag"] != first["ETag"]


def test_conditional_get_answers_304_until_data_changes(
    org_a: Any, staff_a: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(staff_a)
    AgreementFactory(owning_organization=org_a)
    etag = client.get("/api/v1/stats/agreements-by-status/")["ETag"]

    # A 304 runs only the scope and fingerprint queries, never the aggregate.
    with django_assert_max_num_queries(3):
        again = client.get("/api/v1/stats/agreements-by-status/", HTTP_IF_NONE_MATCH=etag)
    AgreementFactory(owning_organization=org_a)
    changed = client.get("/api/v1/stats/agreements-by-status/", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert changed.status_code == 200


@pytest.mark.parametrize(
    "path", ["agreements-by-status", "state-durations", "timeline", "action-items", "upcoming"]
)
def test_query_count_does_not_grow_with_rows(
    path: str, org_a: Any, staff_a: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def world(n: int) -> None:
        for i in range(n):
            meeting = MeetingFactory(host=org_a, status="held", start=NOW - timedelta(days=i))
            ActionItemFactory(meeting=meeting, due_date=TODAY + timedelta(days=i % 20))
            agreement = AgreementFactory(
                owning_organization=org_a,
                signed_date=TODAY - timedelta(days=i),
                review_deadline=TODAY + timedelta(days=i % 20),
            )
            history(
                agreement,
                ("draft", NOW - timedelta(days=30)),
                ("internal_review", NOW - timedelta(days=i % 9)),
            )

    from organizations.scoping import forget_scope

    client = client_for(staff_a)
    world(5)
    # The viewer's summary scope is registered (and built) on the first request only.
    client.get(f"/api/v1/stats/{path}/")
    cache.clear()
    forget_scope(staff_a)
    with CaptureQueriesContext(connection) as five:
        client.get(f"/api/v1/stats/{path}/")
    world(45)
    cache.clear()
    forget_scope(staff_a)
    # The same number at 50 rows: scope (memberships + tree), the fingerprint, then a fixed
    # set of grouped queries per aggregate (1 to 6), none per row.
    with django_assert_num_queries(len(five.captured_queries)):
        client.get(f"/api/v1/stats/{path}/")
    assert len(five.captured_queries) <= 10


def test_a_signed_date_on_an_unsigned_agreement_is_not_a_signature(
    org_a: Any, staff_a: Any, client_for: Any
) -> None:
    client = client_for(staff_a)
    AgreementFactory(owning_organization=org_a, status="signed", signed_date=TODAY)
    AgreementFactory(owning_organization=org_a, status="draft", signed_date=TODAY)

    body = get(client, "timeline", date_from="1403/05/01")

    month = body["months"][-1]
    assert month["key"] == "1403-05"
    assert month["agreements_signed"] == 1
    # The month's link opens the list it counted: the draft is not on it.
    page = client.get(month["agreements_url"].replace("/agreements/", "/api/v1/agreements/", 1))
    assert page.status_code == 200
    assert page.json()["count"] == 1


def test_aggregates_about_now_do_not_take_a_date_range(
    org_a: Any, staff_a: Any, client_for: Any
) -> None:
    """By status and upcoming describe today: a date range is not read, and the answer's
    echo says so (it used to be validated and echoed as if it had been applied)."""
    AgreementFactory(owning_organization=org_a)
    client = client_for(staff_a)
    for path in ("agreements-by-status", "upcoming"):
        body = get(client, path, date_from="1399/01/01", date_to="1399/06/01")
        assert body["filters"]["date_from"] is None
        assert body["filters"]["date_to"] is None
    assert get(client, "agreements-by-status", date_to="1399/06/01")["total"] == 1
    # The aggregates over time still take it.
    assert get(client, "timeline", date_from="1403/01/01")["filters"]["date_from"] == "2024-03-20"


def test_an_unknown_organization_is_a_persian_400(
    org_a: Any, staff_a: Any, client_for: Any
) -> None:
    client = client_for(staff_a)
    for path in ("agreements-by-status", "timeline", "action-items", "upcoming"):
        response = client.get(f"/api/v1/stats/{path}/", {"organization": 999999})
        assert response.status_code == 400, path
        assert response.json()["organization"] == ["سازمانی با این شناسه نیست."]
    # An organisation of the directory is fine, even outside the user's scope (zeros).
    other = OrganizationFactory()
    assert get(client, "agreements-by-status", organization=other.pk)["total"] == 0


def test_times_are_given_in_tehran_time(org_a: Any, staff_a: Any, client_for: Any) -> None:
    MeetingFactory(host=org_a, status="planned", start=NOW + timedelta(days=2))
    client = client_for(staff_a)
    body = get(client, "upcoming")
    assert body["generated_at"].endswith("+03:30")
    meeting = next(row for row in body["results"] if row["kind"] == "meeting")
    assert meeting["at"] == (NOW + timedelta(days=2)).isoformat()
    assert meeting["at"].endswith("+03:30")


def test_each_row_links_its_overdue_items(org_a: Any, staff_a: Any, client_for: Any) -> None:
    meeting = MeetingFactory(host=org_a, start=NOW - timedelta(days=30))
    person = PersonFactory(organization=org_a)
    ActionItemFactory(
        meeting=meeting,
        owner_organization=org_a,
        owner_person=person,
        due_date=TODAY - timedelta(days=3),
    )
    ActionItemFactory(
        meeting=meeting,
        owner_organization=org_a,
        owner_person=person,
        due_date=TODAY + timedelta(days=3),
    )
    client = client_for(staff_a)
    body = get(client, "action-items")
    for row in (body["by_organization"][0], body["by_owner"][0]):
        assert (row["open"], row["overdue"]) == (2, 1)
        api_url = row["overdue_url"].replace("/meetings/action-items/", "/api/v1/action-items/", 1)
        listed = client.get(api_url).json()
        assert listed["count"] == 1, row["overdue_url"]
        api_url = row["url"].replace("/meetings/action-items/", "/api/v1/action-items/", 1)
        assert client.get(api_url).json()["count"] == 2


def test_an_organisation_filter_counts_the_items_its_list_shows(
    org_a: Any, org_b: Any, staff_a: Any, client_for: Any
) -> None:
    # Found by a tester: «باز: ۴» on the card of organisation A, one row behind its link. The
    # count took the items of A's meetings, the list the items A owns.
    meeting = MeetingFactory(host=org_a, start=NOW - timedelta(days=30))
    meeting.participants.add(org_b)
    ActionItemFactory(meeting=meeting, owner_organization=org_b, due_date=TODAY)
    ActionItemFactory(meeting=meeting, owner_organization=org_b, due_date=TODAY)
    ActionItemFactory(meeting=meeting, due_date=TODAY)  # owned by A, the host
    client = client_for(staff_a)

    for org, expected in ((org_a, 1), (org_b, 2)):
        body = get(client, "action-items", organization=org.pk)
        listed = client.get(
            "/api/v1/action-items/", {"organization": org.pk, "status": "open"}
        ).json()["count"]
        assert body["totals"]["open"] == listed == expected
        assert sum(row["open"] for row in body["by_organization"]) == expected
