"""The token API: own tokens only, key shown once and stored hashed, read-only enforced."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from organizations.models import ApiToken
from organizations.services import api_token_create

pytestmark = pytest.mark.django_db


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_create_returns_the_key_once_and_stores_only_its_hash(
    staff_a: Any, client_for: Any
) -> None:
    response = client_for(staff_a).post(
        "/api/v1/tokens/", {"name": "BI", "read_only": True}, format="json"
    )

    assert response.status_code == 201, response.content
    key = response.json()["key"]
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(token.__dict__.values())
    listed = client_for(staff_a).get("/api/v1/tokens/").json()["results"]
    assert [row["id"] for row in listed] == [token.pk]
    assert "key" not in listed[0]
    assert listed[0]["read_only"] is True
    assert listed[0]["is_active"] is True


def test_created_key_authenticates_and_records_last_use(staff_a: Any, client_for: Any) -> None:
    key = client_for(staff_a).post("/api/v1/tokens/", {"name": "BI"}, format="json").json()["key"]

    response = token_client(key).get("/api/v1/tokens/")

    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["last_used_at"] is not None
    assert row["last_used_at_jalali"].count("/") == 2


def test_expiry_accepts_a_jalali_date_and_refuses_the_past(staff_a: Any, client_for: Any) -> None:
    client = client_for(staff_a)
    next_year = timezone.localdate().year - 621 + 1  # a Jalali year certainly in the future

    ok = client.post(
        "/api/v1/tokens/", {"name": "BI", "expires_at": f"{next_year}/06/15 10:00"}, format="json"
    )
    past = client.post(
        "/api/v1/tokens/", {"name": "BI", "expires_at": "2001-01-01T00:00:00Z"}, format="json"
    )

    assert ok.status_code == 201, ok.content
    assert ok.json()["expires_at_jalali"].startswith(f"{next_year}/06/15")
    assert past.status_code == 400
    assert "expires_at" in past.json()


def test_unknown_field_is_a_400_not_ignored(staff_a: Any, client_for: Any) -> None:
    response = client_for(staff_a).post("/api/v1/tokens/", {"name": "BI", "user": 1}, format="json")

    assert response.status_code == 400
    assert "user" in response.json()


def test_users_see_and_revoke_only_their_own_tokens(
    staff_a: Any, staff_b: Any, client_for: Any
) -> None:
    token_a, _ = api_token_create(actor=staff_a, name="A")

    client_b = client_for(staff_b)
    listed = client_b.get("/api/v1/tokens/").json()["results"]
    read = client_b.get(f"/api/v1/tokens/{token_a.pk}/")
    revoke = client_b.post(f"/api/v1/tokens/{token_a.pk}/revoke/")

    assert listed == []
    assert read.status_code == 404
    assert revoke.status_code == 404
    token_a.refresh_from_db()
    assert token_a.revoked_at is None


def test_revoked_token_no_longer_authenticates(staff_a: Any, client_for: Any) -> None:
    token, key = api_token_create(actor=staff_a, name="A")
    assert token_client(key).get("/api/v1/tokens/").status_code == 200

    response = client_for(staff_a).post(f"/api/v1/tokens/{token.pk}/revoke/")

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert token_client(key).get("/api/v1/tokens/").status_code == 401


def test_expired_token_is_refused(staff_a: Any) -> None:
    token, key = api_token_create(actor=staff_a, name="A")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert token_client(key).get("/api/v1/tokens/").status_code == 401


def test_read_only_token_reads_but_cannot_write(staff_a: Any) -> None:
    _, key = api_token_create(actor=staff_a, name="ro", read_only=True)
    client = token_client(key)

    assert client.get("/api/v1/tokens/").status_code == 200
    response = client.post("/api/v1/tokens/", {"name": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "این توکن فقط خواندنی است."
    assert ApiToken.objects.filter(user=staff_a).count() == 1


def test_read_write_token_cannot_mint_a_longer_lived_token(staff_a: Any) -> None:
    parent, key = api_token_create(
        actor=staff_a, name="rw", read_only=False, expires_at=timezone.now() + timedelta(days=2)
    )
    client = token_client(key)
    later = (timezone.now() + timedelta(days=30)).isoformat()

    refused = client.post("/api/v1/tokens/", {"name": "x", "expires_at": later}, format="json")
    capped = client.post("/api/v1/tokens/", {"name": "y"}, format="json")

    assert refused.status_code == 400
    assert "expires_at" in refused.json()
    assert capped.status_code == 201
    assert ApiToken.objects.get(pk=capped.json()["id"]).expires_at == parent.expires_at


def test_token_list_query_count_is_constant(
    staff_a: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(staff_a)
    for i in range(5):
        api_token_create(actor=staff_a, name=f"t{i}")
    # 2 queries: the page's count and the page itself (session auth is forced, no lookup).
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/tokens/").json()["results"]) == 5
    for i in range(45):
        api_token_create(actor=staff_a, name=f"u{i}")
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/tokens/").json()["results"]) == 50


def test_list_has_an_etag_and_answers_304_while_unchanged(staff_a: Any, client_for: Any) -> None:
    client = client_for(staff_a)
    api_token_create(actor=staff_a, name="A")
    first = client.get("/api/v1/tokens/")
    etag = first["ETag"]

    again = client.get("/api/v1/tokens/", HTTP_IF_NONE_MATCH=etag)
    api_token_create(actor=staff_a, name="B")
    changed = client.get("/api/v1/tokens/", HTTP_IF_NONE_MATCH=etag)

    assert etag.startswith('W/"')
    assert "private" in first["Cache-Control"]
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_anonymous_gets_401(api_client: APIClient) -> None:
    assert api_client.get("/api/v1/tokens/").status_code in (401, 403)


# --- Throttling and CORS ------------------------------------------------------------------


def test_user_throttle_answers_429_in_persian_through_the_default_cache(
    staff_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rest_framework.throttling import SimpleRateThrottle

    from tracker.api.throttling import UserRateThrottle

    # The throttle counts in django.core.cache.cache, the default cache: Redis whenever
    # REDIS_URL is set, so every web process shares one count.
    assert SimpleRateThrottle.cache is cache
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/min", "anon": "2/min"})
    monkeypatch.setattr(UserRateThrottle, "timer", lambda self: 600.0)  # window 10, at its start
    keys = [f"throttle_user_{staff_a.pk}:{w}" for w in (9, 10, 11)]
    cache.delete_many(keys)
    _, key = api_token_create(actor=staff_a, name="t")
    client = token_client(key)

    codes = [client.get("/api/v1/tokens/").status_code for _ in range(3)]
    last = client.get("/api/v1/tokens/")
    counted = cache.get(keys[1])
    # Retry-After is when one more fits: 90 s later (window 11, half way) the two requests
    # of window 10 weigh one; a second earlier they weigh a little more.
    monkeypatch.setattr(UserRateThrottle, "timer", lambda self: 689.0)
    too_early = client.get("/api/v1/tokens/").status_code
    monkeypatch.setattr(UserRateThrottle, "timer", lambda self: 690.0)
    on_time = client.get("/api/v1/tokens/").status_code
    cache.delete_many(keys)

    assert codes == [200, 200, 429]
    assert "Retry-After" in last
    assert int(last["Retry-After"]) == 91  # 90 s and the rounding margin, rounded up
    assert "محدود" in last.json()["detail"]
    assert counted == 2  # refused requests are not counted, as in DRF
    assert too_early == 429
    assert on_time == 200


def test_a_client_asking_faster_than_its_rate_still_gets_its_rate(
    staff_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking every 10 s at 3 a minute (twice the rate) for five minutes: about 3 a minute
    get through, never a permanent lock-out; after waiting Retry-After, the next one passes."""
    from tracker.api.throttling import UserRateThrottle

    clock = {"now": 60_000.5}
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min", "anon": "3/min"})
    monkeypatch.setattr(UserRateThrottle, "timer", lambda self: clock["now"])
    cache.delete_many([f"throttle_user_{staff_a.pk}:{w}" for w in range(999, 1007)])
    client = token_client(api_token_create(actor=staff_a, name="t")[1])
    per_minute = []
    for _ in range(5):
        allowed = 0
        for _ in range(6):
            allowed += client.get("/api/v1/tokens/").status_code == 200
            clock["now"] += 10
        per_minute.append(allowed)
    refused = client.get("/api/v1/tokens/")
    while refused.status_code == 200:
        refused = client.get("/api/v1/tokens/")
    clock["now"] += float(refused["Retry-After"])
    after_waiting = client.get("/api/v1/tokens/").status_code
    cache.delete_many([f"throttle_user_{staff_a.pk}:{w}" for w in range(999, 1007)])

    assert per_minute[0] == 3
    assert all(2 <= n <= 3 for n in per_minute[1:]), per_minute
    assert after_waiting == 200


def test_the_throttle_counts_each_user_apart(
    staff_a: Any, staff_b: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.api.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1/min", "anon": "1/min"})
    monkeypatch.setattr(UserRateThrottle, "timer", lambda self: 6000.0)
    cache.delete_many([f"throttle_user_{u.pk}:100" for u in (staff_a, staff_b)])
    a = token_client(api_token_create(actor=staff_a, name="a")[1])
    b = token_client(api_token_create(actor=staff_b, name="b")[1])
    assert [a.get("/api/v1/tokens/").status_code, a.get("/api/v1/tokens/").status_code] == [
        200,
        429,
    ]
    assert b.get("/api/v1/tokens/").status_code == 200
    cache.delete_many([f"throttle_user_{u.pk}:100" for u in (staff_a, staff_b)])


@override_settings(CORS_ALLOWED_ORIGINS=["https://bi.example.org"])
def test_cors_allows_only_the_configured_origin(staff_a: Any) -> None:
    _, key = api_token_create(actor=staff_a, name="t")
    client = token_client(key)

    allowed = client.get("/api/v1/tokens/", HTTP_ORIGIN="https://bi.example.org")
    preflight = client.options(
        "/api/v1/tokens/",
        HTTP_ORIGIN="https://bi.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    other = client.get("/api/v1/tokens/", HTTP_ORIGIN="https://evil.example.com")

    assert allowed["Access-Control-Allow-Origin"] == "https://bi.example.org"
    assert preflight.status_code == 200
    assert "authorization" in preflight["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Origin" not in other


def test_redis_is_the_default_cache_when_redis_url_is_set() -> None:
    import os

    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "tracker.cache.RedisCache"
    else:
        assert backend.endswith("FileBasedCache")


def test_the_redis_cache_keeps_one_client_per_pool() -> None:
    import os

    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not os.environ.get("REDIS_URL"):  # the embedded development cache is on disk
        assert not isinstance(backend, RedisCache)
        return
    assert isinstance(backend, RedisCache)  # Django's backend, with the client kept
    first = backend._cache.get_client(write=True)
    assert backend._cache.get_client(write=True) is first
    backend.set("client-reuse-check", {"n": 1}, 30)
    assert backend.get("client-reuse-check") == {"n": 1}
    backend.delete("client-reuse-check-n")
    assert backend.add("client-reuse-check-n", 0, 30)
    assert backend.incr("client-reuse-check-n") == 1
    backend.delete_many(["client-reuse-check", "client-reuse-check-n"])


def test_a_date_alone_means_the_end_of_that_day_as_on_the_profile_page(
    staff_a: Any, client_for: Any
) -> None:
    from dashboard.forms import end_of_day
    from tracker.jalali import TEHRAN, jalali_string

    client = client_for(staff_a)
    today = timezone.localdate(timezone.now(), TEHRAN)
    later = today + timedelta(days=40)
    from tracker.jalali import MONTH_NAMES, to_jalali_date

    j = to_jalali_date(later)
    for typed, day in (
        (jalali_string(later), later),  # 1405/10/15
        (later.isoformat(), later),  # 2027-01-05
        (f"{j.day} {MONTH_NAMES[j.month - 1]} {j.year}", later),  # 15 دی 1405
        (jalali_string(today), today),  # today: still good until midnight
    ):
        response = client.post(
            "/api/v1/tokens/", {"name": f"until {typed}", "expires_at": typed}, format="json"
        )
        assert response.status_code == 201, (typed, response.content)
        token = ApiToken.objects.get(pk=response.json()["id"])
        assert token.expires_at == end_of_day(day)
        assert response.json()["expires_at_jalali"].endswith("23:59")
    # A time given with the date is kept as it is.
    timed = client.post(
        "/api/v1/tokens/",
        {"name": "timed", "expires_at": f"{jalali_string(later)} 10:00"},
        format="json",
    )
    assert timed.json()["expires_at_jalali"] == f"{jalali_string(later)} 10:00"
