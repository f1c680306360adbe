"""Search on every list against the same list without ``q`` (issue 17), on one database.

    DATABASE_URL=<seeded db> REDIS_URL=... .venv/bin/python bench/search.py --out r.json

For each list: the median of ``ROUNDS`` requests (page_size 50, as ``seed_manager``, who
sees everything: a ministry's scope) without ``q``, then with a frequent, a rare and an
absent term (and a two-term query where the data has one: ranked by similarity), the
``count`` and ``count_exact`` of each, and the ``EXPLAIN (ANALYZE, BUFFERS)`` of the
searched page's SQL as the request ran it, with whether the plan reads the list's trigram
index. ``--only`` takes comma-separated substrings of the URLs. ``--plans`` also writes
every plan to the file next to ``--out`` (``.plans.txt``). The load average (``uptime``)
is printed and stored before and after the run.

    .venv/bin/python bench/search.py --report s1.json s10.json

prints the Markdown table of docs/performance.md from two runs: each search's ratio to its
list at both scales and its growth from the first file to the second.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
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
#: url: (index name, frequent, rare, two terms or None) — chosen on seed_demo's data so that
#: each exists at scale 1 and 10 for seed_manager: the frequent term is in 5–15 % of the rows,
#: the rare one in one row at both scales (meetings: a meeting's number; agreements: a
#: reference) or in a few (organisations, people: about 1 and 11). Action items have no
#: rare word (their text is a stock description, the owner and its organisation): «سبزوار7»
#: is one estate's name, 149 items at scale 1 and over 1,000 at scale 10. «پیش‌نویس» is two
#: terms (the ZWNJ is a space to the normalisation), so it is ranked.
TERMS: dict[str, tuple[str, str, str, str | None]] = {
    "/api/v1/meetings/": ("meeting_search_trgm", "پسماند", "(2345)", "شهرک صنعتی"),
    "/api/v1/action-items/": ("actionitem_search_trgm", "بازدید", "سبزوار7", "پیش‌نویس"),
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


def _uptime() -> str:
    # A constant command, no input: nothing untrusted reaches it.
    # UTC: Django has set the process's TZ to the project's zone.
    env = {**os.environ, "TZ": "UTC"}
    done = subprocess.run(["uptime"], capture_output=True, text=True, check=False, env=env)  # noqa: S607
    return done.stdout.strip()


def report(first: dict[str, Any], second: dict[str, Any]) -> str:
    """The Markdown table: per list and term, ms and ratio to the list at both scales, and
    the growth of the search's time from ``first`` to ``second``."""
    lines = [
        f"Meetings: {first['meetings']:,} / {second['meetings']:,}; load: "
        f"{first.get('uptime_before', '?')} … {second.get('uptime_after', '?')}",
        "",
        "| list | q | rows (s1 / s10) | ms s1 | ratio s1 | ms s10 | ratio s10 (≤ 3) "
        "| growth (≤ 2) | index at s10 |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for url, small in first["lists"].items():
        big = second["lists"].get(url)
        if big is None:
            continue
        growth = big["list_ms"] / small["list_ms"]
        lines.append(
            f"| {url} | — | | {small['list_ms']:.1f} | 1 | {big['list_ms']:.1f} | 1 "
            f"| {growth:.2f} | |"
        )
        for kind, s in small["terms"].items():
            b = big["terms"].get(kind)
            if b is None:
                continue
            rows = [f"{t['count']}{'' if t['count_exact'] else '+'}" for t in (s, b)]
            ratio = b["ratio"]
            growth = b["ms"] / s["ms"]
            mark_r = "" if ratio <= 3 else " **missed**"
            mark_g = "" if growth <= 2 else " **missed**"
            q = s["q"] if s["q"] == b["q"] else f"{s['q']} / {b['q']}"
            lines.append(
                f"| | {kind} «{q}» | {rows[0]} / {rows[1]} | {s['ms']:.1f} | {s['ratio']:.2f} "
                f"| {b['ms']:.1f} | {ratio:.2f}{mark_r} | {growth:.2f}{mark_g} "
                f"| {'yes' if b['index'] else 'no'} ({b['execution']}) |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out")
    parser.add_argument("--only", default="")
    parser.add_argument("--plans", action="store_true")
    parser.add_argument("--report", nargs=2, metavar=("FIRST", "SECOND"))
    args = parser.parse_args()
    if args.report:
        first, second = (json.loads(Path(name).read_text()) for name in args.report)
        print(report(first, second))
        return
    if not args.out:
        parser.error("--out is required (or --report FIRST SECOND)")
    only = [s for s in args.only.split(",") if s]
    started_load = _uptime()
    print("uptime:", started_load, flush=True)

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
    result: dict[str, Any] = {
        "rounds": ROUNDS,
        "meetings": Meeting.objects.count(),
        "database": connection.settings_dict["NAME"],
        "uptime_before": started_load,
        "lists": {},
    }
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

    result["uptime_after"] = _uptime()
    print("uptime:", result["uptime_after"], flush=True)
    out = Path(args.out)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    if args.plans:
        out.with_suffix(".plans.txt").write_text("\n".join(plans))


if __name__ == "__main__":
    main()
