"""Search on every list against the same list without ``q`` (issue 17), on one database.

    DATABASE_URL=<seeded db> REDIS_URL=... .venv/bin/python bench/search.py --out r.json

For each list: the median of ``ROUNDS`` requests (page_size 50, as ``seed_manager``, who
sees everything: a ministry's scope) without ``q``, then with a frequent, a rare and an
absent term (and a two-term query where the data has one: ranked by similarity), the
``count`` and ``count_exact`` of each, and the ``EXPLAIN (ANALYZE, BUFFERS)`` of the
searched page's SQL as the request ran it, with whether the plan reads the list's trigram
index. ``--only`` takes comma-separated substrings of the URLs. ``--plans`` also writes
every plan to the file next to ``--out`` (``.plans.txt``).
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

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "9"))
ABSENT = "زعفران"
#: url: (index name, frequent, rare, two terms or None) — chosen on seed_demo's data: at
#: scale 1 the frequent term is in 10–15 % of the rows, the rare one in one to a few.
TERMS: dict[str, tuple[str, str, str, str | None]] = {
    "/api/v1/meetings/": ("meeting_search_trgm", "پسماند", "8239", "شهرک صنعتی"),
    "/api/v1/action-items/": ("actionitem_search_trgm", "پیش‌نویس", "سبزوار7", None),
    "/api/v1/agreements/": ("agreement_search_trgm", "پسماند", "01386", "شهرک صنعتی"),
    "/api/v1/organizations/": ("organization_search_trgm", "صنعتی", "بناب5", "شهرک صنعتی"),
    "/api/v1/people/": ("person_search_trgm", "حقوقی", "امیر کریمی", None),
}


def _timed(client: Any, url: str, params: dict[str, Any]) -> float:
    started = time.perf_counter()
    response = client.get(url, params)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", default="")
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    only = [s for s in args.only.split(",") if s]

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from meetings.models import Meeting

    user = get_user_model().objects.get(username="seed_manager")
    api = APIClient()
    api.force_authenticate(user=user)
    result: dict[str, Any] = {"rounds": ROUNDS, "meetings": Meeting.objects.count(), "lists": {}}
    plans: list[str] = []

    def measure(url: str, params: dict[str, Any]) -> float:
        for _ in range(2):
            api.get(url, params)
        return statistics.median(_timed(api, url, params) for _ in range(ROUNDS))

    def explain(url: str, params: dict[str, Any], index: str) -> tuple[bool, str]:
        with CaptureQueriesContext(connection) as ctx:
            api.get(url, params)
        searched = [q["sql"] for q in ctx.captured_queries if "search_text" in q["sql"]]
        # The page's rows: the searched query with a LIMIT that is not the count's.
        page_sql = next(
            (sql for sql in searched if "LIMIT" in sql and "COUNT(" not in sql.upper()),
            searched[-1],
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + page_sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        return index in plan, plan

    for url, (index, frequent, rare, phrase) in TERMS.items():
        if only and not any(s in url for s in only):
            continue
        page: dict[str, Any] = {"page_size": 50}
        row: dict[str, Any] = {"list_ms": measure(url, page), "terms": {}}
        terms = {"frequent": frequent, "rare": rare, "absent": ABSENT}
        if phrase:
            terms["two terms"] = phrase
        for kind, term in terms.items():
            params: dict[str, Any] = {**page, "q": term}
            body = api.get(url, params).json()
            ms = measure(url, params)
            uses_index, plan = explain(url, params, index)
            plans.append(f"## {url} q={term} ({kind})\n{plan}\n")
            row["terms"][kind] = {
                "q": term,
                "ms": ms,
                "ratio": ms / row["list_ms"],
                "count": body["count"],
                "count_exact": body["count_exact"],
                "index": uses_index,
                "execution": plan.rsplit("Execution Time:", 1)[-1].strip(),
            }
        result["lists"][url] = row
        print(url, json.dumps(row, ensure_ascii=False), flush=True)

    out = Path(args.out)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    if args.plans:
        out.with_suffix(".plans.txt").write_text("\n".join(plans))


if __name__ == "__main__":
    main()
