"""Every stats endpoint cold (cache cleared before each request) on several seeded
databases, in one run: the growth from the first database to each other one.

    REDIS_URL=... .venv/bin/python bench/stats_cold.py \\
        --db postgres://…/tracker_bench_sum_s1 --db postgres://…/tracker_bench_sum_s10 \\
        --out result.json

Each database is timed in its own child process (Django binds one database per process);
the children run one after the other, ``--passes`` times in turn (s1, s10, s1, s10, …) so
that a change of machine load hits every scale alike, and each endpoint's figure is the
lowest of its per-pass medians. The viewer is the seed's ``seed_manager``; each request
runs the aggregate from scratch (Redis cleared outside the timing). Prints and writes, per
endpoint and database, the cold milliseconds, the query count and the growth
(``ms at this database / ms at the first``).
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
ENDPOINTS = (
    "agreements-by-status",
    "state-durations",
    "timeline",
    "action-items",
    "upcoming",
    "commitments",
)


def child(rounds: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.test")
    os.environ.pop("TEST_DB_NAME", None)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from rest_framework.test import APIClient

    user = get_user_model().objects.get(username="seed_manager")
    api = APIClient()
    api.force_authenticate(user=user)
    out: dict[str, Any] = {}
    seen: list[str] = []

    def count(execute: Any, sql: str, *rest: Any) -> Any:
        seen.append(sql)
        return execute(sql, *rest)

    for name in ENDPOINTS:
        url = f"/api/v1/stats/{name}/"
        for _ in range(2):  # warm-up (and, with summaries, the viewer's scope registered)
            cache.clear()
            assert api.get(url).status_code == 200
        cache.clear()
        seen.clear()
        with connection.execute_wrapper(count):
            api.get(url)
        timings = []
        for _ in range(rounds):
            cache.clear()
            started = time.perf_counter()
            response = api.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
        out[name] = {"ms": statistics.median(timings), "queries": len(seen)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", action="append", default=[])
    parser.add_argument("--out", default="")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.rounds)))
        return
    runs: dict[str, list[dict[str, Any]]] = {db: [] for db in args.db}
    for _ in range(args.passes):
        for db in args.db:
            env = {**os.environ, "DATABASE_URL": db}
            done = subprocess.run(  # noqa: S603 - ourselves, same interpreter
                [sys.executable, __file__, "--child", "--rounds", str(args.rounds), "--out", "-"],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                sys.exit(f"{db}: {done.stderr[-2000:]}")
            runs[db].append(json.loads(done.stdout.strip().splitlines()[-1]))
    first = args.db[0]
    result: dict[str, Any] = {
        "rounds": args.rounds,
        "passes": args.passes,
        "load_before": os.getloadavg(),
        "endpoints": {},
    }
    for name in ENDPOINTS:
        row: dict[str, Any] = {}
        for db in args.db:
            row[db.rsplit("/", 1)[1]] = {
                "ms": round(min(r[name]["ms"] for r in runs[db]), 2),
                "queries": runs[db][0][name]["queries"],
            }
        base = row[first.rsplit("/", 1)[1]]["ms"]
        for db in args.db[1:]:
            key = db.rsplit("/", 1)[1]
            row[key]["growth"] = round(row[key]["ms"] / base, 2)
        result["endpoints"][name] = row
        print(name, json.dumps(row), flush=True)
    Path(args.out).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
