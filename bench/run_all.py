"""Every benchmark behind docs/performance.md, in one command (``make bench``).

    .venv/bin/python bench/run_all.py [--scales 1,10] [--skip-throughput]

1. For each scale: a dedicated database ``<BENCH_DATABASE_URL>_s<scale>`` (default
   postgres://postgres@127.0.0.1:5432/tracker_bench_dash_s1 ...), created and migrated if
   missing and seeded once with ``manage.py seed_demo --scale N`` (timed); colleagues'
   databases are never touched.
2. ``bench/endpoints.py`` on it: API vs floor medians and their ratio per endpoint, query
   counts at page_size 10/50/100, deep-page time, cached aggregate time.
3. Throughput of the busiest endpoints under gunicorn (2 sync workers) on 127.0.0.1,
   loaded by ``wrk`` (Debian's package: 2 threads, 8 keep-alive connections, 10 s per
   endpoint, latency percentiles); ``make bench`` installs it when it is missing.
4. Prints a Markdown summary and writes var/bench/results.json.

Redis: ``BENCH_REDIS_URL`` (default redis://127.0.0.1:6379/8), flushed by the runs.
"""

# Every subprocess here runs this venv's python, gunicorn or a system tool with arguments
# built from constants: no untrusted input reaches them.
# ruff: noqa: S603

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_bench_dash"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
OUT = ROOT / "var" / "bench"
BUSY = ("/api/v1/meetings/", "/api/v1/action-items/", "/api/v1/stats/upcoming/")
WORKERS = 2
CONNECTIONS = 8
WRK_THREADS = 2
SECONDS = 10


def _env(db_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TEST_DB_NAME"}
    env.update(DATABASE_URL=db_url, REDIS_URL=REDIS_URL, **extra)
    env.setdefault("SECRET_KEY", "bench-only")
    return env


def ensure_database(db_url: str) -> bool:
    """Create the database if missing; True when it was created (so it needs seeding)."""
    import psycopg

    name = db_url.rsplit("/", 1)[1]
    admin = db_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


def seeded(db_url: str) -> bool:
    import psycopg

    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT to_regclass('meetings_meeting') IS NOT NULL "
            "AND EXISTS (SELECT 1 FROM auth_user WHERE username = 'seed_manager')"
        ).fetchone()
        return bool(row and row[0])


def prepare(scale: str) -> dict[str, Any]:
    db_url = f"{BASE_URL}_s{scale.replace('.', '_')}"
    ensure_database(db_url)
    env = _env(db_url)
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    info: dict[str, Any] = {"database": db_url}
    if not seeded(db_url):
        started = time.perf_counter()
        subprocess.run(
            [PY, "manage.py", "seed_demo", "--scale", scale], cwd=ROOT, env=env, check=True
        )
        info["seed_seconds"] = round(time.perf_counter() - started, 1)
        import psycopg

        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    return info


def measure(scale: str, db_url: str, only: str = "") -> dict[str, Any]:
    out = OUT / f"endpoints_s{scale}.json"
    extra = ["--only", only] if only else []
    subprocess.run(
        [PY, "bench/endpoints.py", "--out", str(out), *extra],
        cwd=ROOT,
        env=_env(db_url),
        check=True,
    )
    return json.loads(out.read_text())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def throughput(db_url: str) -> dict[str, Any]:
    """Requests per second of the busiest endpoints under gunicorn on loopback."""
    env = _env(db_url, DJANGO_SETTINGS_MODULE="tracker.settings.base", THROTTLE_USER="1000000/min")
    key = subprocess.run(
        [PY, "-c", KEY_SCRIPT], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"), "tracker.wsgi:application",
            "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        ],
        cwd=ROOT, env=env,
    )  # fmt: skip
    results: dict[str, Any] = {"workers": WORKERS, "connections": CONNECTIONS, "seconds": SECONDS}
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        for url in BUSY:
            results[url] = _load(port, f"{url}?page_size=50", key)
            print("throughput", url, results[url], flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
    return results


KEY_SCRIPT = """
import django; django.setup()
from django.contrib.auth import get_user_model
from organizations.services import api_token_create
user = get_user_model().objects.get(username="seed_manager")
print(api_token_create(actor=user, name="bench", read_only=True)[1])
"""


def _wrk_ms(value: str) -> float:
    """A wrk latency ("812.00us", "125.31ms", "1.02s") in milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if value.endswith(unit):
            return float(value[: -len(unit)]) * factor
    raise ValueError(value)


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests, non-2xx/3xx responses, requests per second and latency percentiles from
    ``wrk --latency`` output."""
    result: dict[str, Any] = {"errors": 0}
    in_distribution = False
    for raw in output.splitlines():
        line = raw.strip()
        if line.startswith("Latency Distribution"):
            in_distribution = True
            continue
        if in_distribution and line.endswith(tuple("0123456789s")) and "%" in line:
            percent, value = line.split()
            result[f"p{percent.rstrip('%').split('.')[0]}_ms"] = round(_wrk_ms(value), 2)
            continue
        in_distribution = False
        if " requests in " in line:
            result["requests"] = int(line.split()[0])
        elif line.startswith("Non-2xx or 3xx responses:"):
            result["errors"] = int(line.rsplit(":", 1)[1])
        elif line.startswith("Socket errors:"):
            result["socket_errors"] = line.split(":", 1)[1].strip()
        elif line.startswith("Requests/sec:"):
            result["rps"] = round(float(line.split()[1]), 2)
    return result


def _load(port: int, path: str, key: str) -> dict[str, Any]:
    """``wrk`` (Debian's package; C, epoll) against one endpoint: ``CONNECTIONS`` keep-alive
    connections on ``WRK_THREADS`` threads for ``SECONDS`` seconds, latency percentiles."""
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("bench: wrk is missing (apt-get install wrk, or make bench), or --skip-throughput")
    output = subprocess.run(
        [
            wrk, f"--threads={WRK_THREADS}", f"--connections={CONNECTIONS}",
            f"--duration={SECONDS}s", "--timeout=30s", "--latency",
            f"--header=Authorization: Token {key}", f"http://127.0.0.1:{port}{path}",
        ],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return parse_wrk(output)


def machine() -> dict[str, str]:
    def run(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "?"

    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": run("nproc"),
        "free": run("free", "-h"),
        "postgres": run(
            "psql", BASE_URL.rsplit("/", 1)[0] + "/postgres", "-tAc", "select version()"
        ),
        "python": platform.python_version(),
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def markdown(results: dict[str, Any]) -> str:
    lines = []
    scales = results["scales"]
    for scale, data in scales.items():
        lines.append(
            f"\n### Scale {scale} ({data['meetings']} meetings, "
            f"{data['action_items']} action items)\n"
        )
        lines.append(
            "| endpoint | API ms | floor ms | ratio | goal | queries 10/50/100 "
            "| deep page ms: page=N / cursor |"
        )
        lines.append("|---|---:|---:|---:|---:|---|---:|")
        for url, e in data["endpoints"].items():
            goal = 1.5 if e["kind"] == "list" else 1.3
            q = (
                f"{e['queries_10']}/{e['queries_50']}/{e['queries_100']}"
                if e["kind"] == "list"
                else str(e["queries"])
            )
            if e["kind"] == "list":
                cursor = e.get("deep_cursor_ms")
                deep = f"{e['deep_page_ms']:.1f} / " + (f"{cursor:.1f}" if cursor else "–")
            else:
                deep = f"cached {e['cached_ms']:.1f}"
            mark = "ok" if e["ratio"] <= goal else "**missed**"
            lines.append(
                f"| {url} | {e['api_ms']:.1f} | {e['floor_ms']:.1f} | {e['ratio']:.2f} | "
                f"≤ {goal} {mark} | {q} | {deep} |"
            )
    if len(scales) > 1:
        first, last = next(iter(scales)), list(scales)[-1]
        lines.append(f"\n### Growth scale {last} / scale {first} (API median)\n")
        lines.append("| endpoint | growth | goal ≤ 2 | queries equal |")
        lines.append("|---|---:|---|---|")
        for url, e in scales[first]["endpoints"].items():
            big = scales[last]["endpoints"][url]
            growth = big["api_ms"] / e["api_ms"]
            same = e.get("queries_50", e.get("queries")) == big.get(
                "queries_50", big.get("queries")
            )
            lines.append(
                f"| {url} | {growth:.2f} | {'ok' if growth <= 2 else '**missed**'} | "
                f"{'yes' if same else 'no'} |"
            )
    if "throughput" in results:
        t = results["throughput"]
        lines.append(
            f"\n### Throughput (gunicorn, {t['workers']} sync workers, {t['connections']} "
            f"connections, {t['seconds']} s each, 127.0.0.1)\n"
        )
        lines.append("| endpoint | requests | req/s | p50 ms | p90 ms | p99 ms | non-2xx |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for url in BUSY:
            r = t[url]
            lines.append(
                f"| {url} | {r.get('requests')} | {r.get('rps')} | {r.get('p50_ms')} | "
                f"{r.get('p90_ms')} | {r.get('p99_ms')} | {r['errors']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--only", default="", help="bench/endpoints.py's --only (substrings)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "scales": {}, "seeding": {}}
    first_db = ""
    for scale in args.scales.split(","):
        info = prepare(scale)
        results["seeding"][scale] = info
        print("prepared", scale, info, flush=True)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print("load average:", load, flush=True)
        results["scales"][scale] = measure(scale, info["database"], args.only)
        results["scales"][scale]["loadavg_before"] = load
        first_db = first_db or info["database"]
    if not args.skip_throughput:
        results["throughput"] = throughput(first_db)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results["machine"], indent=2, ensure_ascii=False))
    print(json.dumps(results["seeding"], indent=2))
    print(markdown(results))


if __name__ == "__main__":
    main()
