"""Every list endpoint runs as many queries for a page of 100 rows as for a page of 10.

The data comes from ``seed_demo`` at a small scale (bulk rows obeying the domain's rules),
topped up so that each list has more than 100 rows the user may see. The user is a
manager of every top-level organisation: a scoped user (no superuser short-cut) who sees
everything, so each page is full.
"""

from __future__ import annotations

import base64
import re
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from meetings.models import Meeting
from notifications.choices import Channel, DeliveryStatus, ReminderState, RuleCode
from notifications.models import Delivery, Reminder
from organizations.choices import OrganizationKind, Role
from organizations.models import ApiToken, Membership, Organization, Person
from tracker.text import normalize

LISTS = (
    "/api/v1/meetings/",
    "/api/v1/action-items/",
    "/api/v1/agreements/",
    "/api/v1/organizations/",
    "/api/v1/people/",
    "/api/v1/tokens/",
)
#: The inbox pages by number (no keyset cursor, no deferred join): only the query pin.
INBOX = "/api/v1/notifications/"


@pytest.fixture(scope="module")
def seeded_user(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Seed once for the module (scale 0.05: 500 meetings, 2,500 action items, 100
    agreements) and remove it all afterwards: other tests expect an empty database."""
    with django_db_blocker.unblock():
        try:
            call_command(
                "seed_demo", "--scale", "0.05", "--today", date(2025, 6, 1).isoformat(),
                stdout=StringIO(),
            )  # fmt: skip
            user = get_user_model().objects.get(username="seed_manager")
            roots = Organization.objects.filter(parent__isnull=True).exclude(memberships__user=user)
            Membership.objects.bulk_create(
                [Membership(user=user, organization=o, role=Role.MANAGER) for o in roots]
            )
            extra = [
                Organization(
                    name=f"شهرداری آزمایشی {i}",
                    name_key=normalize(f"شهرداری آزمایشی {i}"),
                    kind=OrganizationKind.MUNICIPALITY,
                    province="تهران",
                )
                for i in range(100)
            ]
            Organization.objects.bulk_create(extra)
            Membership.objects.bulk_create(
                [Membership(user=user, organization=o, role=Role.VIEWER) for o in extra]
            )
            Person.objects.bulk_create(
                Person(full_name=f"نماینده {i}", name_key=f"نماینده {i}", organization=o)
                for i, o in enumerate(extra)
            )
            now = timezone.now()
            ApiToken.objects.bulk_create(
                ApiToken(
                    user=user,
                    name=f"توکن {i}",
                    prefix=f"p{i:05d}",
                    key_hash=f"{i:064d}",
                    expires_at=now + timedelta(days=30),
                )
                for i in range(110)
            )
            assert Person.objects.count() >= 100
            # The inbox: 110 in-app messages delivered to the user.
            meeting_type = ContentType.objects.get_for_model(Meeting)
            reminders = Reminder.objects.bulk_create(
                Reminder(
                    content_type=meeting_type,
                    object_id=i + 1,
                    rule=RuleCode.CUSTOM,
                    kind=f"inbox:{i}",
                    recipient=user,
                    due_at=now - timedelta(hours=i),
                    anchor_at=now,
                    state=ReminderState.DISPATCHED,
                    title=f"پیام {i}",
                )
                for i in range(110)
            )
            Delivery.objects.bulk_create(
                Delivery(
                    reminder=reminder,
                    recipient=user,
                    channel=Channel.IN_APP,
                    status=DeliveryStatus.SENT,
                    sent_at=reminder.due_at,
                )
                for reminder in reminders
            )
            yield user
        finally:
            # No migration inserts rows (no RunPython): flushing restores the empty database
            # the other tests expect, even when seeding failed half-way.
            call_command("flush", "--noinput", verbosity=0)


def _count(client: APIClient, url: str, page_size: int) -> tuple[int, dict[str, Any]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*LISTS, INBOX])
def test_queries_do_not_depend_on_the_page_size(seeded_user: Any, url: str) -> None:
    client = APIClient()
    client.force_authenticate(user=seeded_user)
    _count(client, url, 10)  # warm caches that are filled once per process (content types)
    small, body_small = _count(client, url, 10)
    large, body_large = _count(client, url, 100)

    # A full page of 100 proves the rows were there to be fetched.
    assert body_large["count"] >= 100
    assert len(body_small["results"]) == 10
    assert len(body_large["results"]) == 100
    assert small == large, f"{url}: {small} queries at 10 rows, {large} at 100"


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
def test_deep_pages_read_through_the_deferred_join_serve_the_same_rows(
    seeded_user: Any, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deep page chosen by the narrow id subquery (tracker.api.pagination) has the rows,
    order and number of queries of the plain OFFSET page."""
    from tracker.api import pagination

    client = APIClient()
    client.force_authenticate(user=seeded_user)
    params = {"page_size": 10, "page": 3}
    _count(client, url, 10)  # warm per-process caches
    monkeypatch.setattr(pagination.limits, "DEFERRED_JOIN_FROM", 10**9)
    with CaptureQueriesContext(connection) as plain_ctx:
        plain = client.get(url, params).json()
    monkeypatch.setattr(pagination.limits, "DEFERRED_JOIN_FROM", 0)
    with CaptureQueriesContext(connection) as deferred_ctx:
        deferred = client.get(url, params).json()

    assert len(deferred["results"]) == 10
    assert deferred == plain
    assert len(deferred_ctx.captured_queries) == len(plain_ctx.captured_queries)
    # The page's rows were chosen by the id subquery (not a plain OFFSET on the full rows).
    assert any(
        "IN (SELECT" in q["sql"] and "OFFSET 20" in q["sql"] for q in deferred_ctx.captured_queries
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
def test_the_count_stops_at_the_limit_and_the_pages_go_on(
    seeded_user: Any, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``COUNT_LIMIT`` rows ``count`` is the limit and ``count_exact`` false; following
    ``next`` still reaches every row, in the same order and with the same number of queries
    per page as with an exact count; ``page=last`` counts them all."""
    from tracker.api import pagination

    client = APIClient()
    client.force_authenticate(user=seeded_user)
    _count(client, url, 10)  # warm per-process caches
    monkeypatch.setattr(pagination.limits, "COUNT_LIMIT", 10**9)
    exact_queries, exact = _count(client, url, 25)
    total = exact["count"]
    assert exact["count_exact"] is True
    assert total > 60

    monkeypatch.setattr(pagination.limits, "COUNT_LIMIT", 60)
    capped_queries, capped = _count(client, url, 25)
    assert (capped["count"], capped["count_exact"]) == (60, False)
    assert capped_queries == exact_queries
    assert capped["results"] == exact["results"]

    # Follow ``next`` to the end: every row once, in the exact mode's order.
    monkeypatch.setattr(pagination.limits, "COUNT_LIMIT", 10**9)
    everything = client.get(url, {"page_size": 200}).json()
    ids_exact = [r["id"] for r in everything["results"]]
    page = 2
    while everything["next"]:
        more = client.get(url, {"page_size": 200, "page": page}).json()
        ids_exact += [r["id"] for r in more["results"]]
        everything, page = more, page + 1
    monkeypatch.setattr(pagination.limits, "COUNT_LIMIT", 60)
    ids_capped: list[int] = []
    link: str | None = f"{url}?page_size=25"
    while link:
        response = client.get(link)
        assert response.status_code == 200, (link, response.content[:200])
        body = response.json()
        assert body["count_exact"] is False
        ids_capped += [r["id"] for r in body["results"]]
        link = body["next"]
    assert ids_capped == ids_exact
    assert len(ids_capped) == total

    # Past the end: a Persian 404, as with an exact count.
    beyond = client.get(url, {"page_size": 25, "page": total // 25 + 2})
    assert beyond.status_code == 404
    assert "صفحه نامعتبر است" in beyond.json()["detail"]
    # page=last counts exactly.
    last = client.get(url, {"page_size": 25, "page": "last"}).json()
    assert (last["count"], last["count_exact"], last["next"]) == (total, True, None)
    assert [r["id"] for r in last["results"]] == ids_exact[(total - 1) // 25 * 25 :]


@pytest.mark.django_db
def test_the_limited_count_reads_at_most_the_limit(
    seeded_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.api import pagination

    client = APIClient()
    client.force_authenticate(user=seeded_user)
    monkeypatch.setattr(pagination.limits, "COUNT_LIMIT", 60)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/api/v1/action-items/", {"page_size": 10})
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1
    assert "LIMIT 61" in counts[0]


def _walk(client: APIClient, first: str) -> tuple[list[int], list[str]]:
    """Follow ``next`` from ``first``: every row id, and the links followed."""
    ids: list[int] = []
    links: list[str] = []
    link: str | None = first
    while link:
        response = client.get(link)
        assert response.status_code == 200, (link, response.content[:200])
        body = response.json()
        ids += [r["id"] for r in body["results"]]
        link = body["next"]
        if link:
            links.append(link)
    return ids, links


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
def test_next_links_are_keyset_cursors_over_the_same_rows(seeded_user: Any, url: str) -> None:
    """``next`` carries a cursor (no OFFSET in the page's SQL), the pages it leads to hold
    the numbered pages' rows in the same order, with the same number of queries, and
    ``previous`` goes back by page number."""
    client = APIClient()
    client.force_authenticate(user=seeded_user)
    numbered: list[int] = []
    page = 1
    while True:
        body = client.get(url, {"page_size": 40, "page": page}).json()
        numbered += [r["id"] for r in body["results"]]
        if not body["next"]:
            break
        page += 1

    ids, links = _walk(client, f"{url}?page_size=40")

    assert ids == numbered
    assert len(set(ids)) == len(ids)
    assert links
    assert all("cursor=" in link and "page=" not in link for link in links)
    with CaptureQueriesContext(connection) as numbered_ctx:
        client.get(url, {"page_size": 40, "page": 2})
    with CaptureQueriesContext(connection) as cursor_ctx:
        second = client.get(links[0]).json()
    assert len(cursor_ctx.captured_queries) == len(numbered_ctx.captured_queries)
    # (``OFFSET 0`` is the agreement visibility's per-row probe, not a skip.)
    assert not any(re.search(r"OFFSET [1-9]", q["sql"]) for q in cursor_ctx.captured_queries)
    assert any(re.search(r"OFFSET [1-9]", q["sql"]) for q in numbered_ctx.captured_queries)
    assert second["previous"] is not None
    assert "cursor" not in second["previous"]
    assert [r["id"] for r in client.get(second["previous"]).json()["results"]] == numbered[:40]


@pytest.mark.django_db
def test_cursors_follow_a_chosen_order_with_the_id_as_tie_breaker(seeded_user: Any) -> None:
    client = APIClient()
    client.force_authenticate(user=seeded_user)
    ids, _ = _walk(client, "/api/v1/meetings/?ordering=title&page_size=30")
    from meetings.models import Meeting

    rows = list(
        Meeting.objects.filter(pk__in=ids).order_by("title", "id").values_list("id", flat=True)
    )
    assert ids == rows


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        "e30",  # {}
        # a well-formed cursor for another order
        base64.urlsafe_b64encode(b'{"p": 2, "o": ["title", "id"], "v": ["x", 1]}').decode(),
        # the right order, a value of the wrong type
        base64.urlsafe_b64encode(
            b'{"p": 2, "o": ["-start", "-id"], "v": ["yesterday", 1]}'
        ).decode(),
    ],
)
def test_a_bad_cursor_is_a_persian_404(seeded_user: Any, cursor: str) -> None:
    client = APIClient()
    client.force_authenticate(user=seeded_user)
    response = client.get("/api/v1/meetings/", {"cursor": cursor})
    assert response.status_code == 404
    assert "cursor" in response.json()["detail"]
    assert "نامعتبر" in response.json()["detail"]
