"""Time every list and aggregate endpoint against its floor, in one process, on one database.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/endpoints.py --out result.json

Called by ``bench/run_all.py`` once per scale (the database is already seeded). For each
endpoint: warm-up, then ``ROUNDS`` rounds alternating API request and floor request (so
background load hits both alike), medians of each, their ratio; query counts at
page_size 10 and 100. Aggregates are cached in Redis by the app: the cache is cleared
before every timed aggregate request (outside the timing), so the numbers are cold-cache
computations; the cached time is reported apart.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.test")
os.environ.pop("TEST_DB_NAME", None)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
LISTS = (
    "/api/v1/meetings/",
    "/api/v1/action-items/",
    "/api/v1/agreements/",
    "/api/v1/organizations/",
    "/api/v1/people/",
)
AGGREGATES = (
    "/api/v1/stats/agreements-by-status/",
    "/api/v1/stats/state-durations/",
    "/api/v1/stats/timeline/",
    "/api/v1/stats/action-items/",
    "/api/v1/stats/upcoming/",
    "/api/v1/stats/commitments/",
)


def _timed(client: Any, url: str, params: dict[str, Any] | None = None) -> float:
    started = time.perf_counter()
    response = client.get(url, params or {})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return elapsed * 1000


def _plain(sql: str) -> str:
    """A server-side cursor's DECLARE (``.iterator()``) replayed as the plain SELECT."""
    if sql.startswith("DECLARE "):
        return sql.split(" FOR ", 1)[1]
    return sql


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--only", default="", help="comma-separated substrings: time only matching endpoints"
    )
    args = parser.parse_args()
    only = [s for s in args.only.split(",") if s]

    def wanted(url: str) -> bool:
        return not only or any(s in url for s in only)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import clear_url_caches
    from rest_framework.test import APIClient

    from bench import floors
    from meetings.models import ActionItem, Meeting

    settings.ROOT_URLCONF = "bench.floors"
    clear_url_caches()
    user = get_user_model().objects.get(username="seed_manager")
    floors.BENCH_USER["user"] = user
    api = APIClient()
    api.force_authenticate(user=user)
    plain = Client()
    result: dict[str, Any] = {
        "rounds": ROUNDS,
        "meetings": Meeting.objects.count(),
        "action_items": ActionItem.objects.count(),
        "endpoints": {},
    }

    def queries(url: str, **params: Any) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url, params)
        assert response.status_code == 200, response.content[:300]
        return len(ctx.captured_queries)

    for url in filter(wanted, LISTS):
        floor_url = "/floor/" + url.split("/")[3] + "/"
        page = {"page_size": 50}
        api_response = api.get(url, page)
        floor_response = plain.get(floor_url, page)
        # The floor must serve the same rows: same count, same ids, same keys.
        a, f = api_response.json(), floor_response.json()
        assert (a["count"], a["count_exact"]) == (f["count"], f["count_exact"]), url
        assert [r["id"] for r in a["results"]] == [r["id"] for r in f["results"]], url
        assert set(a["results"][0]) == set(f["results"][0]), (
            url,
            set(a["results"][0]) ^ set(f["results"][0]),
        )
        for _ in range(3):
            api.get(url, page)
            plain.get(floor_url, page)
        api_ms, floor_ms = [], []
        for _ in range(ROUNDS):
            api_ms.append(_timed(api, url, page))
            floor_ms.append(_timed(plain, floor_url, page))
        # The deepest page: ``page=last`` (read backwards from the end; a page number
        # further than MAX_PAGE_OFFSET rows from both ends is a 404 since issue 17).
        total = api.get(url, {"page_size": "50", "page": "last"}).json()["count"]
        deep = {"page_size": 50, "page": "last"}
        deep_ms = statistics.median(_timed(api, url, deep) for _ in range(5))
        # The same deepest page reached through a ``next`` cursor (keyset, no OFFSET), when
        # the page before it can be asked for by number.
        before_last = api.get(url, {"page_size": "50", "page": str(max(1, total // 50 - 1))})
        cursor_link = before_last.json().get("next") if before_last.status_code == 200 else None
        deep_cursor_ms = (
            statistics.median(_timed(api, cursor_link) for _ in range(5)) if cursor_link else None
        )
        result["endpoints"][url] = {
            "kind": "list",
            "count": total,
            "count_exact": a["count_exact"],
            "api_ms": statistics.median(api_ms),
            "floor_ms": statistics.median(floor_ms),
            "ratio": statistics.median(api_ms) / statistics.median(floor_ms),
            "deep_page_ms": deep_ms,
            "deep_cursor_ms": deep_cursor_ms,
            "queries_10": queries(url, page_size=10),
            "queries_100": queries(url, page_size=100),
            "queries_50": queries(url, page_size=50),
        }
        print(url, json.dumps(result["endpoints"][url]), flush=True)

    for url in filter(wanted, AGGREGATES):
        name = url.rstrip("/").rsplit("/", 1)[1]
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url)
        assert response.status_code == 200, response.content[:300]
        floors.CAPTURED_SQL[name] = [_plain(q["sql"]) for q in ctx.captured_queries]
        floor_url = f"/floor/sql/{name}/"
        for _ in range(2):
            cache.clear()
            api.get(url)
            plain.get(floor_url)
        api_ms, floor_ms = [], []
        for _ in range(ROUNDS):
            cache.clear()
            api_ms.append(_timed(api, url))
            floor_ms.append(_timed(plain, floor_url))
        api.get(url)
        cached_ms = statistics.median(_timed(api, url) for _ in range(5))
        result["endpoints"][url] = {
            "kind": "aggregate",
            "api_ms": statistics.median(api_ms),
            "floor_ms": statistics.median(floor_ms),
            "ratio": statistics.median(api_ms) / statistics.median(floor_ms),
            "cached_ms": cached_ms,
            "queries": len(floors.CAPTURED_SQL[name]),
        }
        print(url, json.dumps(result["endpoints"][url]), flush=True)

    Path(args.out).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
